"""The notice that covers everything while the terminal is smaller than 48x16, and the
breakpoints that give the screens their compact layout below 80 columns or 24 rows."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

from privet_tui.tui import texts

__all__ = [
    "HORIZONTAL_BREAKPOINTS",
    "MIN_HEIGHT",
    "MIN_WIDTH",
    "VERTICAL_BREAKPOINTS",
    "TooSmallScreen",
    "sync_size_notice",
]

#: The smallest terminal the screens are laid out for: a phone in portrait (about 48
#: columns) or in landscape with the soft keyboard open (about 16 rows).
MIN_WIDTH = 48
MIN_HEIGHT = 16
#: Screen classes by terminal width (Textual sets them on every resize): `-narrow` below 80
#: columns gives the compact layout (list: name and status; forms: label above the field;
#: footer: the keys that matter and «?»).
HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]
#: By height: `-short` below 24 rows (boxes lose their blank lines).
VERTICAL_BREAKPOINTS = [(0, "-short"), (24, "-tall")]


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
        return Text(
            texts.TOO_SMALL.format(
                width=width, height=height, min_width=MIN_WIDTH, min_height=MIN_HEIGHT
            ),
            justify="center",
        )


def sync_size_notice(app: App[Any], width: int, height: int) -> None:
    """Push or pop the «увеличьте окно» notice for the given terminal size."""
    too_small = width < MIN_WIDTH or height < MIN_HEIGHT
    top = app.screen_stack[-1] if app.screen_stack else None
    if too_small:
        if isinstance(top, TooSmallScreen):
            top.show_size(width, height)
        else:
            app.push_screen(TooSmallScreen(width, height))
    elif isinstance(top, TooSmallScreen):
        app.pop_screen()
