"""The idle lock and session-expiry prompt: covers the screen until the password is given.

The screens beneath stay as they were, typed input included; logging out from here asks
first when that input is unsaved (a log-out must leave nothing behind, so it is not kept as
a draft for the next login: it may hold a client's passport)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Static
from textual.worker import Worker

from privet_tui.errors import AuthError
from privet_tui.services.accounts import LoginRefused
from privet_tui.services.actor import Actor
from privet_tui.tui import texts
from privet_tui.tui.quitting import ask_to_log_out
from privet_tui.tui.screens.base import PrivetModal
from privet_tui.tui.texts_steps import ERROR_MARK
from privet_tui.tui.widgets.footer import PrivetFooter

__all__ = ["LockScreen"]


class LockScreen(PrivetModal[bool]):
    """Dismissed with True once the password checks out, False when the master logs out."""

    CSS_PATH = "lock.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "unlock",
            texts.KEY_UNLOCK,
            id="lock.unlock",
            key_display="Enter",
            tooltip=texts.KEY_UNLOCK,
            priority=True,  # shown in the footer while the password field has the focus
        ),
        Binding(
            "ctrl+o",
            "logout",
            texts.LOCK_LOGOUT,
            id="lock.logout",
            key_display="^o",
            tooltip=texts.KEY_LOGOUT_TIP,
        ),
    ]

    class Verified(Message):
        """The password was right."""

    class Refused(Message):
        """Wrong password or a lockout, worded by the service."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(self, actor: Actor, reason: str) -> None:
        super().__init__()
        self.actor = actor
        self.reason = reason
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="lock-box"):
            yield Label(Text(self.reason), id="lock-reason")
            yield Static(
                Text(texts.LOCK_PROMPT.format(name=self.actor.name, email=self.actor.email)),
                id="lock-prompt",
            )
            yield Input(password=True, id="lock-password", max_length=256)
            yield Static("", id="lock-error")
            with Horizontal(id="lock-buttons"):
                yield Button(texts.KEY_UNLOCK, id="unlock", variant="primary")
                yield Button(texts.LOCK_LOGOUT, id="logout")
        yield PrivetFooter()

    def on_mount(self) -> None:
        self.query_one("#lock-password", Input).focus()

    def action_unlock(self) -> None:
        """Enter: once the field has taken every key typed before it (see the login form)."""
        self.query_one("#lock-password", Input).call_later(self._unlock_now)

    @on(Button.Pressed, "#unlock")
    def _unlock_now(self) -> None:
        """Check the password in a worker (Enter on «Выйти» logs out instead)."""
        if isinstance(self.focused, Button) and self.focused.id == "logout":
            self.action_logout()
            return
        password = self.query_one("#lock-password", Input).value
        if self._busy:
            return
        if not password:
            self._show_error(texts.LOGIN_NEED_PASSWORD)
            return
        self._set_busy(True)
        self.verify(password)

    @on(Button.Pressed, "#logout")
    def action_logout(self) -> None:
        """Give up the session (the app returns to the login form); when a screen beneath
        holds unsaved input, only after «Уйти» (`quitting.ask_to_log_out`): the lock itself
        keeps every screen and what was typed on it."""
        ask_to_log_out(self.app, lambda: self.dismiss(False), always=False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="unlock")
    def verify(self, password: str) -> None:
        """Re-check the password (wrong tries count towards the lockout, as at login)."""
        try:
            self.privet.gateway.verify_password(self.actor, password)
        except LoginRefused as exc:
            # the email is not typed here: a wrong password is named as such
            wrong = exc.tries_left is not None
            reason = texts.LOCK_WRONG.format(tries=exc.tries_left) if wrong else exc.message
            self.post_message(self.Refused(reason))
            return
        except AuthError as exc:
            self.post_message(self.Refused(exc.message))
            return
        self.post_message(self.Verified())

    def on_lock_screen_verified(self) -> None:
        self.dismiss(True)

    def on_lock_screen_refused(self, message: Refused) -> None:
        self._set_busy(False)
        self._show_error(message.reason)
        field = self.query_one("#lock-password", Input)
        field.clear()
        field.focus()

    def worker_failed(self, worker: Worker[object]) -> None:
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.query_one("#unlock", Button).disabled = busy
        if busy:
            self._show_error(texts.LOCK_CHECKING)

    def _show_error(self, message: str) -> None:
        # a mark beside the error colour: readable without colour (NO_COLOR, 16 colours)
        shown = Text(f"{ERROR_MARK} {message}") if message else Text("")
        self.query_one("#lock-error", Static).update(shown)
