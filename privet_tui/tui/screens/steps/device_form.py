"""The device form (step 3) as a typed modal: it saves through the callback it is given and
closes with the new client version only when the save landed, so nothing typed is lost."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from privet_tui.errors import PrivetError, ValidationError
from privet_tui.services.rules.catalog import DEVICE_CATEGORIES, DeviceInput
from privet_tui.services.rules.validation import FieldErrors
from privet_tui.tui import texts_steps as t
from privet_tui.tui.drafts import unless_unsaved
from privet_tui.tui.screens.base import PrivetModal
from privet_tui.tui.screens.steps._form import (
    FormField,
    changed_fields,
    clear_field_errors,
    form_values,
    input_value,
    show_field_errors,
)
from privet_tui.tui.widgets.footer import PrivetFooter
from privet_tui.tui.widgets.select import RussianSelect

__all__ = ["DeviceFormModal", "DeviceFormResult"]

_TEXT_FIELDS = (
    ("brand", t.DEVICE_BRAND, ""),
    ("model", t.DEVICE_MODEL, ""),
    ("serial", t.DEVICE_SERIAL, t.DEVICE_SERIAL_PLACEHOLDER),
)


@dataclass(frozen=True)
class DeviceFormResult:
    """What the form saved: the client's version after the save."""

    version: int
    device_id: int | None


class DeviceFormModal(PrivetModal[DeviceFormResult]):
    """Category, brand, model, serial; Ctrl+S saves, Esc cancels."""

    CSS_PATH = "steps.tcss"
    DEFAULT_CSS = """
    DeviceFormModal { align: center middle; }
    DeviceFormModal > #device-form {
        width: 76; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    DeviceFormModal #device-form-title { text-style: bold; }
    DeviceFormModal #device-form-error { display: none; color: $error; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", t.SAVE, id="device.save", tooltip=t.SAVE_TIP, key_display="^s"),
        Binding(
            "escape",
            "cancel",
            t.CANCEL,
            id="device.cancel",
            tooltip=t.BACK_TIP,
            key_display="Esc",
        ),
        # Moves on before the next key is read (see StepScreen.FORM_FIELDS).
        Binding("enter", "next_field", show=False, priority=True),
    ]
    COMPACT_FOOTER: ClassVar[frozenset[str]] = frozenset({"save", "cancel"})

    class Saved(Message):
        """The save landed."""

        def __init__(self, result: DeviceFormResult) -> None:
            super().__init__()
            self.result = result

    def __init__(
        self,
        title: str,
        save: Callable[[DeviceInput], DeviceFormResult],
        initial: DeviceInput | None = None,
    ) -> None:
        super().__init__()
        self._title = title
        self._save = save
        self._initial = initial
        self._pristine: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        initial = self._initial
        with Vertical(id="device-form"):
            yield Label(Text(self._title), id="device-form-title")
            yield Static("", id="device-form-error", markup=False)
            category: Select[str] = RussianSelect(
                [(label, code) for code, label in DEVICE_CATEGORIES.items()],
                prompt=t.DEVICE_CATEGORY_PROMPT,
                value=initial.category if initial else Select.NULL,
                compact=True,
            )
            yield FormField("category", t.DEVICE_CATEGORY, category)
            for name, label, placeholder in _TEXT_FIELDS:
                value = (getattr(initial, name) or "") if initial else ""
                yield FormField(
                    name,
                    label,
                    Input(value, placeholder=placeholder, max_length=100, compact=True),
                )
            with Horizontal(classes="step-buttons"):
                yield Button(t.SAVE_BUTTON, id="save", variant="primary", compact=True)
                yield Button(t.CANCEL_BUTTON, id="cancel", compact=True)
        yield PrivetFooter()

    def on_mount(self) -> None:
        self._pristine = form_values(self)
        self.query_one(Select).focus()

    @property
    def draft_title(self) -> str:
        """The form as the unsaved-input questions name it."""
        return self._title

    def unsaved_fields(self) -> list[str]:
        """Labels of the fields changed since the form opened."""
        return [field.label for field in changed_fields(self, self._pristine)]

    def action_next_field(self) -> None:
        """Enter in a field but the last: the next field (else Enter is the field's own)."""
        fields = list(self.query(Input))
        if self.focused not in fields or self.focused is fields[-1]:
            raise SkipAction
        self.focus_next()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter moves on; on the last field it saves."""
        if event.input is list(self.query(Input))[-1]:
            self.action_save()
        else:
            self.focus_next()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Send the form to the service."""
        category = self.query_one(Select).value
        device = DeviceInput(
            category=category if isinstance(category, str) else "",
            brand=input_value(self, "brand"),
            model=input_value(self, "model"),
            serial=input_value(self, "serial") or None,
        )
        clear_field_errors(self)
        self._error(None)
        self.save(device)

    @work(thread=True, exclusive=True, exit_on_error=False, group="device-save")
    def save(self, device: DeviceInput) -> None:
        """Run the save callback (a gateway call) off the UI thread."""
        self.post_message(self.Saved(self._save(device)))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.dismiss(message.result)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without saving (a changed form asks first)."""
        unless_unsaved(self, lambda: self.dismiss(None))

    def _error(self, message: str | None) -> None:
        shown = self.query_one("#device-form-error", Static)
        shown.update(Text(f"{t.ERROR_MARK} {message}" if message else ""))
        shown.display = bool(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Field errors beside the fields, other refusals at the top; the form stays open."""
        if event.state is not WorkerState.ERROR:
            return
        event.prevent_default()  # the base class would report it a second time
        error = event.worker.error
        if isinstance(error, FieldErrors):
            rest = show_field_errors(self, error.errors)
            self._error("; ".join(rest) or None)
        elif isinstance(error, ValidationError) and error.field:
            rest = show_field_errors(self, {error.field: error.message})
            self._error("; ".join(rest) or None)
        elif isinstance(error, PrivetError):
            self._error(error.message)
        else:
            self.privet.report_failure(error)
