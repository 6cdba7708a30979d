"""After another master saved the client: the master's typed values beside the saved ones,
and the choice between them (`DraftConflictModal` returns "mine" or "saved")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from privet_tui.tui import texts_drafts as d

__all__ = ["Choice", "DraftConflictModal", "FieldDiff"]

#: «Оставить моё» or «Взять сохранённое».
Choice = Literal["mine", "saved"]
#: One differing field: its label, the typed text, the saved text.
FieldDiff = tuple[str, str, str]


def diff_table(rows: Sequence[FieldDiff], *, saved_hidden: bool = False) -> Table:
    """Field | mine | saved, every cell literal text (typed by people: never markup);
    `saved_hidden`: the saved values are not on screen (a stored passport before its reveal)."""
    table = Table(box=None, pad_edge=False, expand=True, show_edge=False)
    table.add_column(d.CONFLICT_FIELD, ratio=2, overflow="fold")
    table.add_column(d.CONFLICT_MINE, ratio=3, overflow="fold")
    table.add_column(d.CONFLICT_SAVED, ratio=3, overflow="fold")
    for label, mine, saved in rows:
        shown = d.CONFLICT_HIDDEN if saved_hidden else (saved or d.CONFLICT_EMPTY)
        table.add_row(Text(label), Text(mine or d.CONFLICT_EMPTY), Text(shown))
    return table


class DraftConflictModal(ModalScreen[Choice]):
    """The differing fields side by side; «Оставить моё» (also Esc: nothing typed is lost)
    or «Взять сохранённое»."""

    DEFAULT_CSS = """
    DraftConflictModal {
        align: center middle;
    }
    DraftConflictModal > Vertical {
        width: 100%;
        max-width: 76;
        height: auto;
        max-height: 100%;
        border: round $warning;
        padding: 0 1;
        background: $surface;
    }
    DraftConflictModal #conflict-title {
        text-style: bold;
        width: 100%;
    }
    DraftConflictModal VerticalScroll {
        height: auto;
        max-height: 12;
    }
    DraftConflictModal #conflict-hint {
        margin: 1 0 0 0;
    }
    DraftConflictModal Horizontal {
        height: auto;
        align-horizontal: right;
    }
    DraftConflictModal Button {
        margin-left: 2;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "choose('mine')", d.CONFLICT_KEEP, id="conflict.keep"),
    ]

    def __init__(self, rows: Sequence[FieldDiff], *, saved_hidden: bool = False) -> None:
        super().__init__()
        self.rows = tuple(rows)
        self.saved_hidden = saved_hidden

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(d.CONFLICT_TITLE), id="conflict-title")
            yield Static(Text(d.CONFLICT_INTRO), markup=False)
            with VerticalScroll():
                yield Static(diff_table(self.rows, saved_hidden=self.saved_hidden), id="diff")
            yield Static(Text(d.CONFLICT_HINT), id="conflict-hint", markup=False)
            with Horizontal():
                yield Button(d.CONFLICT_KEEP, id="mine", variant="primary")
                yield Button(d.CONFLICT_TAKE, id="saved", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#mine", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss("saved" if event.button.id == "saved" else "mine")

    def action_choose(self, choice: Choice) -> None:
        """Close with the choice."""
        self.dismiss(choice)
