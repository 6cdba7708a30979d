"""Typed input is never thrown away without a question (issue 11, item 2).

A screen that holds a form says what of it is unsaved through `unsaved_fields()` (the labels
of the fields whose text differs from what was loaded or last saved) and names itself with
`draft_title`. Leaving such a screen (Esc, `b`), closing the program, logging out (from the
palette or from the idle lock) first asks, naming the fields; an unchanged form leaves at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from textual.app import App
from textual.screen import Screen

from privet_tui.tui import texts_drafts as d
from privet_tui.tui.widgets.confirm import ConfirmModal

__all__ = [
    "LEAVE_QUESTION",
    "Drafted",
    "leave_question",
    "unless_unsaved",
    "unless_unsaved_anywhere",
    "unsaved_screens",
]

#: The id of the «уйти без сохранения?» question, so that a second Esc does not stack one.
LEAVE_QUESTION = "leave-question"


@runtime_checkable
class Drafted(Protocol):
    """A screen with typed input that may be unsaved."""

    @property
    def draft_title(self) -> str:
        """How the questions name the screen («шаг 1 «Контакты»»)."""
        ...

    def unsaved_fields(self) -> list[str]:
        """Labels of the fields whose text differs from what was loaded or saved."""
        ...


def unsaved_screens(app: App[Any]) -> list[str]:
    """Each open screen with unsaved input as «screen (field, field)», bottom to top."""
    found: list[str] = []
    for screen in app.screen_stack:
        if isinstance(screen, Drafted) and (fields := screen.unsaved_fields()):
            found.append(d.WHERE.format(screen=screen.draft_title, fields=", ".join(fields)))
    return found


def leave_question(
    title: str, message: str, *, id: str | None = None, deliberate: bool = False
) -> ConfirmModal:
    """A question whose yes throws typed input away: «Уйти» / «Остаться», «Остаться» focused,
    Esc or `n` stays, and only the «Уйти» button itself leaves (no letter does)."""
    return ConfirmModal(
        title,
        message,
        yes_label=d.LEAVE_GO,
        no_label=d.LEAVE_STAY,
        yes_by_key=False,
        deliberate=deliberate,
        id=id,
    )


def unless_unsaved(screen: Screen[Any], proceed: Callable[[], object]) -> None:
    """Run `proceed` (leaving `screen`) at once when nothing typed on it is unsaved, else
    after the master chose «Уйти»; «Остаться» (or Esc) keeps the screen and its text."""
    fields = screen.unsaved_fields() if isinstance(screen, Drafted) else []
    if not fields:
        proceed()
        return
    _ask_to_leave(screen.app, d.LEAVE.format(fields=", ".join(fields)), proceed)


def unless_unsaved_anywhere(app: App[Any], proceed: Callable[[], object]) -> None:
    """Run `proceed` (which closes every screen above the client list: the palette's tabs)
    at once, or after «Уйти» when any open screen holds unsaved input."""
    unsaved = unsaved_screens(app)
    if not unsaved:
        proceed()
        return
    _ask_to_leave(app, d.LEAVE.format(fields="; ".join(unsaved)), proceed)


def _ask_to_leave(app: App[Any], message: str, proceed: Callable[[], object]) -> None:
    if any(each.id == LEAVE_QUESTION for each in app.screen_stack):
        return  # already asked (a second Esc arrived)

    def answered(leave: bool | None) -> None:
        if leave:
            proceed()

    app.push_screen(leave_question(d.LEAVE_TITLE, message, id=LEAVE_QUESTION), answered)
