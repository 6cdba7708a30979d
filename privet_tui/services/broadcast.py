"""Live updates written inside a transaction, below every service room that changes rows
(workflow, support), so each can wake the screens without importing the others.

A change is a row of `master_live_events` (the change feed), not a `NOTIFY`: every session
polls the feed through the pool (`services.live`), so no session needs a `LISTEN`
connection of its own and everything works through PgBouncer in transaction mode.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from sqlalchemy import delete, func, insert
from sqlalchemy.orm import Session

from privet_tui.db.models.live import MasterLiveEvent
from privet_tui.services.channels import ORIGIN_KEY

__all__ = ["KEEP", "PRUNE_EVERY", "notify"]

#: How long a change stays in the feed: far longer than a poll interval; a session that was
#: away longer reloads everything anyway (the app's resync after a lost connection).
KEEP: Final = timedelta(minutes=10)
#: Every this many changes, the writer deletes the rows older than `KEEP` (by primary key
#: range, so the delete touches only old rows and never waits on a fresh one).
PRUNE_EVERY: Final = 500


def notify(session: Session, channel: str, payload: dict[str, object]) -> None:
    """Record a change for the live feed inside the transaction: seen only if it commits;
    the payload carries the transaction's `origin` when the gateway set one."""
    origin = session.info.get(ORIGIN_KEY)
    body = {**payload, "origin": origin} if origin else payload
    event_id = session.execute(
        insert(MasterLiveEvent).values(channel=channel, payload=body).returning(MasterLiveEvent.id)
    ).scalar_one()
    if event_id % PRUNE_EVERY == 0:
        session.execute(
            delete(MasterLiveEvent).where(
                MasterLiveEvent.id <= event_id - PRUNE_EVERY,
                MasterLiveEvent.created_at < func.now() - KEEP,
            )
        )
