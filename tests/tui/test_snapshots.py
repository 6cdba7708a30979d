"""Screenshots of the shell screens at 80x24, 48x16 and 120x40 (tests/tui/sizes.py): login,
list, card, lock, help, the command palette, a confirmation, the administration dialogs
and the too-small notice
(fixed people, fixed dates, no clock in view).

Update after a deliberate change with `pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from textual.pilot import Pilot

from privet_tui.db.engine import Database
from privet_tui.services import accounts
from privet_tui.services.actor import Actor
from privet_tui.services.gateway import Gateway
from privet_tui.tui.app import PrivetApp
from privet_tui.tui.screens.card import CardScreen
from tests.tui.people import EMAIL, PASSWORD
from tests.tui.shell import login
from tests.tui.sizes import Shots
from tests.tui.step_screens import wait_for_workers


def test_login_screen(
    shots: Shots, make_app: Callable[..., PrivetApp], login_master: Actor
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_for_workers(pilot)
        await pilot.press(*"demo@privet", "tab")

    shots(make_app(), run_before)


def test_client_list(
    shots: Shots, make_app: Callable[..., PrivetApp], login_master: Actor, people: list[int]
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await login(pilot, EMAIL, PASSWORD)

    shots(make_app(), run_before)


def test_client_card(
    shots: Shots,
    make_app: Callable[..., PrivetApp],
    gateway: Gateway,
    login_master: Actor,
    people: list[int],
) -> None:
    gateway.claim_client(login_master, people[1])

    async def run_before(pilot: Pilot[Any]) -> None:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.app.push_screen(CardScreen(people[1]))
        await wait_for_workers(pilot)

    shots(make_app(), run_before)


def test_unclaimed_card(
    shots: Shots, make_app: Callable[..., PrivetApp], login_master: Actor, people: list[int]
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.app.push_screen(CardScreen(people[0]))
        await wait_for_workers(pilot)

    shots(make_app(), run_before)


def test_lock_screen(shots: Shots, make_app: Callable[..., PrivetApp], login_master: Actor) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.press("ctrl+l")
        await wait_for_workers(pilot)

    shots(make_app(), run_before)


def test_help_over_the_list(
    shots: Shots, make_app: Callable[..., PrivetApp], login_master: Actor, people: list[int]
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.press("question_mark")
        await wait_for_workers(pilot)

    shots(make_app(), run_before)


def test_command_palette(
    shots: Shots, make_app: Callable[..., PrivetApp], login_master: Actor, people: list[int]
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.press("ctrl+p")
        await wait_for_workers(pilot)

    shots(make_app(), run_before)


def test_logout_question(
    shots: Shots, make_app: Callable[..., PrivetApp], login_master: Actor, people: list[int]
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.press("q")
        await wait_for_workers(pilot)

    shots(make_app(), run_before)


def test_too_small(shots: Shots, make_app: Callable[..., PrivetApp]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_for_workers(pilot)

    shots(make_app(), run_before, sizes=((47, 16), (80, 15)))


def test_reassign_dialog(
    shots: Shots,
    make_app: Callable[..., PrivetApp],
    gateway: Gateway,
    db: Database,
    login_master: Actor,
    people: list[int],
) -> None:
    """An administrator's «a» on a card: the masters to hand the client to, and «Закрыть»."""
    with db.transaction() as session:
        session.execute(
            text("UPDATE master_users SET role='admin' WHERE id=:i"), {"i": login_master.id}
        )
        accounts.create_master(session, "anna@privet.local", "Анна Петрова", PASSWORD)
    gateway.claim_client(login_master, people[1])

    async def run_before(pilot: Pilot[Any]) -> None:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.app.push_screen(CardScreen(people[1]))
        await wait_for_workers(pilot)
        await pilot.press("a")
        await wait_for_workers(pilot)

    shots(make_app(), run_before)


def test_cancel_reason_dialog(
    shots: Shots,
    make_app: Callable[..., PrivetApp],
    gateway: Gateway,
    login_master: Actor,
    people: list[int],
) -> None:
    gateway.claim_client(login_master, people[1])

    async def run_before(pilot: Pilot[Any]) -> None:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.app.push_screen(CardScreen(people[1]))
        await wait_for_workers(pilot)
        await pilot.press("x")
        await wait_for_workers(pilot)

    shots(make_app(), run_before)
