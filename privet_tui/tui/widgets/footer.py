"""The footer of every screen: all its keys on a wide terminal, on a narrow one (a phone)
only the few that matter there and «?» for the rest.

Every key in it is a tap target: Textual's `FooterKey` presses its key on a mouse click,
which is what a phone's ssh client sends for a tap.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

__all__ = ["PrivetFooter", "compact_actions"]

#: Kept on a narrow terminal on every screen.
ALWAYS: frozenset[str] = frozenset({"help"})


def compact_actions(screen: object) -> frozenset[str] | None:
    """The actions a screen keeps in its narrow footer (its `COMPACT_FOOTER`), or None for
    every key."""
    chosen: Iterable[str] | None = getattr(screen, "COMPACT_FOOTER", None)
    return None if chosen is None else frozenset(chosen) | ALWAYS


class PrivetFooter(Footer):
    """A Footer whose keys outside the screen's `COMPACT_FOOTER` carry the class
    `-secondary`, hidden under a `-narrow` screen (app.tcss)."""

    def __init__(self) -> None:
        super().__init__(show_command_palette=False)

    def compose(self) -> ComposeResult:
        keep = compact_actions(self.screen)
        run: list[FooterKey] = []  # the keys of a binding group, before its label
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                if keep is not None and widget.action not in keep:
                    widget.add_class("-secondary")
                run = [*run, widget] if widget.has_class("-grouped") else []
            elif isinstance(widget, FooterLabel):
                if run and all(key.has_class("-secondary") for key in run):
                    widget.add_class("-secondary")
                run = []
            yield widget
        self.call_after_refresh(self._hide_empty_groups)

    def _hide_empty_groups(self) -> None:
        """A key group whose every key is secondary is secondary itself (its margin)."""
        for group in self.query(KeyGroup):
            keys = list(group.query(FooterKey))
            hidden = bool(keys) and all(key.has_class("-secondary") for key in keys)
            group.set_class(hidden, "-secondary")
