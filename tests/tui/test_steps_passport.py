"""Step 2 «Паспорт»: masked input, the stored passport shown masked until revealed, the
reveal recorded in the audit log, and bad input kept with messages beside the fields."""

from __future__ import annotations

from textual.widgets import Input

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.db.models.clients import MasterPassport
from privet_tui.db.models.support import MasterSupportMessage
from privet_tui.services.actor import Actor
from privet_tui.tui.paste_guard import _GuardedParser
from tests.tui.step_data import claimed_client, count_rows
from tests.tui.step_screens import Settle, field, open_step, screen_text, set_value, step_app, value

#: Typed key by key into the masked fields (the masks insert spaces, dots and the dash).
TYPED = {
    "series_number": "4510123678",
    "issue_date": "20052015",
    "department_code": "770001",
    "birth_date": "15031990",
}
PASTED = {
    "issued_by": "ОВД района Хамовники г. Москвы",
    "birth_place": "г. Москва",
    "registration_address": "г. Москва, ул. Ленина, д. 1, кв. 2",
}


async def test_passport_typed_through_masks_is_saved_masked_and_revealed_with_audit(
    settings: Settings, db: Database, master: Actor, user_id: int, settle: Settle
) -> None:
    async with step_app(settings, db, master) as (app, pilot, gateway):
        client_id = claimed_client(gateway, master, user_id)
        screen = await open_step(app, pilot, gateway, master, 2, client_id)
        for name, keys in TYPED.items():
            field(screen, name).query_one(Input).focus()
            await pilot.press(*keys)
        for name, text in PASTED.items():
            set_value(screen, name, text)
        assert value(screen, "series_number") == "45 10 123678"
        assert value(screen, "department_code") == "770-001"
        assert value(screen, "birth_date") == "15.03.1990"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert count_rows(db, MasterPassport, client_id=client_id) == 1
        text = screen_text(app)
        assert "45 ** ***678" in text
        assert "123678" not in text
        assert not screen.query_one("#passport-form").display
        views = count_rows(db, MasterSupportMessage, action="passport.viewed")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert count_rows(db, MasterSupportMessage, action="passport.viewed") == views + 1
        assert value(screen, "series_number") == "45 10 123678"
        assert value(screen, "issue_date") == "20.05.2015"
        assert "45 10 123678" in screen_text(app)


async def test_bad_passport_shows_messages_beside_fields_and_writes_nothing(
    settings: Settings, db: Database, master: Actor, user_id: int, settle: Settle
) -> None:
    async with step_app(settings, db, master) as (app, pilot, gateway):
        client_id = claimed_client(gateway, master, user_id)
        screen = await open_step(app, pilot, gateway, master, 2, client_id)
        bad = {
            "series_number": "45 1",
            "issue_date": "31.02.2015",
            "issued_by": "ОВД",
            "department_code": "770-001",
            "birth_date": "15.03.2020",
            "birth_place": "г. Москва",
            "registration_address": "",
        }
        for name, text in bad.items():
            set_value(screen, name, text)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Серия паспорта" in (field(screen, "series_number").error or "")
        assert "не существует" in (field(screen, "issue_date").error or "")
        assert "с 14 лет" in (field(screen, "birth_date").error or "")
        assert "Адрес регистрации" in (field(screen, "registration_address").error or "")
        assert field(screen, "issued_by").error is None
        assert value(screen, "issued_by") == "ОВД"
        assert value(screen, "issue_date") == "31.02.2015"
        assert count_rows(db, MasterPassport, client_id=client_id) == 0

        # valid, but issued at 18 and never replaced at 20: stored, with the warning
        expired = {**bad, "series_number": "45 10 123678", "issue_date": "01.06.1998"}
        expired |= {"birth_date": "15.03.1980", "registration_address": "г. Москва, ул. Ленина, 1"}
        for name, text in expired.items():
            set_value(screen, name, text)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert count_rows(db, MasterPassport, client_id=client_id) == 1
        assert "Паспорт просрочен" in screen_text(app)


async def test_keys_typed_right_after_enter_land_in_the_next_field(
    settings: Settings, db: Database, master: Actor, user_id: int, settle: Settle
) -> None:
    """A slow link delivers a burst: «…Enter01.02.2015» in one read. Enter moves on before the
    next key is handled, so the date goes into «Дата выдачи», not lost in the full series."""
    async with step_app(settings, db, master) as (app, pilot, gateway):
        client_id = claimed_client(gateway, master, user_id)
        screen = await open_step(app, pilot, gateway, master, 2, client_id)
        field(screen, "series_number").query_one(Input).focus()
        await settle(pilot)
        for event in _GuardedParser(debug=False).feed("4510123678\r20.05.2015\r"):
            app.post_message(event)  # all at once, as one read of the terminal delivers them
        await settle(pilot)
        assert value(screen, "series_number") == "45 10 123678"
        assert value(screen, "issue_date") == "20.05.2015"
        assert field(screen, "issued_by").query_one(Input).has_focus


async def test_every_passport_field_scrolls_into_view_at_48x16(
    settings: Settings, db: Database, master: Actor, user_id: int, settle: Settle
) -> None:
    """The last fields (birth place, registration) were clipped on a phone: the form took
    the body's height instead of its own, so nothing scrolled to them."""
    async with step_app(settings, db, master) as (app, pilot, gateway):
        client_id = claimed_client(gateway, master, user_id)
        await pilot.resize_terminal(48, 16)
        screen = await open_step(app, pilot, gateway, master, 2, client_id)
        body = screen.query_one("#step-body").region
        for control in screen.query("#passport-form Input").results(Input):
            control.focus()
            await settle(pilot)
            assert body.contains_region(control.region), control.parent
