"""Issue 13, item 3: outward or irreversible actions (generate the contract and send its code,
confirm a payment, issue the invoice, quit) ask a deliberate question first, and a key that
arrives in the same burst as the one that asked (typed ahead, or a paste turned into keys)
cannot answer it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from textual.widgets import Select

from privet_tui.config import Settings
from privet_tui.db.engine import Database, database_from_url
from privet_tui.services.actor import Actor
from privet_tui.tui.widgets import confirm
from privet_tui.tui.widgets.confirm import ConfirmModal
from tests.conftest import TEST_SECRET_KEY
from tests.tui.step_screens import Settle, answer_deliberately, open_step, step_app


@pytest.fixture(autouse=True)
def _slow_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot presses keys one by one, each after the app idles; on a loaded machine a burst
    of them can take longer than the real 0.3 s, so here a question stays deaf for 1.5 s."""
    monkeypatch.setattr(confirm, "DELIBERATE_SECONDS", 1.5)


@pytest.fixture
def demo(demo_db_url: str) -> Iterator[Database]:
    database = database_from_url(demo_db_url)
    yield database
    database.dispose()


@pytest.fixture
def demo_settings(demo_db_url: str, tmp_path: Path, seal_dir: Path) -> Settings:
    shutil.copytree(seal_dir, tmp_path / "data" / "seal")
    return Settings(
        database_url=demo_db_url, secret_key=TEST_SECRET_KEY, data_dir=tmp_path / "data"
    )


def _client(db: Database, where: str) -> tuple[int, Actor]:
    """The first demo client matching `where` (on `c`, the client) and its master."""
    with db.reading() as s:
        row = s.execute(
            text(
                "SELECT c.id, u.id, u.email, u.name, u.role FROM master_clients c"
                " JOIN master_users u ON u.id = c.assigned_master_id"
                f" WHERE {where} ORDER BY c.id LIMIT 1"
            )
        ).one()
    return row[0], Actor(id=row[1], email=row[2], name=row[3], role=row[4])


#: The demo's client with a tariff applied and no contract yet: ready for step 5.
READY_FOR_CONTRACT = (
    "c.status = 'in_progress'"
    " AND EXISTS (SELECT 1 FROM master_client_tariffs t WHERE t.client_id = c.id)"
    " AND NOT EXISTS (SELECT 1 FROM master_contracts k WHERE k.client_id = c.id)"
)


def _count(db: Database, table: str, client_id: int) -> int:
    with db.reading() as s:
        return int(
            s.execute(
                text(f"SELECT count(*) FROM {table} WHERE client_id = :c"), {"c": client_id}
            ).scalar_one()
        )


def _status(db: Database, client_id: int) -> str:
    with db.reading() as s:
        return str(
            s.execute(
                text("SELECT status FROM master_clients WHERE id = :c"), {"c": client_id}
            ).scalar_one()
        )


async def test_contract_is_generated_only_on_a_deliberate_yes(
    demo_settings: Settings, demo: Database, settle: Settle
) -> None:
    client_id, master = _client(demo, READY_FOR_CONTRACT)
    async with step_app(demo_settings, demo, master) as (app, pilot, gateway):
        await open_step(app, pilot, gateway, master, 5, client_id)

        # the pasted-BEL case: Ctrl+G and `y` in one burst answer nothing
        await pilot.press("ctrl+g", "y", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert _count(demo, "master_contracts", client_id) == 0

        await answer_deliberately(pilot, "n")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmModal)
        assert _count(demo, "master_contracts", client_id) == 0

        await pilot.press("ctrl+g")
        await answer_deliberately(pilot, "y")
        await settle(pilot)
        assert _count(demo, "master_contracts", client_id) == 1
    assert _status(demo, client_id) == "awaiting_signature"


async def test_payment_is_confirmed_only_on_a_deliberate_yes(
    demo_settings: Settings, demo: Database, settle: Settle
) -> None:
    client_id, master = _client(demo, "c.status = 'signed'")
    async with step_app(demo_settings, demo, master) as (app, pilot, gateway):
        screen = await open_step(app, pilot, gateway, master, 6, client_id)
        screen.query_one(Select).value = "cash"
        await pilot.press("ctrl+s", "y")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert _status(demo, client_id) == "signed"
        await answer_deliberately(pilot, "y")
        await settle(pilot)
    assert _status(demo, client_id) == "paid"


async def test_invoice_is_issued_only_on_a_deliberate_yes(
    demo_settings: Settings, demo: Database, settle: Settle
) -> None:
    client_id, master = _client(demo, "c.status = 'paid'")
    async with step_app(demo_settings, demo, master) as (app, pilot, gateway):
        await open_step(app, pilot, gateway, master, 7, client_id)
        await pilot.press("ctrl+s", "y")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert _count(demo, "master_invoices", client_id) == 0
        await answer_deliberately(pilot, "y")
        await settle(pilot)
    assert _count(demo, "master_invoices", client_id) == 1
    assert _status(demo, client_id) == "processed"


async def test_ctrl_q_asks_and_a_burst_cannot_answer(
    demo_settings: Settings, demo: Database, settle: Settle
) -> None:
    _, master = _client(demo, "c.status = 'signed'")
    async with step_app(demo_settings, demo, master) as (app, pilot, _gateway):
        exits: list[object] = []
        app.exit = lambda *args, **kwargs: exits.append(args)  # type: ignore[method-assign]
        await pilot.press("ctrl+q", "y", "ctrl+q", "enter")
        await settle(pilot)
        assert not exits
        assert isinstance(app.screen, ConfirmModal)
        assert sum(isinstance(s, ConfirmModal) for s in app.screen_stack) == 1  # not stacked
        await answer_deliberately(pilot, "n")
        await pilot.pause()
        assert not exits
        assert not isinstance(app.screen, ConfirmModal)
        await pilot.press("ctrl+q")
        await answer_deliberately(pilot, "y")
        await pilot.pause()
        assert exits
