"""Live updates: a LISTEN connection held in a thread, turned into plain `Notice`s.

The UI never sees the connection or its DSN: `Gateway.live_feed(on_notice, on_status)`
builds a `LiveFeed`, and the TUI runs it in a daemon thread and turns the callbacks into
its own messages. A notice caused by this process's own transaction (its `origin`, set by
the gateway) is marked `own`, so a screen need not re-read what it just wrote.

The thread blocks in `Connection.notifies(timeout=…)` (no polling: it sleeps in the kernel
until the server sends something); every `timeout` seconds it pings the server so a dead
connection is noticed, and it reconnects with a back-off. `stop()` shuts the socket down
from the app's thread, which wakes the blocked thread at once.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from privet_tui.services.channels import CLIENTS_CHANNEL, TICKETS_CHANNEL

if TYPE_CHECKING:
    import psycopg

__all__ = ["RESYNC", "LiveFeed", "Notice"]

log = logging.getLogger(__name__)

#: Seconds to wait between reconnection attempts (the last one repeats).
BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0)


@dataclass(frozen=True)
class Notice:
    """One notification: its channel and JSON payload (`client_id`, `user_id`, …)."""

    channel: str
    payload: dict[str, Any] = field(default_factory=dict)
    #: True when this process's own transaction sent it.
    own: bool = False

    def user_id(self) -> int | None:
        """The person the notification is about, when it says."""
        value = self.payload.get("user_id")
        return value if isinstance(value, int) else None


#: Published after a reconnect: notifications may have been missed, reload everything.
RESYNC = Notice("")


class LiveFeed:
    """LISTEN on the workflow channels until `stop()`; calls `on_notice(Notice)` for each
    notification and `on_status(connected)` when the connection is lost or back.

    `dsn` may be a callable, resolved in the feed's thread (it may open the database);
    `origin` marks the notices of this process's own transactions as `own`.
    """

    def __init__(
        self,
        dsn: str | Callable[[], str],
        on_notice: Callable[[Notice], object],
        on_status: Callable[[bool], object],
        *,
        origin: str | None = None,
        channels: Sequence[str] | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.dsn = dsn
        self.on_notice = on_notice
        self.on_status = on_status
        self.origin = origin
        self.channels = channels
        self.timeout = timeout
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._conn: psycopg.Connection[Any] | None = None
        #: True once the current connection is listening (resets the back-off).
        self.listening = False

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        """Listen, reconnecting on failure, until stopped; blocking (run it in a thread)."""
        import psycopg

        channels = self.channels or (CLIENTS_CHANNEL, TICKETS_CHANNEL)
        failures = 0
        while not self._stop.is_set():
            self.listening = False
            try:
                self._listen_once(channels)
            except psycopg.Error as exc:
                if self._stop.is_set():
                    break
                log.warning("live updates lost: %s", exc.__class__.__name__)
                self.on_status(False)
            failures = 0 if self.listening else failures + 1
            self._stop.wait(BACKOFF[min(failures, len(BACKOFF) - 1)])

    def _listen_once(self, channels: Sequence[str]) -> None:
        import psycopg
        from psycopg import sql

        dsn = self.dsn if isinstance(self.dsn, str) else self.dsn()
        conn: psycopg.Connection[Any] = psycopg.connect(
            dsn, autocommit=True, connect_timeout=5, application_name="privet-tui live"
        )
        with self._lock:
            self._conn = conn
        try:
            if self._stop.is_set():
                return
            for channel in channels:
                conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
            self.listening = True
            self.on_status(True)
            while not self._stop.is_set():
                for note in conn.notifies(timeout=self.timeout):
                    payload = _payload(note.payload)
                    own = self.origin is not None and payload.get("origin") == self.origin
                    self.on_notice(Notice(note.channel, payload, own))
                if not self._stop.is_set():
                    conn.execute("SELECT 1")  # a dead server shows up here, not never
        finally:
            with self._lock:
                self._conn = None
            with contextlib.suppress(Exception):
                conn.close()

    def stop(self) -> None:
        """Ask the thread to finish and wake it if it is blocked; safe from any thread."""
        self._stop.set()
        with self._lock:
            conn = self._conn
        if conn is None:
            return
        # Shut the socket down (not close: the fd stays the listener's to close), so the
        # blocked wait returns at once with an error that the stopped loop ignores.
        with contextlib.suppress(OSError, ValueError):
            dup = socket.socket(fileno=os.dup(conn.fileno()))
            try:
                dup.shutdown(socket.SHUT_RDWR)
            finally:
                dup.close()


def _payload(raw: str) -> dict[str, Any]:
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
