"""The report screen (issue 13, item 2): what an administrator and a master see, at three
terminal sizes, over fixed data put in as the steps would leave it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text
from textual.pilot import Pilot
from textual.widgets import DataTable, Label, Sparkline

from privet_tui.db.engine import Database
from privet_tui.services import accounts
from privet_tui.services.actor import Actor
from privet_tui.tui.app import PrivetApp
from privet_tui.tui.screens.report import ReportScreen
from tests.tui.people import EMAIL, PASSWORD
from tests.tui.shell import login
from tests.tui.sizes import Shots
from tests.tui.step_screens import wait_for_workers

TODAY = date(2026, 1, 15)


@pytest.fixture
def finished(db: Database, login_master: Actor, people: list[int]) -> Actor:
    """Two clients processed by the demo master on 14 and 15 January (paid in cash and by
    card), one processed by another master; returns that other master."""
    with db.transaction() as session:
        other = accounts.create_master(session, "petrova@privet.local", "Петрова Анна", PASSWORD)
        day = "2026-01-{:02d} {}:00+03"
        for user_id, master_id, done, method, amount in (
            (people[0], login_master.id, 14, "cash", "1490.00"),
            (people[1], login_master.id, 15, "card", "2990.00"),
            (people[2], other.id, 15, "transfer", "990.00"),
        ):
            client_id = session.execute(
                text(
                    "INSERT INTO master_clients (user_id, status, assigned_master_id,"
                    " claimed_at, finished_at) VALUES (:u, 'processed', :m, :c, :f) RETURNING id"
                ),
                {
                    "u": user_id,
                    "m": master_id,
                    "c": day.format(done, "10"),
                    "f": day.format(done, "16"),
                },
            ).scalar_one()
            session.execute(
                text(
                    "INSERT INTO master_contracts (client_id, number, status, snapshot,"
                    " total_due, created_by_id, draft_key, draft_sha256, signed_at, signed_by_id,"
                    " payment_method, payment_amount, paid_at, paid_by_id) VALUES (:c, :n,"
                    " 'paid', '{}', :a, :m, 'k', 's', :t, :m, :p, :a, :t, :m)"
                ),
                {
                    "c": client_id,
                    "n": f"ПМ-2026-{client_id:06d}",
                    "a": amount,
                    "t": day.format(done, "15"),
                    "m": master_id,
                    "p": method,
                },
            )
    return Actor(id=other.id, email=other.email, name=other.name, role=other.role)


def _make_admin(db: Database, actor: Actor) -> None:
    with db.transaction() as session:
        session.execute(text("UPDATE master_users SET role='admin' WHERE id=:i"), {"i": actor.id})


async def _open(pilot: Pilot[Any], days: int = 1) -> None:
    await login(pilot, EMAIL, PASSWORD)
    await pilot.app.push_screen(ReportScreen(today=TODAY, days=days))
    await wait_for_workers(pilot)
    await pilot.pause()


def test_report_screen_for_an_admin(
    shots: Shots,
    make_app: Callable[..., PrivetApp],
    db: Database,
    login_master: Actor,
    finished: Actor,
) -> None:
    """At 80x24, 48x16 and 120x40 (tests/tui/sizes.py)."""
    _make_admin(db, login_master)

    async def run_before(pilot: Pilot[Any]) -> None:
        await _open(pilot, days=7)

    shots(make_app(), run_before)


async def test_a_master_sees_their_own_and_the_keys_change_the_period(
    make_app: Callable[..., PrivetApp], login_master: Actor, finished: Actor
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        screen = app.screen
        table = screen.query_one("#report-table", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert [r[0] for r in rows] == ["Демо Мастер", "Итого"]
        assert rows[-1][4] == "1"  # processed today (15 January) by this master
        assert "ваши клиенты" in str(screen.query_one("#report-title", Label).render())
        await pilot.press("2")
        await wait_for_workers(pilot)
        await pilot.pause()
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[-1][4] == "2"
        assert rows[-1][7] == "6,0 ч"
        assert rows[-1][6] == "4\u00a0480,00"
        assert screen.query_one("#report-sparkline", Sparkline).data == [0, 0, 0, 0, 0, 1, 1]
        assert "09.01–15.01.2026" in str(screen.query_one("#report-title", Label).render())
        await pilot.press("escape")
        assert not isinstance(app.screen, ReportScreen)


async def test_o_on_the_list_opens_the_report(
    make_app: Callable[..., PrivetApp], login_master: Actor, finished: Actor
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.press("o")
        await wait_for_workers(pilot)
        assert isinstance(app.screen, ReportScreen)
        await pilot.press("escape")
        await pilot.press("щ")  # the same key on a Russian layout
        await wait_for_workers(pilot)
        assert isinstance(app.screen, ReportScreen)
