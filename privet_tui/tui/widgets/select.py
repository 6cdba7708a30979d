"""`RussianSelect`: Textual's Select whose open list says «esc Закрыть список» in the footer.

Textual words the open list's one binding in English («esc Dismiss menu») and has no
translation hook, so the overlay is a subclass whose binding carries the Russian words (a
subclass's binding for the same key replaces its base's), and the Select composes that
overlay in place of its own; nothing of the library is patched. `Select`'s own code finds the
overlay by its class, which the subclass still is.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Select
from textual.widgets._select import SelectCurrent, SelectOverlay

from privet_tui.tui import texts

__all__ = ["RussianSelect"]

T = TypeVar("T")


class RussianSelectOverlay(SelectOverlay):
    """The open list, its Esc described in Russian."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", texts.KEY_DISMISS_MENU, id="select.dismiss")
    ]


class RussianSelect(Select[T]):
    """A Select whose open list speaks Russian; otherwise Textual's Select as it is."""

    def compose(self) -> ComposeResult:
        """As `Select.compose`, with the Russian overlay."""
        yield SelectCurrent(self.prompt)
        yield RussianSelectOverlay(type_to_search=self._type_to_search).data_bind(
            compact=Select.compact
        )
