"""The login form: email, password, Enter; the check runs in a thread worker."""

from __future__ import annotations

from concurrent.futures import Future
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Static
from textual.worker import Worker

from privet_tui.errors import AuthError, ValidationError
from privet_tui.services.actor import Actor
from privet_tui.services.clients.listing import ClientPage
from privet_tui.tui import texts
from privet_tui.tui.screens.base import PrivetScreen
from privet_tui.tui.texts_steps import ERROR_MARK
from privet_tui.tui.widgets.footer import PrivetFooter

__all__ = ["LoginScreen"]


class LoginScreen(PrivetScreen[None]):
    """Opens with the cursor in the email field; errors appear under the form."""

    CSS_PATH = "login.tcss"
    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority bindings: shown in the footer although an Input has the focus, and keys
        # typed right after Tab already land in the next field.
        Binding(
            "enter",
            "enter",
            texts.KEY_LOGIN,
            id="login.submit",
            tooltip=texts.KEY_LOGIN_TIP,
            key_display="Enter",
            priority=True,
        ),
        Binding(
            "tab",
            "app.focus_next",
            texts.KEY_NEXT_FIELD,
            id="login.next",
            tooltip=texts.KEY_NEXT_FIELD_TIP,
            key_display="Tab",
            priority=True,
        ),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
    ]
    #: On a phone: log in, next field, quit and help (widgets/footer.py); the palette under «?».
    COMPACT_FOOTER: ClassVar[frozenset[str]] = frozenset({"enter", "app.focus_next", "quit"})

    class Succeeded(Message):
        """The password was right; `first_page` comes while the list screen is built."""

        def __init__(self, actor: Actor, first_page: Future[ClientPage]) -> None:
            super().__init__()
            self.actor = actor
            self.first_page = first_page

    class Failed(Message):
        """Wrong password, lockout or a disabled account, worded by the service."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(self, email: str | None = None, *, note: str | None = None) -> None:
        super().__init__()
        self._email = email or ""
        self._note = note
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="login-box"):
            yield Label(texts.LOGIN_HEADING, id="login-heading")
            if self._note:
                yield Static(self._note, id="login-note", markup=False)
            yield Label(texts.LOGIN_EMAIL, classes="field-label")
            yield Input(
                self._email,
                placeholder=texts.LOGIN_EMAIL_PLACEHOLDER,
                id="email",
                max_length=254,
            )
            yield Label(texts.LOGIN_PASSWORD, classes="field-label")
            yield Input(password=True, id="password", max_length=256)
            yield Button(texts.LOGIN_BUTTON, id="login", variant="primary")
            yield Static("", id="login-error")
            yield Static(texts.LOGIN_HINT, id="login-hint")
        yield PrivetFooter()

    def on_mount(self) -> None:
        """The cursor starts in the email field (in the password one when email is known)."""
        target = "#password" if self._email else "#email"
        self.query_one(target, Input).focus()

    def action_enter(self) -> None:
        """Enter in the email field moves on to the password; elsewhere it logs in."""
        # A priority key is handled before keys typed earlier reach the fields (a paste, a
        # fast typist): act only once both fields have worked through their queues.
        email = self.query_one("#email", Input)
        password = self.query_one("#password", Input)
        email.call_later(password.call_later, self._enter_now)

    def _enter_now(self) -> None:
        email = self.query_one("#email", Input)
        if self.focused is email and email.value and not self.query_one("#password", Input).value:
            self.query_one("#password", Input).focus()
        else:
            self.action_submit()

    @on(Button.Pressed, "#login")
    def action_submit(self) -> None:
        """Check the email and password in a worker; the form stays as typed meanwhile."""
        if self._busy:
            return
        email = self.query_one("#email", Input)
        password = self.query_one("#password", Input)
        if not email.value.strip():
            self._show_error(texts.LOGIN_NEED_EMAIL)
            email.focus()
            return
        if not password.value:
            self._show_error(texts.LOGIN_NEED_PASSWORD)
            password.focus()
            return
        self._set_busy(True)
        self._show_error("")
        self.check_login(email.value.strip(), password.value)
        self.call_after_refresh(self._read_next_styles)

    def _read_next_styles(self) -> None:
        """Parse the list's and the card's stylesheets while argon2 runs in its thread (the
        whole app's CSS is parsed again when a screen brings a new file: ~40 ms, which would
        otherwise fall between the login and the list)."""
        from privet_tui.tui.screens.card import CardScreen
        from privet_tui.tui.screens.clients import ClientsScreen

        stylesheet, read = self.app.stylesheet, False
        for screen in (ClientsScreen(), CardScreen(0)):
            for path in screen.css_path:  # as App._load_screen_css, with one parse for both
                if not stylesheet.has_source(str(path), ""):
                    stylesheet.read(path)
                    read = True
        if read:
            stylesheet.reparse()
            stylesheet.update(self.app)

    @work(thread=True, exclusive=True, exit_on_error=False, group="login")
    def check_login(self, email: str, password: str) -> None:
        """Ask the accounts service; expected refusals come back as a Failed message."""
        try:
            actor = self.privet.gateway.login(email, password)
        except (AuthError, ValidationError) as exc:
            self.post_message(self.Failed(exc.message))
            return
        # The list's first page is fetched here, while the main thread switches screens.
        from privet_tui.tui.screens.clients import FIRST_TAB, PAGE_SIZE

        first_page: Future[ClientPage] = Future()
        self.post_message(self.Succeeded(actor, first_page))
        try:
            page = self.privet.gateway.list_clients(actor, FIRST_TAB, search="", limit=PAGE_SIZE)
        except Exception as exc:  # the list screen fetches it again itself
            first_page.set_exception(exc)
        else:
            first_page.set_result(page)

    def on_login_screen_succeeded(self, message: Succeeded) -> None:
        self._set_busy(False)
        self.privet.start_session(message.actor, message.first_page)

    def on_login_screen_failed(self, message: Failed) -> None:
        self._set_busy(False)
        self._show_error(message.reason)
        password = self.query_one("#password", Input)
        password.clear()
        password.focus()

    def worker_failed(self, worker: Worker[object]) -> None:
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        button = self.query_one("#login", Button)
        button.label = texts.LOGIN_CHECKING if busy else texts.LOGIN_BUTTON
        button.disabled = busy

    def _show_error(self, message: str) -> None:
        # a mark beside the error colour: readable without colour (NO_COLOR, 16 colours)
        shown = Text(f"{ERROR_MARK} {message}") if message else Text("")
        self.query_one("#login-error", Static).update(shown)
