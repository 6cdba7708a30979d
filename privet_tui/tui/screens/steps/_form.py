"""Form building blocks of the step screens: a labelled field with its inline error line, and
the form's values as text (what was loaded, what is typed now) for the unsaved-input checks."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from privet_tui.tui import texts_steps as t

__all__ = [
    "FormField",
    "changed_fields",
    "clear_field_errors",
    "fill_form",
    "form_values",
    "input_value",
    "show_field_errors",
]


class FormField(Vertical):
    """A label and a control on one row, and under them the field's error (hidden when none)."""

    def __init__(self, field: str, label: str, control: Widget) -> None:
        super().__init__(id=f"field-{field}", classes="form-field")
        self.field = field
        self.label = label
        self.control = control
        self.error: str | None = None
        if isinstance(control, Input):
            # Focus puts the cursor after the value instead of selecting it all: a selection
            # lets the first key typed replace a loaded value without a trace.
            control.select_on_focus = False

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label(Text(self.label), classes="field-label")
            yield self.control
        yield Static("", classes="field-error", markup=False)

    @property
    def text(self) -> str | None:
        """What the control holds, as text ("" for an unchosen list); None when the control
        holds no value a person types or chooses."""
        control = self.control
        if isinstance(control, Input):
            return control.value
        if isinstance(control, Select):
            return "" if control.is_blank() else str(control.value)
        return None

    def set_text(self, value: str) -> None:
        """Put `value` back into the control (the inverse of `text`)."""
        control = self.control
        if isinstance(control, Input):
            control.value = value
        elif isinstance(control, Select):
            control.value = value if value else Select.NULL

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


def form_values(root: Widget) -> dict[str, str]:
    """Every form field under `root` that holds a value: {field name: its text}."""
    values: dict[str, str] = {}
    for field in root.query(FormField):
        text = field.text
        if text is not None:
            values[field.field] = text
    return values


def changed_fields(root: Widget, before: Mapping[str, str]) -> list[FormField]:
    """The fields under `root` whose text differs from `before` (as `form_values` gave it)."""
    return [
        field
        for field in root.query(FormField)
        if field.text is not None and field.text != before.get(field.field, "")
    ]


def fill_form(root: Widget, values: Mapping[str, str]) -> None:
    """Put the texts of `values` back into the fields of the same names under `root`."""
    for field in root.query(FormField):
        if field.field in values:
            field.set_text(values[field.field])
