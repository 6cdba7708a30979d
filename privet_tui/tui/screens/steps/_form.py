"""Form building blocks of the step screens: a labelled field with its inline error line."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from privet_tui.tui import texts_steps as t

__all__ = ["FormField", "clear_field_errors", "input_value", "show_field_errors"]


class FormField(Vertical):
    """A label and a control on one row, and under them the field's error (hidden when none)."""

    def __init__(self, field: str, label: str, control: Widget) -> None:
        super().__init__(id=f"field-{field}", classes="form-field")
        self.field = field
        self.label = label
        self.control = control
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label(Text(self.label), classes="field-label")
            yield self.control
        yield Static("", classes="field-error", markup=False)

    def set_error(self, message: str | None) -> None:
        """Show `message` (literal text) under the field, or hide the error line."""
        self.error = message or None
        shown = self.query_one(".field-error", Static)
        shown.update(Text(f"{t.ERROR_MARK} {message}") if message else "")
        shown.set_class(bool(message), "-shown")
        self.set_class(bool(message), "-invalid")


def clear_field_errors(root: Widget) -> None:
    """Hide every field error under `root`."""
    for field in root.query(FormField):
        field.set_error(None)


def show_field_errors(root: Widget, errors: Mapping[str, str]) -> list[str]:
    """Show each error next to its field, focus the first one; return fields not on the form."""
    clear_field_errors(root)
    unplaced: list[str] = []
    first: FormField | None = None
    for name, message in errors.items():
        matches = root.query(f"#field-{name}").results(FormField)
        field = next(matches, None)
        if field is None:
            unplaced.append(message)
            continue
        field.set_error(message)
        first = first or field
    if first is not None and first.control.focusable:
        first.control.focus()
    return unplaced


def input_value(root: Widget, field: str) -> str:
    """The text typed into the field's Input."""
    return root.query_one(f"#field-{field}", FormField).query_one(Input).value
