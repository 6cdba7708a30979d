"""Helpers of the shell-screen tests: logging in, waiting for a condition, reading the screen
(the tests themselves wait for workers with the `settle` fixture)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from privet_tui.tui.app import PrivetApp
from tests.tui.step_screens import wait_for_workers

SIZE = (80, 24)


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool], *, tries: int = 100) -> None:
    """Pause in small steps until `condition` holds (timers, live updates), bounded."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
        await wait_for_workers(pilot)
    raise AssertionError("condition not met in time")


async def login(pilot: Pilot[Any], email: str, password: str) -> None:
    """Fill the email and the password, press Enter (test_login types them key by key)."""
    await wait_for_workers(pilot)
    screen = pilot.app.screen
    screen.query_one("#email", Input).value = email
    field = screen.query_one("#password", Input)
    field.value = password
    field.focus()
    await pilot.press("enter")
    await wait_for_workers(pilot)


def screen_text(app: PrivetApp) -> str:
    """The visible text of the whole terminal (every layer), line by line."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


def table_names(app: PrivetApp) -> list[str]:
    """The ФИО column of the client list, top to bottom."""
    table = app.screen.query_one("#clients", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def notifications(app: PrivetApp) -> list[str]:
    """Messages of the toasts currently shown."""
    return [n.message for n in app._notifications]
