"""A yes/no question as a typed modal: `ConfirmModal` returns True or False."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from privet_tui.tui import texts

__all__ = ["ConfirmModal"]


class ConfirmModal(ModalScreen[bool]):
    """Ask a question; `y`/Enter on «Да» confirms, `n`/Esc declines."""

    DEFAULT_CSS = """
    ConfirmModal {
        align: center middle;
    }
    ConfirmModal > Vertical {
        width: 60;
        height: auto;
        border: round $warning;
        padding: 0 2;
        background: $surface;
    }
    ConfirmModal .confirm-title {
        text-style: bold;
        width: 100%;
    }
    ConfirmModal .confirm-message {
        margin: 1 0;
    }
    ConfirmModal Horizontal {
        height: auto;
        align-horizontal: right;
    }
    ConfirmModal Button {
        margin-left: 2;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,н", "answer(True)", texts.KEY_YES, id="confirm.yes", key_display="y"),
        Binding("n,т,escape", "answer(False)", texts.KEY_NO, id="confirm.no", key_display="n"),
    ]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self._title = title
        self._message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self._title), classes="confirm-title")
            yield Static(Text(self._message), classes="confirm-message")
            with Horizontal():
                yield Button(texts.KEY_YES, id="yes", variant="warning")
                yield Button(texts.KEY_NO, id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)
