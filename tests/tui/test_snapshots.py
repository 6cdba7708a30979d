"""Screenshots of the main screens at 80x24 (fixed people, fixed dates, no clock in view).

Update after a deliberate change with `pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conftest import EMAIL, PASSWORD
from shell import SIZE, login, settle
from textual.pilot import Pilot

from privet_tui.services.actor import Actor
from privet_tui.services.gateway import Gateway
from privet_tui.tui.app import PrivetApp
from privet_tui.tui.screens.card import CardScreen

SnapCompare = Callable[..., bool]


def test_login_screen(
    snap_compare: SnapCompare, make_app: Callable[..., PrivetApp], login_master: Actor
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
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
) -> None:
    gateway.claim_client(login_master, people[1])

    async def run_before(pilot: Pilot[Any]) -> None:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.app.push_screen(CardScreen(people[1]))
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_lock_screen(
    snap_compare: SnapCompare, make_app: Callable[..., PrivetApp], login_master: Actor
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.press("ctrl+l")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
