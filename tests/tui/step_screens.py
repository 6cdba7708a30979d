"""Driving the step screens in a test: waiting for the app's workers, the real app at 80x24 on
a test database, opening a step as the card does, typing into and reading its form fields,
and the visible text of the screen.

Imported as `tests.tui.step_screens` (tests/faults uses it on a database of its own); the
step tests get the waiting as the `settle` fixture of tests/tui/conftest.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input
from textual.worker import Worker

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.services.actor import Actor
from privet_tui.services.gateway import Gateway, open_gateway
from privet_tui.tui.app import PrivetApp, create_app
from privet_tui.tui.screens.steps._form import FormField
from privet_tui.tui.screens.steps.base import StepScreen
from privet_tui.tui.screens.steps.registry import STEP_SCREENS
from privet_tui.tui.widgets.confirm import ConfirmModal

SIZE = (80, 24)

#: `await settle(pilot)`: the type of the `settle` fixture (`wait_for_workers`).
Settle = Callable[[Pilot[Any]], Awaitable[None]]


#: Worker groups that never finish by design: DirectoryTree's loader, the live listener.
_ENDLESS = frozenset({"_loader", "live"})


def _running(app: App[Any]) -> list[Worker[Any]]:
    """Workers still at work, leaving out those that wait forever by design."""
    return [w for w in app.workers if not w.is_finished and w.group not in _ENDLESS]


async def wait_for_workers(pilot: Pilot[Any], *, rounds: int = 50) -> None:
    """Wait for the app's running workers, then let the app handle what they posted; again
    while that handling starts new ones (a save reloads the screen), until no worker runs
    after a pause. No fixed sleeps: each round waits for the workers themselves."""
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause()
        running = _running(app)
        if running:
            await app.workers.wait_for_complete(running)
            continue
        await pilot.pause()  # a message handled just now may have started a worker
        if not _running(app):
            return
    raise AssertionError(f"workers did not settle: {_running(app)}")


async def answer_deliberately(pilot: Pilot[Any], key: str = "y") -> None:
    """Answer the deliberate question on screen as a person does: after reading it."""
    question = pilot.app.screen
    assert isinstance(question, ConfirmModal)
    while question.deaf:
        await pilot.pause(0.05)
    await pilot.press(key)


@asynccontextmanager
async def step_app(
    settings: Settings, db: Database, actor: Actor
) -> AsyncIterator[tuple[PrivetApp, Pilot[Any], Gateway]]:
    """The real app at 80x24 on the test database, logged in as `actor` (no live updates)."""
    gateway = open_gateway(settings, database=db)
    app = create_app(settings, gateway=gateway, live_updates=False)
    async with app.run_test(size=SIZE) as pilot:
        app.actor = actor
        await wait_for_workers(pilot)
        yield app, pilot, gateway


async def open_step(
    app: PrivetApp, pilot: Pilot[Any], gateway: Gateway, actor: Actor, step: int, client_id: int
) -> StepScreen[Any]:
    """Push the step's screen as the card does and wait until it has loaded."""
    screen = STEP_SCREENS[step](gateway, actor, client_id)
    await app.push_screen(screen)
    await wait_for_workers(pilot)
    assert isinstance(screen, StepScreen)
    return screen


def field(screen: StepScreen[Any], name: str) -> FormField:
    """A form field of the screen by its service name."""
    return screen.query_one(f"#field-{name}", FormField)


def set_value(screen: StepScreen[Any], name: str, value: str) -> None:
    """Type into a field as if pasted."""
    field(screen, name).query_one(Input).value = value


def value(screen: StepScreen[Any], name: str) -> str:
    """What the field holds now."""
    return field(screen, name).query_one(Input).value


def screen_text(app: PrivetApp) -> str:
    """The visible text of the current screen, no-break spaces as plain ones."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips).replace("\u00a0", " ")
