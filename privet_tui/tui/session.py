"""What screens and the palette need from the running app — the master's session — as a
protocol, so they depend on this small surface and not on `app.py` (which imports them)."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from concurrent.futures import Future

    from textual.signal import Signal
    from textual.worker import Worker

    from privet_tui.config import Settings
    from privet_tui.services.actor import Actor
    from privet_tui.services.clients.listing import ClientPage, Tab
    from privet_tui.services.gateway import Gateway
    from privet_tui.services.live import Notice

__all__ = ["Session"]


class Session(Protocol):
    """The app as its screens see it: who is logged in, the gateway, live updates, the one
    failure handler and the app-wide actions the palette offers."""

    actor: Actor | None
    live: Signal[Notice]
    settings: Settings

    @property
    def gateway(self) -> Gateway: ...

    def start_session(self, actor: Actor, first_page: Future[ClientPage] | None = None) -> None: ...

    def report_failure(self, error: BaseException | None) -> None: ...

    def show_clients(
        self, tab: Tab | None = None, *, search: bool = False
    ) -> Coroutine[Any, Any, None]: ...

    def action_lock(self) -> None: ...

    def action_logout(self) -> None: ...

    def action_help(self) -> None: ...

    def action_report(self) -> None: ...

    def exit(self, *args: Any, **kwargs: Any) -> None: ...

    def run_worker(self, work: Any, *args: Any, **kwargs: Any) -> Worker[Any]: ...
