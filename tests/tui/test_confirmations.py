"""Issue 13, item 3: outward or irreversible actions (generate the contract and send its code,
confirm a payment, issue the invoice, quit) ask a deliberate question first, and a key that
arrives in the same burst as the one that asked (typed ahead, or a paste turned into keys)
cannot answer it."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from textual.widgets import Select

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.tui.widgets import confirm
from privet_tui.tui.widgets.confirm import ConfirmModal
from tests.tui.step_data import READY_FOR_CONTRACT, demo_client
from tests.tui.step_screens import Settle, answer_deliberately, open_step, step_app


@pytest.fixture(autouse=True)
def _slow_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot presses keys one by one, each after the app idles; on a loaded machine a burst
    of them can take longer than the real 0.3 s, so here a question stays deaf for 1.5 s."""
    monkeypatch.setattr(confirm, "DELIBERATE_SECONDS", 1.5)


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
    demo_settings: Settings, demo_db: Database, settle: Settle
) -> None:
    client_id, master = demo_client(demo_db, READY_FOR_CONTRACT)
    async with step_app(demo_settings, demo_db, master) as (app, pilot, gateway):
        await open_step(app, pilot, gateway, master, 5, client_id)

        # the pasted-BEL case: Ctrl+G and `y` in one burst answer nothing
        await pilot.press("ctrl+g", "y", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert _count(demo_db, "master_contracts", client_id) == 0

        await answer_deliberately(pilot, "n")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmModal)
        assert _count(demo_db, "master_contracts", client_id) == 0

        await pilot.press("ctrl+g")
        await answer_deliberately(pilot, "y")
        await settle(pilot)
        assert _count(demo_db, "master_contracts", client_id) == 1
    assert _status(demo_db, client_id) == "awaiting_signature"


async def test_payment_is_confirmed_only_on_a_deliberate_yes(
    demo_settings: Settings, demo_db: Database, settle: Settle
) -> None:
    client_id, master = demo_client(demo_db, "c.status = 'signed'")
    async with step_app(demo_settings, demo_db, master) as (app, pilot, gateway):
        screen = await open_step(app, pilot, gateway, master, 6, client_id)
        screen.query_one(Select).value = "cash"
        await pilot.press("ctrl+s", "y")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert _status(demo_db, client_id) == "signed"
        await answer_deliberately(pilot, "y")
        await settle(pilot)
    assert _status(demo_db, client_id) == "paid"


async def test_invoice_is_issued_only_on_a_deliberate_yes(
    demo_settings: Settings, demo_db: Database, settle: Settle
) -> None:
    client_id, master = demo_client(demo_db, "c.status = 'paid'")
    async with step_app(demo_settings, demo_db, master) as (app, pilot, gateway):
        await open_step(app, pilot, gateway, master, 7, client_id)
        await pilot.press("ctrl+s", "y")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert _count(demo_db, "master_invoices", client_id) == 0
        await answer_deliberately(pilot, "y")
        await settle(pilot)
    assert _count(demo_db, "master_invoices", client_id) == 1
    assert _status(demo_db, client_id) == "processed"


async def test_ctrl_q_asks_and_a_burst_cannot_answer(
    demo_settings: Settings, demo_db: Database, settle: Settle
) -> None:
    _, master = demo_client(demo_db, "c.status = 'signed'")
    async with step_app(demo_settings, demo_db, master) as (app, pilot, _gateway):
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
