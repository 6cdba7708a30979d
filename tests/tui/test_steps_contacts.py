"""Step 1 «Контакты» driven through its screen: good and bad input, literal text, and a
save over a stale version."""

from __future__ import annotations

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.services.actor import Actor
from privet_tui.services.channels import CLIENTS_CHANNEL
from privet_tui.services.clients.claims import cancel_client
from privet_tui.services.live import Notice
from privet_tui.services.rules.validation import ContactInput
from privet_tui.tui.screens.steps.base import StepScreen
from privet_tui.tui.widgets.draft_conflict import DraftConflictModal
from tests.tui.step_data import add_person, claimed_client, client_row
from tests.tui.step_screens import Settle, field, open_step, screen_text, set_value, step_app, value

ADDRESS = "г. Москва, ул. Тверская, д. 1, кв. 5"


async def test_good_contacts_are_saved_normalised(
    settings: Settings, db: Database, master: Actor, user_id: int, settle: Settle
) -> None:
    async with step_app(settings, db, master) as (app, pilot, gateway):
        client_id = claimed_client(gateway, master, user_id)
        screen = await open_step(app, pilot, gateway, master, 1, client_id)
        assert value(screen, "full_name") == "Петров Иван Сергеевич"
        set_value(screen, "phone", "8 (916) 765-43-21")
        set_value(screen, "address", ADDRESS)
        await pilot.press("ctrl+s")
        await settle(pilot)
        row = client_row(db, client_id)
        assert (row.phone, row.address) == ("+79167654321", ADDRESS)
        assert value(screen, "phone") == "+7 916 765-43-21"
        await pilot.press("escape")  # from inside a field
        await settle(pilot)
        assert not isinstance(app.screen, StepScreen)


async def test_bad_contacts_show_inline_errors_and_keep_what_was_typed(
    settings: Settings, db: Database, master: Actor, user_id: int, settle: Settle
) -> None:
    async with step_app(settings, db, master) as (app, pilot, gateway):
        client_id = claimed_client(gateway, master, user_id)
        before = client_row(db, client_id)
        screen = await open_step(app, pilot, gateway, master, 1, client_id)
        set_value(screen, "phone", "+7 701 123 45 67")  # Kazakhstan
        set_value(screen, "email", "ivan@")
        set_value(screen, "address", ADDRESS)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Казахстан" in (field(screen, "phone").error or "")
        assert "name@example.ru" in (field(screen, "email").error or "")
        assert field(screen, "address").error is None
        assert "Казахстан" in screen_text(app)
        assert (value(screen, "phone"), value(screen, "email")) == ("+7 701 123 45 67", "ivan@")
        assert value(screen, "address") == ADDRESS
        after = client_row(db, client_id)
        assert (after.version, after.address) == (before.version, None)


async def test_people_typed_text_is_shown_literally(
    settings: Settings, db: Database, master: Actor
) -> None:
    user = add_person(db, "[b]Хакер[/b]", "[@click=app.quit]y")
    async with step_app(settings, db, master) as (app, pilot, gateway):
        client_id = claimed_client(gateway, master, user)
        await open_step(app, pilot, gateway, master, 1, client_id)
        text = screen_text(app)
        assert "[b]Хакер[/b]" in text
        assert "[@click=app.quit]y" in text
        assert app.is_running


async def test_stale_version_is_refused_then_reload_saves(
    settings: Settings, db: Database, master: Actor, user_id: int, settle: Settle
) -> None:
    async with step_app(settings, db, master) as (app, pilot, gateway):
        client_id = claimed_client(gateway, master, user_id)
        screen = await open_step(app, pilot, gateway, master, 1, client_id)
        seen = client_row(db, client_id).version
        gateway.save_contacts(
            master,
            client_id,
            seen,
            ContactInput("Петров Иван Сергеевич", "+79161234567", "ivan@example.ru", ADDRESS),
        )
        app.live.publish(Notice(CLIENTS_CHANNEL, {"client_id": client_id}))
        await settle(pilot)
        assert "изменил другой мастер" in screen_text(app)
        set_value(screen, "address", "г. Тула, ул. Мира, д. 3")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "обновите" in screen_text(app)
        assert value(screen, "address") == "г. Тула, ул. Мира, д. 3"
        assert client_row(db, client_id).address == ADDRESS
        await pilot.press("ctrl+r")  # re-read: the typed address is shown beside the saved
        await settle(pilot)
        assert isinstance(app.screen, DraftConflictModal)
        assert app.screen.rows == (("Адрес", "г. Тула, ул. Мира, д. 3", ADDRESS),)
        await pilot.press("escape")  # keep mine: over the new version, saved by Ctrl+S
        await settle(pilot)
        assert value(screen, "address") == "г. Тула, ул. Мира, д. 3"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert client_row(db, client_id).address == "г. Тула, ул. Мира, д. 3"


async def test_a_cancelled_clients_steps_say_so(
    settings: Settings, db: Database, master: Actor, user_id: int, settle: Settle
) -> None:
    """Read-only because cancelled, not «после подписания договора» (none was signed)."""
    async with step_app(settings, db, master) as (app, pilot, gateway):
        client_id = claimed_client(gateway, master, user_id)
        version = gateway.client_card_by_id(master, client_id).version
        assert version is not None
        form = ContactInput("Петров Иван Сергеевич", "+79161234567", "p@example.ru", ADDRESS)
        gateway.save_contacts(master, client_id, version, form)  # step 1 done, then cancelled
        gateway.call(cancel_client, master, client_id, "Клиент передумал")
        screen = await open_step(app, pilot, gateway, master, 1, client_id)
        await settle(pilot)
        shown = screen_text(app)
        assert "подключение клиента отменено" in shown
        assert "после подписания" not in shown
        assert screen is app.screen
