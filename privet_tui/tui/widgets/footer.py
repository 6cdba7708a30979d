"""The footer of every screen: all its keys on a wide terminal, on a narrow one (a phone)
only the few that matter there and «?» for the rest.

Every key in it is a tap target: Textual's `FooterKey` presses its key on a mouse click,
which is what a phone's ssh client sends for a tap.

Built for speed (issue 14): Textual restyles a node the moment one of its classes changes,
so the keys are born with their final classes, and the footer is rebuilt only when what it
shows changes (the screen's bindings are announced again on every focus change).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import groupby

from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

__all__ = ["PrivetFooter", "compact_actions"]

#: Kept on a narrow terminal on every screen.
ALWAYS: frozenset[str] = frozenset({"help"})

#: What the footer shows: per key (key, display, description, action, enabled, tooltip,
#: group description or None).
Shown = tuple[tuple[str, str, str, str, bool, str, str | None], ...]


def compact_actions(screen: object) -> frozenset[str] | None:
    """The actions a screen keeps in its narrow footer (its `COMPACT_FOOTER`), or None for
    every key."""
    chosen: Iterable[str] | None = getattr(screen, "COMPACT_FOOTER", None)
    return None if chosen is None else frozenset(chosen) | ALWAYS


class PrivetFooterKey(FooterKey):
    """Textual's key with its `compact` starting as the footer's (never compact here): the
    stock one starts compact and is switched back on mount, two restyles per key."""

    compact = reactive(False, init=False)


class PrivetFooter(Footer):
    """A Footer whose keys outside the screen's `COMPACT_FOOTER` carry the class
    `-secondary`, hidden under a `-narrow` screen (app.tcss); a group whose every key is
    secondary is secondary itself (its margin)."""

    def __init__(self) -> None:
        super().__init__(show_command_palette=False)
        self._shown: Shown | None = None

    def _shown_bindings(self) -> list[tuple[Binding, bool, str]]:
        return [
            (binding, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        ]

    def _what_to_show(self) -> Shown:
        app = self.app
        return tuple(
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                enabled,
                tooltip,
                None if binding.group is None else binding.group.description,
            )
            for binding, enabled, tooltip in self._shown_bindings()
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Rebuild only when the keys shown differ from those on screen."""
        if self.is_attached and screen is self.screen and self._shown is not None:
            self._bindings_ready = True
            if self._what_to_show() == self._shown:
                return
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        """Textual's footer layout (one key per action, groups joined under their label),
        with the final classes given at birth."""
        if not self._bindings_ready:
            return
        self._shown = self._what_to_show()
        keep = compact_actions(self.screen)
        by_action: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
        for binding, enabled, tooltip in self._shown_bindings():
            by_action[binding.action].append((binding, enabled, tooltip))

        def secondary(action: str) -> bool:
            return keep is not None and action not in keep

        def key(binding: Binding, enabled: bool, tooltip: str, grouped: bool) -> FooterKey:
            classes = " ".join(
                name
                for name, wanted in (
                    ("-grouped", grouped),
                    ("-secondary", secondary(binding.action)),
                )
                if wanted
            )
            return PrivetFooterKey(
                binding.key,
                self.app.get_key_display(binding),
                "" if grouped else binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=(tooltip or binding.description) if grouped else tooltip,
                classes=classes,
            ).data_bind(compact=Footer.compact)

        for group, runs in groupby(by_action.values(), lambda run: run[0][0].group):
            firsts = [run[0] for run in runs]
            if group is not None and len(firsts) > 1:
                hidden = all(secondary(binding.action) for binding, _, _ in firsts)
                label_classes = "-secondary" if hidden else ""
                group_classes = " ".join(
                    name
                    for name, wanted in (("-compact", group.compact), ("-secondary", hidden))
                    if wanted
                )
                with KeyGroup(classes=group_classes):
                    for binding, enabled, tooltip in firsts:
                        yield key(binding, enabled, tooltip, grouped=True)
                yield FooterLabel(group.description, classes=label_classes)
            else:
                for binding, enabled, tooltip in firsts:
                    yield key(binding, enabled, tooltip, grouped=False)
