"""Fixtures of the TUI tests: the real app on the test database, a master with a known
password, fixed people (fixed dates, so snapshots are stable), a fake clock, and `settle`,
which waits for the app's workers (tests/tui/step_screens.py drives the step screens,
tests/tui/step_data.py puts in and reads back what the client app would)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from syrupy import SnapshotAssertion
from textual.widgets import Input

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.services import accounts
from privet_tui.services.actor import Actor
from privet_tui.services.gateway import Gateway, open_gateway
from privet_tui.tui.app import PrivetApp, create_app
from tests.tui.people import EMAIL, PASSWORD, PEOPLE, FakeClock, add_person
from tests.tui.sizes import Shots, sized_shots
from tests.tui.step_screens import Settle, wait_for_workers


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


@pytest.fixture
def people(db: Database) -> list[int]:
    """Three people with fixed data, oldest first (the list shows the newest first)."""
    return [add_person(db, *person) for person in PEOPLE]


@pytest.fixture
def gateway(settings: Settings, db: Database) -> Gateway:
    """The app's gateway on the test database."""
    return open_gateway(settings, database=db)


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
        door = open_gateway(chosen, database=db) if changes else gateway
        return create_app(chosen, gateway=door, clock=clock, live_updates=live_updates)

    return make


@pytest.fixture
def shots(snapshot: SnapshotAssertion) -> Shots:
    """`shots(app, run_before)`: one screen compared at 80x24, 48x16 and 120x40
    (tests/tui/sizes.py)."""
    return sized_shots(snapshot)
