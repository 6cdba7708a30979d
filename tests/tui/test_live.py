"""The live feed's thread: changes become messages, and stop() wakes it at once."""

from __future__ import annotations

import threading
import time

from textual.message import Message

from privet_tui.db.engine import Database
from privet_tui.services.broadcast import notify
from privet_tui.services.channels import CLIENTS_CHANNEL
from privet_tui.services.gateway import Gateway
from privet_tui.services.live import LiveFeed
from privet_tui.tui.live import LiveEvent, LiveStatus


def _wait(condition: object, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def _feed(gateway: Gateway, posted: list[Message]) -> LiveFeed:
    return gateway.live_feed(
        lambda notice: posted.append(LiveEvent(notice)),
        lambda connected: posted.append(LiveStatus(connected)),
    )


def test_notifications_arrive_and_stop_is_immediate(gateway: Gateway, db: Database) -> None:
    posted: list[Message] = []
    listener = _feed(gateway, posted)
    thread = threading.Thread(target=listener.run)
    thread.start()
    try:
        _wait(lambda: listener.listening)
        assert any(isinstance(m, LiveStatus) and m.connected for m in posted)
        with db.transaction() as session:  # another workstation's change
            notify(session, CLIENTS_CHANNEL, {"user_id": 7, "client_id": 3})
        _wait(lambda: any(isinstance(m, LiveEvent) for m in posted))
        event = next(m for m in posted if isinstance(m, LiveEvent))
        assert event.notice.channel == CLIENTS_CHANNEL
        assert event.notice.user_id() == 7
    finally:
        started = time.monotonic()
        listener.stop()
        thread.join(timeout=5)
    assert not thread.is_alive()
    assert time.monotonic() - started < 2  # not a whole poll interval or back-off
    assert not any(isinstance(m, LiveStatus) and not m.connected for m in posted)


def test_stop_before_start_never_connects(gateway: Gateway) -> None:
    posted: list[Message] = []
    listener = _feed(gateway, posted)
    listener.stop()
    listener.run()
    assert posted == []


def test_own_notices_are_marked_and_others_are_not(gateway: Gateway, db: Database) -> None:
    """A NOTIFY sent in this gateway's transaction is `own`; another process's is not."""
    posted: list[Message] = []
    listener = _feed(gateway, posted)
    thread = threading.Thread(target=listener.run)
    thread.start()
    try:
        _wait(lambda: listener.listening)
        gateway.call(notify, CLIENTS_CHANNEL, {"user_id": 1, "client_id": 1})
        with db.transaction() as session:  # no origin: like another workstation
            notify(session, CLIENTS_CHANNEL, {"user_id": 2, "client_id": 2})
        _wait(lambda: sum(isinstance(m, LiveEvent) for m in posted) == 2)
    finally:
        listener.stop()
        thread.join(timeout=5)
    own = {m.notice.user_id(): m.notice.own for m in posted if isinstance(m, LiveEvent)}
    assert own == {1: True, 2: False}
