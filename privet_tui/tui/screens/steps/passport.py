"""Step 2 «Паспорт»: masked input of the passport; a stored one is shown masked until the
master reveals it with a key, and the reveal goes through the audited service call."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, MaskedInput, Static

from privet_tui.errors import PrivetError, ValidationError
from privet_tui.services.rules.passport import PassportData, PassportInput
from privet_tui.services.rules.validation import FieldErrors, format_ru_date
from privet_tui.services.steps.passport import PassportSaved
from privet_tui.tui import texts_steps as t
from privet_tui.tui.screens.steps._form import FormField, clear_field_errors, input_value
from privet_tui.tui.screens.steps.base import StepScreen

__all__ = ["PassportScreen"]

#: Form fields: (id, label, mask or None for free text, max length of free text).
_FIELDS: tuple[tuple[str, str, str | None, int], ...] = (
    ("series_number", t.PASSPORT_SERIES_NUMBER, "99 99 999999", 0),
    ("issue_date", t.PASSPORT_ISSUE_DATE, "99.99.9999", 0),
    ("issued_by", t.PASSPORT_ISSUED_BY, None, 300),
    ("department_code", t.PASSPORT_DEPARTMENT, "999-999", 0),
    ("birth_date", t.PASSPORT_BIRTH_DATE, "99.99.9999", 0),
    ("birth_place", t.PASSPORT_BIRTH_PLACE, None, 300),
    ("registration_address", t.PASSPORT_REGISTRATION, None, 500),
)
#: Service fields shown on a combined form field.
_ALIASES = {"series": "series_number", "number": "series_number"}


def _control(mask: str | None, limit: int) -> Input:
    if mask is None:
        return Input(max_length=limit, compact=True)
    placeholder = t.PASSPORT_DATE_HINT if mask == "99.99.9999" else ""
    return MaskedInput(mask, placeholder=placeholder, compact=True)


def form_values(data: PassportData) -> dict[str, str]:
    """The stored passport in the form's own shape (what the masks expect)."""
    return {
        "series_number": f"{data.series[:2]} {data.series[2:]} {data.number}",
        "issue_date": format_ru_date(data.issue_date),
        "issued_by": data.issued_by,
        "department_code": data.department_code,
        "birth_date": format_ru_date(data.birth_date),
        "birth_place": data.birth_place,
        "registration_address": data.registration_address,
    }


class PassportScreen(StepScreen[None]):
    """The step 2 form; Ctrl+O reveals a stored passport (and records that it was seen)."""

    STEP = 2
    FORM_FIELDS = "#passport-form Input"
    #: Whether the full passport is on screen now (after the audited reveal).
    revealed = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", t.SAVE, id="passport.save", tooltip=t.SAVE_TIP, key_display="^s"),
        Binding(
            "ctrl+o",
            "reveal",
            t.PASSPORT_REVEAL,
            id="passport.reveal",
            tooltip=t.PASSPORT_REVEAL_TIP,
            key_display="^o",
        ),
    ]

    class Revealed(Message):
        """The full passport arrived (the view is already in the audit log)."""

        def __init__(self, data: PassportData) -> None:
            super().__init__()
            self.data = data

    class Saved(Message):
        """The passport was stored."""

        def __init__(self, result: PassportSaved) -> None:
            super().__init__()
            self.result = result

    def compose_body(self) -> ComposeResult:
        yield Static("", id="passport-summary", classes="step-info", markup=False)
        yield Static(Text(t.PASSPORT_EXPIRED), id="passport-expired", markup=False)
        with Vertical(id="passport-form"):
            for name, label, mask, limit in _FIELDS:
                yield FormField(name, label, _control(mask, limit))
        with Horizontal(classes="step-buttons"):
            yield Button(t.SAVE_BUTTON, id="save", variant="primary", compact=True)
            yield Button(t.PASSPORT_REVEAL_BUTTON, id="reveal", compact=True)

    def fetch(self) -> None:
        """The masked summary is on the card."""

    @property
    def stored(self) -> bool:
        """Whether the client already has a passport on record."""
        return self.card is not None and self.card.passport is not None

    def show_state(self, state: None) -> None:
        card = self.card
        assert card is not None
        summary = card.passport
        self.revealed = False
        self._fill({name: "" for name, *_ in _FIELDS})
        self.query_one("#passport-expired").display = bool(summary and summary.expired)
        if summary is None:
            self._summary(t.PASSPORT_NONE)
        else:
            self._summary(
                f"{t.PASSPORT_MASKED.format(masked=summary.masked)}\n{t.PASSPORT_REVEAL_HINT}"
            )
        self._sync()
        if not self.editable:
            self.set_notice(self.read_only_reason())
        elif not self.stored:
            self.query_one("#field-series_number", FormField).control.focus()
        self.refresh_bindings()

    def _summary(self, text: str) -> None:
        self.query_one("#passport-summary", Static).update(Text(text))

    def _fill(self, values: dict[str, str]) -> None:
        clear_field_errors(self)
        for name, value in values.items():
            self.query_one(f"#field-{name}", FormField).query_one(Input).value = value

    def _sync(self) -> None:
        """Show the form when there is something to type or to see; lock it when read-only."""
        visible = self.revealed or not self.stored
        self.query_one("#passport-form").display = visible
        for control in self.query("#passport-form Input").results(Input):
            control.disabled = not self.editable
        self.query_one("#save", Button).display = visible and self.editable
        self.query_one("#reveal", Button).display = self.stored and not self.revealed

    def allows(self, action: str) -> bool:
        """Save while the form is open and editable; reveal while something is hidden."""
        if action == "save":
            return self.editable and (self.revealed or not self.stored)
        if action == "reveal":
            return self.stored and not self.revealed
        return True

    # --- reveal -----------------------------------------------------------------------

    @on(Button.Pressed, "#reveal")
    def action_reveal(self) -> None:
        """Ask the audited service for the full passport."""
        if self.stored and not self.revealed:
            self.reveal()

    @work(thread=True, exclusive=True, exit_on_error=False, group="passport-reveal")
    def reveal(self) -> None:
        """Fetch the full passport; the service records the view."""
        self.post_message(self.Revealed(self.gateway.reveal_passport(self.actor, self.client_id)))

    @on(Revealed)
    def _revealed(self, message: Revealed) -> None:
        self.revealed = True
        self._fill(form_values(message.data))
        self.mark_pristine()  # the revealed passport is what is stored, not typed input
        self._summary(t.PASSPORT_REVEALED)
        self._sync()
        if self.editable:
            self.query_one("#field-series_number", FormField).control.focus()
        self.refresh_bindings()

    def saved_values_hidden(self) -> bool:
        """A stored passport stays masked after a re-read (its reveal is audited)."""
        return self.stored and not self.revealed

    def show_draft(self) -> None:
        """Typed passport values put back after a re-read: show the form holding them."""
        self.revealed = self.revealed or self.stored
        self._sync()
        self.refresh_bindings()

    # --- save -------------------------------------------------------------------------

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; on the last one it saves."""
        if event.input is list(self.query("#passport-form Input"))[-1]:
            self.action_save()
        else:
            self.focus_next()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Check and store the form."""
        if not self.check_action("save", ()) or self.version is None:
            return
        digits = "".join(ch for ch in input_value(self, "series_number") if ch.isdigit())
        form = PassportInput(
            series=digits[:4],
            number=digits[4:],
            issue_date=input_value(self, "issue_date").replace(" ", ""),
            issued_by=input_value(self, "issued_by"),
            department_code=input_value(self, "department_code").replace(" ", ""),
            birth_date=input_value(self, "birth_date").replace(" ", ""),
            birth_place=input_value(self, "birth_place"),
            registration_address=input_value(self, "registration_address"),
        )
        clear_field_errors(self)
        version = self.version
        self.unless_voiding(lambda: self.save(form, version))

    @work(thread=True, exclusive=True, exit_on_error=False, group="step-save")
    def save(self, form: PassportInput, version: int) -> None:
        """Store the passport (FieldErrors come back to the fields)."""
        result = self.gateway.save_passport(self.actor, self.client_id, version, form)
        self.post_message(self.Saved(result))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        expired = message.result.expired
        self.saved(
            message.result.version, t.PASSPORT_SAVED_EXPIRED if expired else t.PASSPORT_SAVED
        )
        self.reload()

    def show_error(self, error: PrivetError) -> bool:
        """Series and number errors both belong to the one masked field."""
        if isinstance(error, FieldErrors):
            merged: dict[str, str] = {}
            for name, message in error.errors.items():
                key = _ALIASES.get(name, name)
                merged[key] = f"{merged[key]}; {message}" if key in merged else message
            error = FieldErrors(merged, title=error.title)
        elif isinstance(error, ValidationError) and error.field in _ALIASES:
            error = FieldErrors({_ALIASES[error.field]: error.message}, title=error.title)
        return super().show_error(error)
