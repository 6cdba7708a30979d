"""The notice that covers everything while the terminal is smaller than 80x24."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

from privet_tui.tui import texts

__all__ = ["TooSmallScreen"]


class TooSmallScreen(ModalScreen[None]):
    """Shown over the current screen (kept intact beneath) until the window grows."""

    CSS_PATH = "too_small.tcss"
    BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(self, width: int, height: int) -> None:
        super().__init__()
        self._terminal = (width, height)

    def compose(self) -> ComposeResult:
        yield Static(self._text(), id="too-small")

    def show_size(self, width: int, height: int) -> None:
        """Update the numbers after another resize."""
        self._terminal = (width, height)
        self.query_one("#too-small", Static).update(self._text())

    def _text(self) -> Text:
        width, height = self._terminal
        return Text(texts.TOO_SMALL.format(width=width, height=height), justify="center")
