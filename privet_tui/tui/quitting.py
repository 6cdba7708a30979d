"""Closing the program and logging out: always a deliberate question first (Ctrl+Q, the
palette), naming what typed input would be lost (`drafts.unsaved_screens`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App

from privet_tui.tui import texts
from privet_tui.tui import texts_drafts as d
from privet_tui.tui.drafts import leave_question, unsaved_screens
from privet_tui.tui.widgets.confirm import ConfirmModal

__all__ = ["QUIT_QUESTION", "ask_to_log_out", "ask_to_quit"]

#: The id of the «close the program?» question, so that a second Ctrl+Q does not stack one.
QUIT_QUESTION = "quit-question"


def ask_to_quit(app: App[Any]) -> None:
    """Ask whether to close (a stray or pasted Ctrl+Q cannot answer it), then exit on yes.
    With unsaved input on an open screen the question names it and only «Уйти» closes."""
    if any(screen.id == QUIT_QUESTION for screen in app.screen_stack):
        return
    unsaved = unsaved_screens(app)
    if unsaved:
        message = d.QUIT_UNSAVED.format(where="; ".join(unsaved))
        question = leave_question(
            texts.QUIT_CONFIRM_TITLE, message, id=QUIT_QUESTION, deliberate=True
        )
    else:
        question = ConfirmModal(
            texts.QUIT_CONFIRM_TITLE, texts.QUIT_CONFIRM, deliberate=True, id=QUIT_QUESTION
        )
    app.push_screen(question, lambda yes: app.exit() if yes else None)


def ask_to_log_out(app: App[Any], log_out: Callable[[], object], *, always: bool) -> None:
    """Run `log_out` after a question: always (`always`, the palette's «Выйти»), or only when
    typed input would be lost (the idle lock's «Выйти»: the master chose it on that screen)."""
    unsaved = unsaved_screens(app)

    def answered(yes: bool | None) -> None:
        if yes:
            log_out()

    if unsaved:
        message = d.LOGOUT_UNSAVED.format(where="; ".join(unsaved))
        app.push_screen(leave_question(texts.LOGOUT_CONFIRM_TITLE, message), answered)
    elif always:
        app.push_screen(ConfirmModal(texts.LOGOUT_CONFIRM_TITLE, texts.LOGOUT_CONFIRM), answered)
    else:
        log_out()
