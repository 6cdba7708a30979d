"""Issue 13, item 1 (TUI half): on the card an administrator reassigns, the holder or an
administrator releases and cancels with a reason, each after a deliberate «Да», the
service's refusals shown; `c` on another master's client says who holds it; the card shows
the ids the CLI takes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from textual.pilot import Pilot
from textual.widgets import Input, Label, OptionList

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.services.actor import Actor
from privet_tui.services.gateway import Gateway
from privet_tui.tui.app import PrivetApp
from privet_tui.tui.screens.card import CardScreen
from privet_tui.tui.screens.card_admin import CancelReasonModal, ChooseMasterModal
from privet_tui.tui.screens.help import key_lines
from privet_tui.tui.widgets.confirm import ConfirmModal
from tests.tui.shell import notifications, screen_text
from tests.tui.step_screens import Settle, step_app


async def open_card(app: PrivetApp, pilot: Pilot[Any], settle: Settle, user: int) -> CardScreen:
    """Push the card of a person as Enter on the list does, and wait until it has loaded."""
    screen = CardScreen(user)
    await app.push_screen(screen)
    await settle(pilot)
    assert screen.card is not None
    return screen


def _row(db: Database, client_id: int) -> tuple[str, int | None, str | None]:
    """(status, assigned master, cancel reason) of a client."""
    with db.reading() as s:
        row = s.execute(
            text(
                "SELECT status, assigned_master_id, cancel_reason FROM master_clients WHERE id = :c"
            ),
            {"c": client_id},
        ).one()
    return row[0], row[1], row[2]


def _claimed(gateway: Gateway, holder: Actor, user: int) -> int:
    card = gateway.claim_client(holder, user)
    assert card.client_id is not None
    return card.client_id


async def test_admin_reassigns_to_a_chosen_master_after_confirming(
    settings: Settings,
    db: Database,
    gateway: Gateway,
    master: Actor,
    other_master: Actor,
    admin: Actor,
    user_id: int,
    settle: Settle,
) -> None:
    client_id = _claimed(gateway, master, user_id)
    async with step_app(settings, db, admin) as (app, pilot, _):
        screen = await open_card(app, pilot, settle, user_id)
        assert any(c.title == "Передать клиента другому мастеру" for c in screen.palette_commands())
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ChooseMasterModal)
        options = app.screen.query_one("#masters", OptionList)
        offered = {options.get_option_at_index(i).id for i in range(options.option_count)}
        assert str(master.id) not in offered  # the holder is not offered to himself
        assert str(other_master.id) in offered
        options.highlighted = options.get_option_index(str(other_master.id))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "Ольга Кузнецова" in screen_text(app)
        await pilot.press("n")  # declined: nothing changes
        await settle(pilot)
        assert _row(db, client_id)[1] == master.id
        await pilot.press("a")
        await settle(pilot)
        options = app.screen.query_one("#masters", OptionList)
        options.highlighted = options.get_option_index(str(other_master.id))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
        assert _row(db, client_id)[1] == other_master.id
        assert "Клиент передан мастеру Ольга Кузнецова" in notifications(app)
        assert screen.card is not None
        assert screen.card.master_name == "Ольга Кузнецова"  # the card reloaded


async def test_a_master_cannot_reassign(
    settings: Settings,
    db: Database,
    gateway: Gateway,
    master: Actor,
    user_id: int,
    settle: Settle,
) -> None:
    client_id = _claimed(gateway, master, user_id)
    async with step_app(settings, db, master) as (app, pilot, _):
        screen = await open_card(app, pilot, settle, user_id)
        titles = [c.title for c in screen.palette_commands()]
        assert "Передать клиента другому мастеру" not in titles
        assert "Отменить клиента" in titles
        await pilot.press("a")
        await settle(pilot)
        assert app.screen is screen  # no list of masters to choose from
        assert "Передать клиента другому мастеру может только администратор" in notifications(app)
        assert _row(db, client_id)[1] == master.id


async def test_the_holder_releases_a_client_back_to_new(
    settings: Settings,
    db: Database,
    gateway: Gateway,
    master: Actor,
    user_id: int,
    settle: Settle,
) -> None:
    client_id = _claimed(gateway, master, user_id)
    async with step_app(settings, db, master) as (app, pilot, _):
        screen = await open_card(app, pilot, settle, user_id)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await settle(pilot)
        assert _row(db, client_id)[:2] == ("in_progress", master.id)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert _row(db, client_id)[:2] == ("new", None)
        assert "Клиент возвращён в «Новые»" in notifications(app)
        assert screen.card is not None
        assert screen.card.status == "new"
        await pilot.press("u")  # again: the service's refusal, in Russian
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert any("Нельзя вернуть клиента в «Новые»" in n for n in notifications(app))


async def test_an_admin_releases_another_masters_client(
    settings: Settings,
    db: Database,
    gateway: Gateway,
    master: Actor,
    admin: Actor,
    user_id: int,
    settle: Settle,
) -> None:
    client_id = _claimed(gateway, master, user_id)
    async with step_app(settings, db, admin) as (app, pilot, _):
        await open_card(app, pilot, settle, user_id)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert _row(db, client_id)[:2] == ("new", None)


async def test_cancel_asks_a_reason_refuses_an_empty_one_and_shows_it_after(
    settings: Settings,
    db: Database,
    gateway: Gateway,
    master: Actor,
    user_id: int,
    settle: Settle,
) -> None:
    client_id = _claimed(gateway, master, user_id)
    async with step_app(settings, db, master) as (app, pilot, _):
        screen = await open_card(app, pilot, settle, user_id)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, CancelReasonModal)
        await pilot.press("space", "enter")  # a blank reason
        await settle(pilot)
        assert isinstance(app.screen, CancelReasonModal)
        error = app.screen.query_one("#reason-error", Label)
        assert "Укажите причину отмены" in str(error.render())
        app.screen.query_one("#reason", Input).value = "Клиент передумал [b]"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "Клиент передумал [b]" in screen_text(app)  # typed text, not markup
        await pilot.press("y")
        await settle(pilot)
        assert _row(db, client_id) == ("cancelled", master.id, "Клиент передумал [b]")
        assert "Клиент отменён" in notifications(app)
        assert screen.card is not None
        assert screen.card.status == "cancelled"
        assert "Причина отмены: Клиент передумал [b]" in screen_text(app)


async def test_escape_from_the_reason_cancels_nothing(
    settings: Settings,
    db: Database,
    gateway: Gateway,
    master: Actor,
    user_id: int,
    settle: Settle,
) -> None:
    client_id = _claimed(gateway, master, user_id)
    async with step_app(settings, db, master) as (app, pilot, _):
        screen = await open_card(app, pilot, settle, user_id)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert _row(db, client_id)[0] == "in_progress"


async def test_c_on_another_masters_client_says_who_holds_it(
    settings: Settings,
    db: Database,
    gateway: Gateway,
    master: Actor,
    other_master: Actor,
    user_id: int,
    settle: Settle,
) -> None:
    client_id = _claimed(gateway, master, user_id)
    async with step_app(settings, db, other_master) as (app, pilot, _):
        await open_card(app, pilot, settle, user_id)
        await pilot.press("c")
        await settle(pilot)
        assert "Клиент уже в работе у мастера Алексей Смирнов" in notifications(app)
        assert _row(db, client_id)[1] == master.id


async def test_c_on_ones_own_client_says_so(
    settings: Settings,
    db: Database,
    gateway: Gateway,
    master: Actor,
    user_id: int,
    settle: Settle,
) -> None:
    _claimed(gateway, master, user_id)
    async with step_app(settings, db, master) as (app, pilot, _):
        await open_card(app, pilot, settle, user_id)
        await pilot.press("c")
        await settle(pilot)
        assert "Клиент уже у вас в работе" in notifications(app)


async def test_the_card_shows_the_ids_and_its_keys_are_in_the_help(
    settings: Settings,
    db: Database,
    gateway: Gateway,
    master: Actor,
    user_id: int,
    settle: Settle,
) -> None:
    async with step_app(settings, db, master) as (app, pilot, _):
        screen = await open_card(app, pilot, settle, user_id)
        assert f"ID в приложении: {user_id}" in screen_text(app)
        assert "Клиент №" not in screen_text(app)  # nobody has claimed the person yet
        await pilot.press("c")
        await settle(pilot)
        assert screen.card is not None
        assert screen.card.client_id is not None
        shown = f"ID в приложении: {user_id} · Клиент № {screen.card.client_id}"
        assert shown in screen_text(app)
        own, _ = key_lines(screen)
        described = dict((d, k) for k, d in own)
        assert described["Передать другому мастеру"] == "a/ф"
        assert described["Вернуть в «Новые»"] == "u/г"
        assert described["Отменить клиента (с причиной)"] == "x/ч"


# --- on the demo: a paid client cannot be cancelled ---------------------------------------


async def test_cancel_after_payment_is_refused_with_the_reason(
    demo_settings: Settings, demo_db: Database, settle: Settle
) -> None:
    with demo_db.reading() as s:
        row = s.execute(
            text(
                "SELECT c.id, c.user_id, u.id, u.email, u.name, u.role FROM master_clients c"
                " JOIN master_users u ON u.id = c.assigned_master_id"
                " WHERE c.status = 'paid' ORDER BY c.id LIMIT 1"
            )
        ).one()
    client_id, user = row[0], row[1]
    holder = Actor(id=row[2], email=row[3], name=row[4], role=row[5])
    async with step_app(demo_settings, demo_db, holder) as (app, pilot, _):
        await open_card(app, pilot, settle, user)
        await pilot.press("x")
        await settle(pilot)
        app.screen.query_one("#reason", Input).value = "Клиент передумал"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "Нельзя отменить клиента: клиент в статусе «Оплачен»" in notifications(app)
        assert _row(demo_db, client_id)[0] == "paid"
