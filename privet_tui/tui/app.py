"""The Textual application: session state, timers, live updates and the one error handler.

The login screen paints first; the database layer (SQLAlchemy, the Gateway) is imported
and connected in a thread worker after that, so the first paint costs only Textual.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import App
from textual.binding import BindingType
from textual.command import CommandPalette
from textual.signal import Signal
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from privet_tui import paths
from privet_tui.config import Settings
from privet_tui.errors import PrivetError
from privet_tui.services.actor import Actor
from privet_tui.services.live import RESYNC, LiveFeed, Notice
from privet_tui.tui import hangup, texts
from privet_tui.tui.app_keys import APP_BINDINGS
from privet_tui.tui.commands import PrivetCommands
from privet_tui.tui.live import LiveEvent, LiveStatus
from privet_tui.tui.paste_guard import PasteGuardDriver
from privet_tui.tui.quitting import ask_to_log_out, ask_to_quit
from privet_tui.tui.screens.login import LoginScreen
from privet_tui.tui.screens.too_small import (
    HORIZONTAL_BREAKPOINTS,
    VERTICAL_BREAKPOINTS,
    sync_size_notice,
)
from privet_tui.tui.widgets.confirm import ConfirmModal

if TYPE_CHECKING:
    from concurrent.futures import Future

    from privet_tui.services.clients.listing import ClientPage, Tab
    from privet_tui.services.gateway import Gateway
    from privet_tui.tui.session import Session

__all__ = ["PrivetApp", "create_app"]

log = logging.getLogger(__name__)

#: How often the idle and session-expiry timers are checked; low, so an idle app sleeps.
TIMER_CHECK_SECONDS = 5.0
#: Textual's blank default screen, then the login or client list: never popped below this.
_BASE_DEPTH = 2


class PrivetApp(App[None]):
    """The master's terminal: login, client list, client card and the step screens."""

    CSS_PATH = "app.tcss"
    TITLE = texts.APP_TITLE
    ENABLE_COMMAND_PALETTE = True
    COMMANDS: ClassVar[set[Any]] = {PrivetCommands}
    HORIZONTAL_BREAKPOINTS = HORIZONTAL_BREAKPOINTS
    VERTICAL_BREAKPOINTS = VERTICAL_BREAKPOINTS
    BINDINGS: ClassVar[list[BindingType]] = APP_BINDINGS

    def __init__(
        self,
        settings: Settings,
        *,
        gateway: Gateway | None = None,
        login_email: str | None = None,
        login_note: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        live_updates: bool = True,
    ) -> None:
        super().__init__(driver_class=PasteGuardDriver)
        self.settings = settings
        self.login_email = login_email
        #: A line the login screen shows (the demo's accounts and password).
        self.login_note = login_note
        self.clock = clock
        self.live_updates = live_updates
        self.actor: Actor | None = None
        self.locked = False
        self.live: Signal[Notice] = Signal(self, "live")
        self._gateway = gateway
        self._owns_gateway = gateway is None
        self._gateway_lock = threading.Lock()
        self._listener: LiveFeed | None = None
        self.session_timer: Timer | None = None
        self._live_lost = False
        self._last_input = clock()
        self._login_at = clock()

    # --- the database door ----------------------------------------------------------------

    @property
    def gateway(self) -> Gateway:
        """The Gateway, created on first use; blocking, so call it from thread workers only."""
        with self._gateway_lock:
            if self._gateway is None:
                from privet_tui.services.gateway import open_gateway

                self._gateway = open_gateway(self.settings)
            return self._gateway

    @work(thread=True, exclusive=True, exit_on_error=False, group="warm-up")
    def warm_up(self) -> None:
        """Import the database layer and the next screens, and connect, while the master
        types the password (imports are thread-safe; nothing here touches a widget)."""
        self.gateway.connect()
        import privet_tui.tui.screens.card
        import privet_tui.tui.screens.clients  # noqa: F401

    # --- lifecycle ------------------------------------------------------------------------

    def on_mount(self) -> None:
        """Show the login; warm up the database after the first paint; start the timers."""
        hangup.install(self)
        self.push_screen(LoginScreen(self.login_email, note=self.login_note))
        self.call_after_refresh(self.warm_up)
        self.call_after_refresh(lambda: self.sync_size_notice(*self.size))
        self.session_timer = self.set_interval(TIMER_CHECK_SECONDS, self.check_session_timers)

    def on_unmount(self) -> None:
        """Stop the listener and close the pool on the way out."""
        self._stop_live()
        if self._owns_gateway and self._gateway is not None:
            self._gateway.close()

    async def on_event(self, event: events.Event) -> None:
        """Every key press or mouse action counts as activity for the idle lock."""
        if isinstance(event, events.Key | events.MouseEvent):
            self._last_input = self.clock()
        await super().on_event(event)

    def on_resize(self, event: events.Resize) -> None:
        """Cover the screen with a notice while the terminal is smaller than 48x16."""
        self.sync_size_notice(event.size.width, event.size.height)

    def sync_size_notice(self, width: int, height: int) -> None:
        """Push or pop the «увеличьте окно» notice: `too_small.sync_size_notice`."""
        sync_size_notice(self, width, height)

    # --- session --------------------------------------------------------------------------

    def start_session(self, actor: Actor, first_page: Future[ClientPage] | None = None) -> None:
        """After a successful login: remember the master, start live updates, show clients
        (`first_page`: the «Новые» tab's first page, being fetched by the login's worker)."""
        from privet_tui.tui.screens.clients import ClientsScreen

        self.actor = actor
        self.locked = False
        self._login_at = self._last_input = self.clock()
        self.sub_title = actor.name
        self._start_live()
        self.switch_screen(ClientsScreen(first_page=first_page))

    async def action_quit(self) -> None:
        """Ask first: `quitting.ask_to_quit`."""
        ask_to_quit(self)

    def action_help_quit(self) -> None:
        """Ctrl+C out of habit: say in Russian which key closes the program."""
        self.notify(texts.QUIT_HINT, title=texts.QUIT_CONFIRM_TITLE, markup=False)

    def action_logout(self) -> None:
        """Ask (naming unsaved input), then end the session: `quitting.ask_to_log_out`."""
        if self.actor is not None:
            ask_to_log_out(self, self.logout, always=True)

    @work(exclusive=True, group="navigation")
    async def logout(self) -> None:
        """End the session at once: stop live updates, drop every screen, show the login."""
        email = self.actor.email if self.actor else self.login_email
        self._stop_live()
        self.actor = None
        self.locked = False
        self.sub_title = ""
        while len(self.screen_stack) > _BASE_DEPTH:
            await self.pop_screen()
        await self.switch_screen(LoginScreen(email, note=self.login_note))

    def check_session_timers(self) -> None:
        """Lock the screen after the idle time, or ask the password when the session expired."""
        if self.actor is None or self.locked:
            return
        now = self.clock()
        expire = self.settings.master_access_token_expire_minutes
        idle = self.settings.idle_lock_minutes
        if now - self._login_at >= expire * 60:
            self.lock(texts.LOCK_EXPIRED.format(minutes=expire), renew_session=True)
        elif now - self._last_input >= idle * 60:
            self.lock(texts.LOCK_IDLE.format(minutes=idle))

    def action_lock(self) -> None:
        """Lock now, at the master's request."""
        if self.actor is not None and not self.locked:
            self.lock(texts.LOCK_MANUAL)

    def lock(self, reason: str, *, renew_session: bool = False) -> None:
        """Cover everything with the password prompt; the screens beneath stay as they were."""
        from privet_tui.tui.screens.lock import LockScreen

        assert self.actor is not None
        self.locked = True
        if self._palette_open():
            self.pop_screen()

        def unlocked(ok: bool | None) -> None:
            self.locked = False
            if not ok:
                self.logout()
                return
            self._last_input = self.clock()
            if renew_session:
                self._login_at = self._last_input
            self.sync_size_notice(*self.size)  # the window may have changed meanwhile

        self.push_screen(LockScreen(self.actor, reason), unlocked)

    def _palette_open(self) -> bool:
        return any(isinstance(screen, CommandPalette) for screen in self.screen_stack)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While locked, nothing but quitting; the palette and help need a logged-in master;
        nothing while a deliberate question is still deaf to keys (a burst cannot reach
        past it)."""
        if isinstance(self.screen, ConfirmModal) and self.screen.deaf:
            return False
        if self.locked:
            return action == "quit"
        if action in ("lock", "logout"):
            return self.actor is not None
        return True

    # --- navigation shared by bindings and the command palette ----------------------------

    def action_help(self) -> None:
        """Show the keys of the current screen."""
        from privet_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_report(self) -> None:
        """The period report (everyone's for an administrator, one's own for a master)."""
        from privet_tui.tui.screens.report import ReportScreen

        if self.actor is not None and not isinstance(self.screen, ReportScreen):
            self.push_screen(ReportScreen())

    def action_command_palette(self) -> None:
        """The palette with Russian placeholder text."""
        if self.use_command_palette and not self._palette_open():
            self.push_screen(
                CommandPalette(placeholder=texts.PALETTE_PLACEHOLDER, id="--command-palette")
            )

    async def show_clients(self, tab: Tab | None = None, *, search: bool = False) -> None:
        """Go back to the client list, optionally on a tab or with the search focused."""
        from privet_tui.tui.screens.clients import ClientsScreen

        if self.actor is None:
            return
        while len(self.screen_stack) > _BASE_DEPTH and not isinstance(self.screen, ClientsScreen):
            await self.pop_screen()
        screen = self.screen
        if isinstance(screen, ClientsScreen):
            if tab is not None:
                screen.show_tab(tab)
            if search:
                screen.action_search()

    # --- live updates ---------------------------------------------------------------------

    def _start_live(self) -> None:
        if not self.live_updates:
            return
        self._stop_live()
        listener = self.gateway.live_feed(
            lambda notice: self.post_message(LiveEvent(notice)),
            lambda connected: self.post_message(LiveStatus(connected)),
        )
        self._listener = listener
        # A daemon thread, not a worker: it holds a socket and must never keep a dying
        # process (a dropped ssh session) alive at interpreter shutdown.
        threading.Thread(target=listener.run, name="privet-live", daemon=True).start()

    def _stop_live(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.stop()

    def on_live_event(self, message: LiveEvent) -> None:
        """Hand a notification to every screen that subscribed."""
        self.live.publish(message.notice)

    def on_live_status(self, message: LiveStatus) -> None:
        """Say when live updates are lost and when they come back."""
        if not message.connected:
            if not self._live_lost:
                self._live_lost = True
                self.notify(texts.LIVE_LOST, severity="warning", markup=False)
        elif self._live_lost:
            self._live_lost = False
            self.notify(texts.LIVE_BACK, markup=False)
            self.live.publish(RESYNC)

    # --- the one place failures are shown -------------------------------------------------

    @on(Worker.StateChanged)
    def _app_worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.report_failure(event.worker.error)

    def report_failure(self, error: BaseException | None) -> None:
        """A PrivetError as its title and message; anything else logged, shown generically."""
        if isinstance(error, PrivetError):
            self.notify(error.message, title=error.title, severity="error", markup=False)
            return
        log.error("unexpected error in a worker", exc_info=error)
        self.notify(
            texts.ERROR_UNEXPECTED.format(path=paths.log_file()),
            title=texts.ERROR_UNEXPECTED_TITLE,
            severity="error",
            markup=False,
        )


def create_app(
    settings: Settings,
    *,
    gateway: Gateway | None = None,
    login_email: str | None = None,
    login_note: str | None = None,
    clock: Callable[[], float] = time.monotonic,
    live_updates: bool = True,
) -> PrivetApp:
    """The app as the CLI and the tests build it; `gateway`/`clock` are for tests."""
    return PrivetApp(
        settings,
        gateway=gateway,
        login_email=login_email,
        login_note=login_note,
        clock=clock,
        live_updates=live_updates,
    )


def _as_session(app: PrivetApp) -> Session:
    """Never called: mypy checks here that the app gives its screens all `Session` promises."""
    return app
