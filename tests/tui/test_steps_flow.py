"""The whole flow from a new client to processed, driven through the seven step screens;
the contract code is read from the client's ticket exactly as the client app reads it."""

from __future__ import annotations

import re

from textual.widgets import Input, Select

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.db.models.billing import MasterContract, MasterInvoice
from privet_tui.db.models.clients import MasterDevicePhoto
from privet_tui.services.actor import Actor
from privet_tui.tui.screens.steps.contract import ContractScreen
from tests.tui.step_data import (
    claimed_client,
    client_row,
    count_rows,
    latest_code,
    latest_payload,
    make_jpeg,
    seed_tariffs,
)
from tests.tui.step_screens import (
    Settle,
    answer_deliberately,
    field,
    open_step,
    screen_text,
    set_value,
    step_app,
    value,
)

PASSPORT = {
    "series_number": "45 10 123678",
    "issue_date": "20.05.2015",
    "issued_by": "ОВД района Хамовники г. Москвы",
    "department_code": "770-001",
    "birth_date": "15.03.1990",
    "birth_place": "г. Москва",
    "registration_address": "г. Москва, ул. Ленина, д. 1, кв. 2",
}


async def test_new_client_to_processed_through_the_screens(
    settings: Settings, db: Database, master: Actor, user_id: int, settle: Settle
) -> None:
    seed_tariffs(db)
    make_jpeg(settings.photo_inbox / "tv.jpg")
    async with step_app(settings, db, master) as (app, pilot, gateway):
        client_id = claimed_client(gateway, master, user_id)

        # 1 Контакты
        screen = await open_step(app, pilot, gateway, master, 1, client_id)
        set_value(screen, "address", "г. Москва, ул. Ленина, д. 1, кв. 2")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert client_row(db, client_id).address == "г. Москва, ул. Ленина, д. 1, кв. 2"
        await pilot.press("escape")

        # 2 Паспорт
        screen = await open_step(app, pilot, gateway, master, 2, client_id)
        for name, text in PASSPORT.items():
            set_value(screen, name, text)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "45 ** ***678" in screen_text(app)
        await pilot.press("escape")

        # 3 Устройства, with a photo
        await open_step(app, pilot, gateway, master, 3, client_id)
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one(Select).value = "tv"
        app.screen.query_one("#field-brand Input", Input).value = "LG"
        app.screen.query_one("#field-model Input", Input).value = "OLED55"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert count_rows(db, MasterDevicePhoto) == 1
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")

        # 7 is blocked until the payment
        await open_step(app, pilot, gateway, master, 7, client_id)
        assert "Оплата ещё не подтверждена" in screen_text(app)
        await pilot.press("escape")

        # 4 Тариф
        await open_step(app, pilot, gateway, master, 4, client_id)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Применён тариф «Базовый»" in screen_text(app)
        await pilot.press("escape")

        # 5 Договор: generate, a wrong code, the right one from the client's ticket
        screen = await open_step(app, pilot, gateway, master, 5, client_id)
        assert isinstance(screen, ContractScreen)
        await pilot.press("ctrl+g")
        await answer_deliberately(pilot)
        await settle(pilot)
        text = screen_text(app)
        assert re.search(r"Договор ПМ-\d{4}-\d{6} на сумму 990,00 ₽: ждёт подписи", text)
        assert re.search(r"Код действует ещё (10:00|09:5\d)", text)
        assert "Осталось попыток: 5" in text
        assert "-draft.pdf" in text
        assert screen.timer is not None
        code = latest_code(db, user_id)
        assert code not in screen_text(app)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        await pilot.press(*wrong, "enter")
        await settle(pilot)
        assert "Неверный код. Осталось попыток: 4" in (field(screen, "code").error or "")
        assert screen_text(app).count("Неверный код") == 1  # said once, beside the field
        assert "Осталось попыток: 4" in screen_text(app)
        with db.reading() as session:
            contract = session.query(MasterContract).filter_by(client_id=client_id).one()
            assert (contract.otp_attempts, contract.status) == (1, "awaiting_signature")
        await pilot.press(*code, "enter")
        await settle(pilot)
        assert client_row(db, client_id).status == "signed"
        assert "-signed.pdf" in screen_text(app)
        assert screen.timer is None
        await pilot.press("escape")

        # steps 1-4 are read-only now
        screen = await open_step(app, pilot, gateway, master, 1, client_id)
        assert "Только просмотр" in screen_text(app)
        assert field(screen, "address").query_one(Input).disabled
        await pilot.press("escape")

        # 6 Оплата: a different amount needs a reason
        screen = await open_step(app, pilot, gateway, master, 6, client_id)
        assert value(screen, "amount") == "990,00"
        screen.query_one(Select).value = "cash"
        set_value(screen, "amount", "900")
        await settle(pilot)
        assert "укажите причину" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "укажите причину" in (field(screen, "reason").error or "")
        assert screen_text(app).count("укажите причину") == 1  # the hint gave way to the error
        assert value(screen, "amount") == "900"
        assert client_row(db, client_id).status == "signed"
        set_value(screen, "amount", "990")
        set_value(screen, "receipt", "Чек 0042")
        await pilot.press("ctrl+s")
        await answer_deliberately(pilot)
        await settle(pilot)
        assert client_row(db, client_id).status == "paid"
        payload = latest_payload(db, user_id)
        assert (payload["type"], payload["amount"], payload["receipt"]) == (
            "payment_received",
            "990.00",
            "Чек 0042",
        )
        await pilot.press("escape")

        # 7 Счёт
        await open_step(app, pilot, gateway, master, 7, client_id)
        await pilot.press("ctrl+s")
        await answer_deliberately(pilot)
        await settle(pilot)
        text = screen_text(app)
        assert re.search(r"Счёт: СЧ-\d{4}-\d{6}", text)
        assert "Сумма: 990,00 ₽" in text
        assert ".pdf" in text
        assert client_row(db, client_id).status == "processed"
        assert latest_payload(db, user_id)["type"] == "invoice"
        assert count_rows(db, MasterInvoice, client_id=client_id) == 1
