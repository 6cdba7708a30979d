"""The command palette (ctrl+p): the app's main actions, plus those of the current screen."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from privet_tui.tui import texts
from privet_tui.tui.drafts import unless_unsaved_anywhere
from privet_tui.tui.quitting import ask_to_quit

if TYPE_CHECKING:
    from textual.app import App

    from privet_tui.tui.session import Session

__all__ = ["Command", "HasCommands", "PrivetCommands"]


@dataclass(frozen=True)
class Command:
    """One palette entry: what it is called, a line of help, and what it does."""

    title: str
    help: str
    run: Callable[[], Any]


@runtime_checkable
class HasCommands(Protocol):
    """A screen that adds its own entries to the palette."""

    def palette_commands(self) -> Iterable[Command]: ...


class PrivetCommands(Provider):
    """State-aware: logged out there is little to do; on a card its actions come first."""

    def _commands(self) -> list[Command]:
        app = cast("Session", self.app)
        found: list[Command] = []
        if isinstance(self.screen, HasCommands):
            found.extend(self.screen.palette_commands())
        if app.actor is not None:
            found += [
                Command(texts.CMD_FIND, texts.CMD_FIND_HELP, _task(app, tab=None, search=True)),
                Command(texts.CMD_NEW, texts.CMD_NEW_HELP, _task(app, tab="new")),
                Command(texts.CMD_MINE, texts.CMD_MINE_HELP, _task(app, tab="mine")),
                Command(texts.CMD_PROCESSED, texts.CMD_PROCESSED_HELP, _task(app, tab="processed")),
                Command(texts.CMD_REPORT, texts.CMD_REPORT_HELP, app.action_report),
                Command(texts.CMD_LOCK, texts.CMD_LOCK_HELP, app.action_lock),
                Command(texts.CMD_LOGOUT, texts.CMD_LOGOUT_HELP, app.action_logout),
            ]
        found += [
            Command(texts.CMD_HELP, texts.CMD_HELP_HELP, app.action_help),
            Command(texts.CMD_QUIT, texts.CMD_QUIT_HELP, lambda: ask_to_quit(self.app)),
        ]
        return found

    async def discover(self) -> Hits:
        """Everything, in order, before anything is typed."""
        for command in self._commands():
            yield DiscoveryHit(command.title, command.run, text=command.title, help=command.help)

    async def search(self, query: str) -> Hits:
        """Fuzzy match on the titles; when nothing matches, one entry says so in Russian
        (Textual's own «No matches found» shows only when no provider yields a hit, and it
        has no hook for its words)."""
        matcher = self.matcher(query)
        found = False
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                found = True
                yield Hit(
                    score,
                    matcher.highlight(command.title),
                    command.run,
                    text=command.title,
                    help=command.help,
                )
        if not found:
            yield Hit(1, texts.PALETTE_NOTHING, _nothing, help=texts.PALETTE_NOTHING_HELP)


def _nothing() -> None:
    """The «nothing found» entry does nothing when chosen."""


def _task(app: Session, *, tab: Any, search: bool = False) -> Callable[[], None]:
    """A palette callback that runs the async navigation in the app's loop."""

    def go() -> None:
        app.run_worker(app.show_clients(tab, search=search), group="navigation", exclusive=True)

    def run() -> None:  # the list closes every screen above it: typed input asks first
        unless_unsaved_anywhere(cast("App[Any]", app), go)

    return run
