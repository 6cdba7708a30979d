"""Live updates: every session polls the change feed (`master_live_events`) through its own
pool and turns new rows into plain `Notice`s.

The UI never sees the database: `Gateway.live_feed(on_notice, on_status)` builds a
`LiveFeed`, and the TUI runs it in a daemon thread and turns the callbacks into its own
messages. A notice caused by this process's own transaction (its `origin`, set by the
gateway) is marked `own`, so a screen need not re-read what it just wrote.

Why a polled feed, not LISTEN: a LISTEN needs a server session of its own per process, which
PgBouncer in transaction mode cannot give and which made 1,000 masters 1,000 idle server
connections. A poll is one short primary-key range query every `interval` seconds (2 s:
another master's change shows within ~2 s), borrowing the session's pooled connection for
about a millisecond, so an idle session holds one client connection and nothing more.

Ids are taken when a row is inserted but become visible when its transaction commits, so a
later poll may see a lower id than one already seen. The feed therefore remembers the ids it
skipped over ("gaps") and asks for them again for `GAP_PATIENCE` seconds; a gap left by a
rolled-back transaction simply expires. Nothing is delivered twice: an id is reported once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import func, or_, select
from sqlalchemy.exc import SQLAlchemyError

from privet_tui.db.models.live import MasterLiveEvent
from privet_tui.errors import DatabaseError
from privet_tui.services.channels import CLIENTS_CHANNEL, TICKETS_CHANNEL

if TYPE_CHECKING:
    from privet_tui.db.engine import Database

__all__ = ["GAP_PATIENCE", "INTERVAL", "RESYNC", "FeedCursor", "LiveFeed", "Notice"]

log = logging.getLogger(__name__)

#: Seconds between two polls of the change feed.
INTERVAL: Final = 2.0
#: Seconds a skipped id is asked for again (a transaction that took longer to commit than
#: this after its change was recorded is seen only by the resync of the screens).
GAP_PATIENCE: Final = 60.0
#: Rows read per query; more waiting rows are read at once by the next query.
BATCH: Final = 500
#: Seconds to wait between attempts after a failed poll (the last one repeats).
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


@dataclass
class FeedCursor:
    """Where a reader is in the feed: the highest id seen and the lower ids still awaited
    (id → monotonic deadline)."""

    high: int | None = None
    gaps: dict[int, float] = field(default_factory=dict)

    def query(self) -> Any:
        """The next rows: past `high`, or a gap that may have committed since."""
        row = MasterLiveEvent
        newer = row.id > (self.high or 0)
        wanted = or_(newer, row.id.in_(list(self.gaps))) if self.gaps else newer
        return (
            select(row.id, row.channel, row.payload, row.created_at)
            .where(wanted)
            .order_by(row.id)
            .limit(BATCH)
        )

    def advance(self, ids: Sequence[int], now: float) -> None:
        """Record the ids just read (ascending): forget found gaps, note new ones."""
        high = self.high or 0
        for event_id in ids:
            self.gaps.pop(event_id, None)
            if event_id > high:
                for skipped in range(high + 1, event_id):
                    self.gaps[skipped] = now + GAP_PATIENCE
                high = event_id
        self.high = high
        for stale in [i for i, deadline in self.gaps.items() if deadline < now]:
            del self.gaps[stale]


class LiveFeed:
    """Poll the change feed until `stop()`; calls `on_notice(Notice)` for each change on
    `channels` and `on_status(connected)` when the database is lost or back.

    `database` may be a callable, resolved in the feed's thread (it may open the database);
    `origin` marks the notices of this process's own transactions as `own`. The first poll
    starts at the feed's end: what happened before is on the screens already.
    """

    def __init__(
        self,
        database: Database | Callable[[], Database],
        on_notice: Callable[[Notice], object],
        on_status: Callable[[bool], object],
        *,
        origin: str | None = None,
        channels: Sequence[str] | None = None,
        interval: float = INTERVAL,
    ) -> None:
        self.database = database
        self.on_notice = on_notice
        self.on_status = on_status
        self.origin = origin
        self.channels = frozenset(channels or (CLIENTS_CHANNEL, TICKETS_CHANNEL))
        self.interval = interval
        self.cursor = FeedCursor()
        self._stop = threading.Event()
        #: True while polls succeed (resets the back-off; `on_status(True)` was sent).
        self.listening = False
        #: Called with each row's id, `created_at` and payload as it is delivered
        #: (benchmarks count losses, doubles and delays with it).
        self.observer: Callable[[int, datetime, dict[str, Any]], object] | None = None

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        """Poll until stopped, retrying with a back-off on failure; blocking (a thread)."""
        failures = 0
        while not self._stop.is_set():
            try:
                more = self.poll()
            except (SQLAlchemyError, DatabaseError) as exc:
                if self._stop.is_set():
                    break
                log.warning("live updates lost: %s", exc.__class__.__name__)
                if self.listening or failures == 0:
                    self.on_status(False)
                self.listening = False
                self._stop.wait(BACKOFF[min(failures, len(BACKOFF) - 1)])
                failures += 1
                continue
            failures = 0
            if not self.listening and not self._stop.is_set():
                self.listening = True
                self.on_status(True)
            if not more:
                self._stop.wait(self.interval)

    def poll(self) -> bool:
        """One query; delivers what is new. True when more rows are waiting."""
        db = self.database if not callable(self.database) else self.database()
        with db.engine.connect() as conn:
            if self.cursor.high is None:
                start = conn.scalar(select(func.coalesce(func.max(MasterLiveEvent.id), 0)))
                self.cursor.high = int(start or 0)
                return False
            rows = conn.execute(self.cursor.query()).all()
        self.cursor.advance([r.id for r in rows], time.monotonic())
        for row in rows:
            if self._stop.is_set():
                return False
            payload = row.payload if isinstance(row.payload, dict) else {}
            if self.observer is not None:
                self.observer(row.id, row.created_at, payload)
            if row.channel not in self.channels:
                continue
            own = self.origin is not None and payload.get("origin") == self.origin
            self.on_notice(Notice(row.channel, payload, own))
        return len(rows) >= BATCH

    def stop(self) -> None:
        """Ask the thread to finish; it wakes from its wait at once. Safe from any thread."""
        self._stop.set()
