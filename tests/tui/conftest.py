"""Fixtures of the TUI tests: the real app on the test database, a master with a known
password, fixed people (fixed dates, so snapshots are stable), a fake clock, and `settle`,
which waits for the app's workers (tests/tui/step_screens.py drives the step screens,
tests/tui/step_data.py puts in and reads back what the client app would)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text
from textual.widgets import Input

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.services import accounts
from privet_tui.services.actor import Actor
from privet_tui.services.gateway import Gateway
from privet_tui.tui.app import PrivetApp, create_app
from tests.tui.step_screens import Settle, wait_for_workers

PASSWORD = "correct-horse-42"
EMAIL = "demo@privet.local"
#: 12:00 UTC: the same calendar day in every time zone the tests may run in.
FIXED_DAY = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
PEOPLE = (
    ("Петров", "Иван", "Сергеевич", "+79161234567", "ivan.petrov@example.ru"),
    ("Смирнова", "Анна", "Алексеевна", "+79031112233", "anna.smirnova@example.ru"),
    ("Кузнецов", "Олег", None, "+79265554433", "oleg.k@example.ru"),
)


class FakeClock:
    """A monotonic clock the tests move by hand (seconds)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


@pytest.fixture(autouse=True)
def _steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes screenshots flaky: keep it on."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def settle() -> Settle:
    """`await settle(pilot)`: wait until the app's workers are done and what they posted is
    handled (as harlequin's `wait_for_workers` fixture; DirectoryTree's loader left out)."""
    return wait_for_workers


@pytest.fixture
def login_master(db: Database) -> Actor:
    """A master created through the accounts service, with the known PASSWORD."""
    with db.transaction() as session:
        info = accounts.create_master(session, EMAIL, "Демо Мастер", PASSWORD)
    return Actor(id=info.id, email=info.email, name=info.name, role=info.role)


def add_person(
    db: Database,
    last: str,
    first: str,
    middle: str | None,
    phone: str | None,
    email: str | None,
    created_at: datetime = FIXED_DAY,
) -> int:
    """A row in the legacy `users` table with a fixed registration time."""
    with db.transaction() as session:
        return int(
            session.execute(
                text(
                    "INSERT INTO users (last_name, first_name, middle_name, phone, email,"
                    " created_at) VALUES (:l, :f, :m, :p, :e, :c) RETURNING id"
                ),
                {"l": last, "f": first, "m": middle, "p": phone, "e": email, "c": created_at},
            ).scalar_one()
        )


@pytest.fixture
def people(db: Database) -> list[int]:
    """Three people with fixed data, oldest first (the list shows the newest first)."""
    return [add_person(db, *person) for person in PEOPLE]


def add_many(db: Database, count: int) -> None:
    """`count` generated people in one statement."""
    with db.transaction() as session:
        session.execute(
            text(
                "INSERT INTO users (last_name, first_name, phone, email, created_at)"
                " SELECT 'Клиент' || g, 'Номер', '+7900' || lpad(g::text, 7, '0'),"
                " 'c' || g || '@example.ru', :c FROM generate_series(1, :n) AS g"
            ),
            {"n": count, "c": FIXED_DAY},
        )


@pytest.fixture
def gateway(settings: Settings, db: Database) -> Gateway:
    """The app's gateway on the test database."""
    return Gateway(settings, database=db)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_app(
    settings: Settings, db: Database, gateway: Gateway, clock: FakeClock
) -> Callable[..., PrivetApp]:
    """Build the app as the CLI does, on the test database, with the fake clock; keyword
    arguments other than `live_updates` replace settings (lockout policy, timers)."""

    def make(*, live_updates: bool = False, **changes: Any) -> PrivetApp:
        chosen = dataclasses.replace(settings, **changes) if changes else settings
        door = Gateway(chosen, database=db) if changes else gateway
        return create_app(chosen, gateway=door, clock=clock, live_updates=live_updates)

    return make
