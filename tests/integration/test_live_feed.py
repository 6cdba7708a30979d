"""The change feed: a change whose transaction commits after a later one is still delivered,
once; own changes are marked; old rows are pruned by the writers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, text

from privet_tui.db.engine import Database
from privet_tui.db.models.live import MasterLiveEvent
from privet_tui.services import broadcast
from privet_tui.services.broadcast import notify
from privet_tui.services.channels import CLIENTS_CHANNEL, ORIGIN_KEY, TICKETS_CHANNEL
from privet_tui.services.live import FeedCursor, LiveFeed, Notice


def _feed(db: Database, notices: list[Notice]) -> LiveFeed:
    feed = LiveFeed(db, notices.append, lambda connected: None, origin="me")
    feed.poll()  # the start: the feed's end
    return feed


def test_a_late_commit_is_delivered_once(db: Database) -> None:
    notices: list[Notice] = []
    feed = _feed(db, notices)
    with db.transaction() as slow:
        notify(slow, CLIENTS_CHANNEL, {"client_id": 1})  # takes the lower id, commits last
        with db.transaction() as quick:
            quick.info[ORIGIN_KEY] = "me"
            notify(quick, TICKETS_CHANNEL, {"ticket_id": 2})
        feed.poll()
        assert [n.payload.get("ticket_id") for n in notices] == [2]
        assert notices[0].own
        assert len(feed.cursor.gaps) == 1
    feed.poll()
    feed.poll()
    assert [n.payload.get("client_id") for n in notices] == [None, 1]
    assert not notices[1].own
    assert feed.cursor.gaps == {}


def test_a_rolled_back_change_is_a_gap_that_expires() -> None:
    cursor = FeedCursor(high=10)
    cursor.advance([12], now=0.0)
    assert set(cursor.gaps) == {11}
    cursor.advance([], now=1.0)
    assert set(cursor.gaps) == {11}
    cursor.advance([], now=10_000.0)
    assert cursor.gaps == {}
    assert cursor.high == 12


def test_writers_prune_rows_older_than_the_window(db: Database, monkeypatch) -> None:
    monkeypatch.setattr(broadcast, "PRUNE_EVERY", 2)
    with db.transaction() as s:
        for n in range(3):
            notify(s, CLIENTS_CHANNEL, {"client_id": n})
        s.execute(
            text("UPDATE master_live_events SET created_at = now() - :age"),
            {"age": broadcast.KEEP + timedelta(minutes=1)},
        )
    with db.transaction() as s:
        for n in range(2):
            notify(s, CLIENTS_CHANNEL, {"client_id": 10 + n})
    with db.reading() as s:
        left = s.scalar(select(func.count()).select_from(MasterLiveEvent))
    assert left is not None
    assert 2 <= left < 5
