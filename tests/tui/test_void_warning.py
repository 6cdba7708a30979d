"""Issue 13, item 4: changing steps 1–4 of a client whose contract awaits signature asks
«Договор будет аннулирован — продолжить?» first; «no» changes nothing."""

from __future__ import annotations

from sqlalchemy import text

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.tui.widgets.confirm import ConfirmModal
from tests.tui.shell import notifications
from tests.tui.step_data import demo_client
from tests.tui.step_screens import Settle, open_step, set_value, step_app

NEW_ADDRESS = "г. Москва, ул. Новая, д. 2, кв. 3"


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
    demo_settings: Settings, demo_db: Database, settle: Settle
) -> None:
    client_id, master = demo_client(demo_db, "c.status = 'awaiting_signature'")
    before = _state(demo_db, client_id)
    assert before[0] == "awaiting_signature"
    async with step_app(demo_settings, demo_db, master) as (app, pilot, gateway):
        screen = await open_step(app, pilot, gateway, master, 1, client_id)
        set_value(screen, "address", NEW_ADDRESS)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await settle(pilot)
        assert _state(demo_db, client_id) == before  # declined: nothing saved, nothing voided
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert _state(demo_db, client_id) == ("in_progress", NEW_ADDRESS, "voided")


async def test_saving_an_unchanged_form_asks_nothing_and_voids_nothing(
    demo_settings: Settings, demo_db: Database, settle: Settle
) -> None:
    """Issue 11, item 2: the void question is about a change; with none, nothing is saved."""
    client_id, master = demo_client(demo_db, "c.status = 'awaiting_signature'")
    before = _state(demo_db, client_id)
    async with step_app(demo_settings, demo_db, master) as (app, pilot, gateway):
        screen = await open_step(app, pilot, gateway, master, 1, client_id)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmModal)
        assert any("сохранять нечего" in note for note in notifications(app))
        await pilot.press("escape")  # unchanged: leaves at once
        await settle(pilot)
        assert screen not in app.screen_stack
    assert _state(demo_db, client_id) == before
