"""Screenshots of the main screens at 80x24 (fixed people, fixed dates, no clock in view).

Update after a deliberate change with `pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from privet_tui.services.actor import Actor
from privet_tui.services.gateway import Gateway
from privet_tui.tui.app import PrivetApp
from privet_tui.tui.screens.card import CardScreen
from tests.tui.people import EMAIL, PASSWORD
from tests.tui.shell import SIZE, login
from tests.tui.step_screens import Settle, wait_for_workers

SnapCompare = Callable[..., bool]


def test_login_screen(
    snap_compare: SnapCompare,
    make_app: Callable[..., PrivetApp],
    login_master: Actor,
    settle: Settle,
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_for_workers(pilot)
        await pilot.press(*"demo@privet", "tab")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_client_list(
    snap_compare: SnapCompare,
    make_app: Callable[..., PrivetApp],
    login_master: Actor,
    people: list[int],
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await login(pilot, EMAIL, PASSWORD)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_client_card(
    snap_compare: SnapCompare,
    make_app: Callable[..., PrivetApp],
    gateway: Gateway,
    login_master: Actor,
    people: list[int],
    settle: Settle,
) -> None:
    gateway.claim_client(login_master, people[1])

    async def run_before(pilot: Pilot[Any]) -> None:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.app.push_screen(CardScreen(people[1]))
        await wait_for_workers(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_lock_screen(
    snap_compare: SnapCompare,
    make_app: Callable[..., PrivetApp],
    login_master: Actor,
    settle: Settle,
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.press("ctrl+l")
        await wait_for_workers(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
