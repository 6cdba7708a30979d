"""Issue 13, item 4: changing steps 1–4 of a client whose contract awaits signature asks
«Договор будет аннулирован — продолжить?» first; «no» changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.services.actor import Actor
from privet_tui.tui.widgets.confirm import ConfirmModal
from tests.conftest import TEST_SECRET_KEY
from tests.tui.step_screens import Settle, open_step, set_value, step_app

NEW_ADDRESS = "г. Москва, ул. Новая, д. 2, кв. 3"


@pytest.fixture
def demo(demo_db: Database) -> Database:
    return demo_db


@pytest.fixture
def demo_settings(demo_db_url: str, tmp_path: Path, seal_dir: Path) -> Settings:
    shutil.copytree(seal_dir, tmp_path / "data" / "seal")
    return Settings(
        database_url=demo_db_url, secret_key=TEST_SECRET_KEY, data_dir=tmp_path / "data"
    )


def _awaiting(db: Database) -> tuple[int, Actor]:
    with db.reading() as s:
        row = s.execute(
            text(
                "SELECT c.id, u.id, u.email, u.name, u.role FROM master_clients c"
                " JOIN master_users u ON u.id = c.assigned_master_id"
                " WHERE c.status = 'awaiting_signature' ORDER BY c.id LIMIT 1"
            )
        ).one()
    return row[0], Actor(id=row[1], email=row[2], name=row[3], role=row[4])


def _state(db: Database, client_id: int) -> tuple[str, str, str]:
    with db.reading() as s:
        return tuple(  # type: ignore[return-value]
            s.execute(
                text(
                    "SELECT c.status, c.address, k.status FROM master_clients c"
                    " JOIN master_contracts k ON k.client_id = c.id WHERE c.id = :c"
                    " ORDER BY k.id DESC LIMIT 1"
                ),
                {"c": client_id},
            ).one()
        )


async def test_saving_contacts_that_void_the_contract_asks_first(
    demo_settings: Settings, demo: Database, settle: Settle
) -> None:
    client_id, master = _awaiting(demo)
    before = _state(demo, client_id)
    assert before[0] == "awaiting_signature"
    async with step_app(demo_settings, demo, master) as (app, pilot, gateway):
        screen = await open_step(app, pilot, gateway, master, 1, client_id)
        set_value(screen, "address", NEW_ADDRESS)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await settle(pilot)
        assert _state(demo, client_id) == before  # declined: nothing saved, nothing voided
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert _state(demo, client_id) == ("in_progress", NEW_ADDRESS, "voided")
