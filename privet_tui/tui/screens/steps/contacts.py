"""Step 1 «Контакты»: full name, phone, email and address, saved under the version seen."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Input

from privet_tui.services.rules.validation import ContactInput, format_phone
from privet_tui.tui import texts_steps as t
from privet_tui.tui.screens.steps._form import FormField, clear_field_errors, input_value
from privet_tui.tui.screens.steps.base import StepScreen

__all__ = ["ContactsScreen"]

_FIELDS = (
    ("full_name", t.CONTACTS_FULL_NAME, t.CONTACTS_NAME_PLACEHOLDER, 200),
    ("phone", t.CONTACTS_PHONE, t.CONTACTS_PHONE_PLACEHOLDER, 40),
    ("email", t.CONTACTS_EMAIL, t.CONTACTS_EMAIL_PLACEHOLDER, 254),
    ("address", t.CONTACTS_ADDRESS, t.CONTACTS_ADDRESS_PLACEHOLDER, 500),
)


class ContactsScreen(StepScreen[None]):
    """The step 1 form; every wrong field gets its message beside it, nothing typed is lost."""

    STEP = 1
    FORM_FIELDS = "Input"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", t.SAVE, id="contacts.save", tooltip=t.SAVE_TIP, key_display="^s"),
    ]

    class Saved(Message):
        """The contacts were stored; `version` is the client's new version."""

        def __init__(self, version: int) -> None:
            super().__init__()
            self.version = version

    def compose_body(self) -> ComposeResult:
        for name, label, placeholder, limit in _FIELDS:
            yield FormField(
                name, label, Input(placeholder=placeholder, max_length=limit, compact=True)
            )
        with Horizontal(classes="step-buttons"):
            yield Button(t.SAVE_BUTTON, id="save", variant="primary", compact=True)

    def fetch(self) -> None:
        """Everything this step needs is on the card."""

    def show_state(self, state: None) -> None:
        card = self.card
        assert card is not None
        values = {
            "full_name": card.full_name or card.app_full_name or "",
            "phone": format_phone(card.phone) if card.phone else card.app_phone or "",
            "email": card.email or card.app_email or "",
            "address": card.address or "",
        }
        clear_field_errors(self)
        for name, value in values.items():
            field = self.query_one(f"#field-{name}", FormField)
            control = field.query_one(Input)
            control.value = value
            control.disabled = not self.editable
        self.query_one("#save", Button).display = self.editable
        if not self.editable:
            self.set_notice(self.read_only_reason())
        else:
            self.query_one(f"#field-{_FIELDS[0][0]}", FormField).query_one(Input).focus()

    def allows(self, action: str) -> bool:
        """Saving is offered only when the form may be changed."""
        if action == "save":
            return self.editable
        return True

    # --- saving -----------------------------------------------------------------------

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; on the last one it saves."""
        if event.input is list(self.query(Input))[-1]:
            self.action_save()
        else:
            self.focus_next()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Check and store the form."""
        if not self.editable or self.version is None:
            return
        form = ContactInput(*(input_value(self, name) for name, *_ in _FIELDS))
        clear_field_errors(self)
        version = self.version
        self.unless_voiding(lambda: self.save(form, version))

    @work(thread=True, exclusive=True, exit_on_error=False, group="step-save")
    def save(self, form: ContactInput, version: int) -> None:
        """Store the contacts (FieldErrors come back to the fields)."""
        self.post_message(
            self.Saved(self.gateway.save_contacts(self.actor, self.client_id, version, form))
        )

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.saved(message.version, t.CONTACTS_SAVED)
        self.reload()
