"""Shared helpers of the step-screen tests: an app on the test database, a claimed client,
waiting for workers, and reading what the client app would read from the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import func, select
from textual.pilot import Pilot
from textual.widgets import Input

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.db.legacy import LegacyUser
from privet_tui.db.models.clients import MasterClient
from privet_tui.db.models.support import SupportMessage, SupportTicket
from privet_tui.services.actor import Actor
from privet_tui.services.gateway import Gateway
from privet_tui.services.steps.tariff import ensure_default_tariffs
from privet_tui.tui.app import PrivetApp, create_app
from privet_tui.tui.screens.steps._form import FormField
from privet_tui.tui.screens.steps.base import StepScreen
from privet_tui.tui.screens.steps.registry import STEP_SCREENS

SIZE = (80, 24)


def claimed_client(gateway: Gateway, master: Actor, user_id: int) -> int:
    """Claim the person for `master` and return the client id."""
    card = gateway.claim_client(master, user_id)
    assert card.client_id is not None
    return card.client_id


def add_person(db: Database, last: str, first: str, middle: str | None = None) -> int:
    """A person in the legacy `users` table, as the client app would add them."""
    with db.transaction() as session:
        user = LegacyUser(
            last_name=last,
            first_name=first,
            middle_name=middle,
            phone="+79161234567",
            email="person@example.ru",
        )
        session.add(user)
        session.flush()
        return int(user.id)


def seed_tariffs(db: Database) -> None:
    """The built-in tariff plans, as `privet-tui demo` adds them."""
    with db.transaction() as session:
        ensure_default_tariffs(session)


def client_row(db: Database, client_id: int) -> MasterClient:
    """The stored client row (detached, read-only)."""
    with db.reading() as session:
        row = session.get(MasterClient, client_id)
        assert row is not None
        session.expunge(row)
        return row


def latest_payload(db: Database, user_id: int) -> dict[str, Any]:
    """The payload of the newest message in the person's ticket, as the client app reads it."""
    with db.reading() as session:
        payload = session.scalar(
            select(SupportMessage.payload)
            .join(SupportTicket, SupportTicket.id == SupportMessage.ticket_id)
            .where(SupportTicket.user_id == user_id)
            .order_by(SupportMessage.id.desc())
            .limit(1)
        )
    assert isinstance(payload, dict)
    return payload


def latest_code(db: Database, user_id: int) -> str:
    """The contract code exactly as the client sees it in the «Привет Супер» app."""
    payload = latest_payload(db, user_id)
    assert payload["type"] == "contract_otp"
    return str(payload["code"])


def count_rows(db: Database, model: Any, **where: Any) -> int:
    """How many rows of `model` match the equality filters."""
    with db.reading() as session:
        stmt = select(func.count()).select_from(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return int(session.scalar(stmt) or 0)


def make_jpeg(path: Path, size: tuple[int, int] = (320, 200), colour: str = "red") -> Path:
    """Write a small JPEG with a gradient so that two colours give two different photos."""
    image = Image.new("RGB", size, colour)
    for x in range(size[0]):
        image.putpixel((x, 0), (x % 256, 0, 0))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG")
    return path


def _running(app: Any) -> list[Any]:
    """Workers still at work, leaving out DirectoryTree's loader, which waits forever."""
    return [w for w in app.workers if not w.is_finished and w.group != "_loader"]


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until no worker runs and every message they posted is handled."""
    app = pilot.app
    for _ in range(50):
        await pilot.pause()
        running = _running(app)
        if not running:
            await pilot.pause()
            if not _running(app):
                return
            continue
        await app.workers.wait_for_complete(running)
    raise AssertionError("workers did not settle")


@asynccontextmanager
async def step_app(
    settings: Settings, db: Database, actor: Actor
) -> AsyncIterator[tuple[PrivetApp, Pilot[Any], Gateway]]:
    """The real app at 80x24 on the test database, logged in as `actor` (no live updates)."""
    gateway = Gateway(settings, database=db)
    app = create_app(settings, gateway=gateway, live_updates=False)
    async with app.run_test(size=SIZE) as pilot:
        app.actor = actor
        await settle(pilot)
        yield app, pilot, gateway


async def open_step(
    app: PrivetApp, pilot: Pilot[Any], gateway: Gateway, actor: Actor, step: int, client_id: int
) -> StepScreen[Any]:
    """Push the step's screen as the card does and wait until it has loaded."""
    screen = STEP_SCREENS[step](gateway, actor, client_id)
    await app.push_screen(screen)
    await settle(pilot)
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
