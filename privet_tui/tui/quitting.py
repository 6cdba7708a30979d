"""Closing the program: always a deliberate question first (Ctrl+Q, the palette)."""

from __future__ import annotations

from typing import Any

from textual.app import App

from privet_tui.tui import texts
from privet_tui.tui.widgets.confirm import ConfirmModal

__all__ = ["QUIT_QUESTION", "ask_to_quit"]

#: The id of the «close the program?» question, so that a second Ctrl+Q does not stack one.
QUIT_QUESTION = "quit-question"


def ask_to_quit(app: App[Any]) -> None:
    """Ask whether to close (a stray or pasted Ctrl+Q cannot answer it), then exit on yes."""
    if any(screen.id == QUIT_QUESTION for screen in app.screen_stack):
        return
    question = ConfirmModal(
        texts.QUIT_CONFIRM_TITLE, texts.QUIT_CONFIRM, deliberate=True, id=QUIT_QUESTION
    )
    app.push_screen(question, lambda yes: app.exit() if yes else None)
