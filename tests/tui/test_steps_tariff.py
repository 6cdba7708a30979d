"""Step 4 «Тариф»: blocked without devices, the live itemised calculation, applying."""

from __future__ import annotations

from decimal import Decimal

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.db.models.billing import MasterClientTariff
from privet_tui.services.actor import Actor
from privet_tui.services.rules.catalog import DeviceInput
from tests.tui.step_data import claimed_client, count_rows, seed_tariffs
from tests.tui.step_screens import Settle, open_step, screen_text, step_app


async def test_blocked_without_devices_then_quote_follows_cursor_and_applies(
    settings: Settings, db: Database, master: Actor, user_id: int, settle: Settle
) -> None:
    seed_tariffs(db)
    async with step_app(settings, db, master) as (app, pilot, gateway):
        client_id = claimed_client(gateway, master, user_id)
        screen = await open_step(app, pilot, gateway, master, 4, client_id)
        text = screen_text(app)
        assert "Шаг недоступен" in text
        assert "Сначала добавьте хотя бы одно устройство" in text
        assert not screen.query_one("#step-body").display
        await pilot.press("ctrl+s")  # not offered while blocked
        await settle(pilot)
        assert count_rows(db, MasterClientTariff, client_id=client_id) == 0

        version = gateway.client_card_by_id(master, client_id).version
        assert version is not None
        for model in ("A1", "A2", "A3"):
            version = gateway.add_device(
                master, client_id, version, DeviceInput("tv", "LG", model)
            ).version
        await pilot.press("ctrl+r")
        await settle(pilot)
        text = screen_text(app)
        assert "> Базовый: 490,00 ₽/мес." in text
        assert "Расчёт доплаты по тарифу «Базовый»" in text
        assert "Дополнительное устройство: Телевизор" in text
        assert "1 290,00 ₽" in text  # 990 activation + one extra TV at 300
        await pilot.press("down")
        await settle(pilot)
        text = screen_text(app)
        assert "> Стандарт: 990,00 ₽/мес." in text
        assert "Расчёт доплаты по тарифу «Стандарт»" in text
        assert "1 490,00 ₽" in text
        await pilot.press("enter")
        await settle(pilot)
        with db.reading() as session:
            applied = session.query(MasterClientTariff).filter_by(client_id=client_id).one()
            assert applied.surcharge == Decimal("1490.00")
        assert "Применён тариф «Стандарт»" in screen_text(app)
