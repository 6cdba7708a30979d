"""The client card: steps with literal marks, claim (and the race loser), steps, chat, log."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, ClassVar

import pytest
from sqlalchemy import select, text
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input, Label

from privet_tui.db.engine import Database
from privet_tui.db.models.support import SupportMessage
from privet_tui.services.actor import Actor
from privet_tui.services.gateway import Gateway
from privet_tui.services.rules.passport import PassportInput
from privet_tui.services.steps import passport as passports
from privet_tui.tui.app import PrivetApp
from privet_tui.tui.screens import card as card_module
from privet_tui.tui.screens.card import CardScreen
from tests.tui.people import EMAIL, PASSWORD
from tests.tui.shell import SIZE, login, notifications, screen_text, wait_for
from tests.tui.step_screens import Settle, wait_for_workers


async def open_card(app: PrivetApp, pilot: Any, user_id: int) -> CardScreen:
    """Log in and open the card of one person, as Enter on the list does."""
    await login(pilot, EMAIL, PASSWORD)
    screen = CardScreen(user_id)
    await app.push_screen(screen)
    await wait_for_workers(pilot)
    return screen


def _save_passport(db: Database, actor: Actor, client_id: int, version: int) -> None:
    form = PassportInput(
        series="4510",
        number="123678",
        issue_date="01.02.2015",
        issued_by="ОВД Тверской",
        department_code="770-001",
        birth_date="05.06.1990",
        birth_place="г. Москва",
        registration_address="г. Москва, ул. Тверская, д. 1",
    )
    with db.transaction() as session:
        passports.save_passport(session, actor, client_id, version, form)


async def test_card_shows_steps_with_literal_marks_and_masked_passport(
    make_app: Callable[..., PrivetApp],
    gateway: Gateway,
    db: Database,
    login_master: Actor,
    people: list[int],
    settle: Settle,
) -> None:
    claimed = gateway.claim_client(login_master, people[0])
    assert claimed.client_id is not None
    assert claimed.version is not None
    _save_passport(db, login_master, claimed.client_id, claimed.version)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_card(app, pilot, people[0])
        shown = screen_text(app)
        assert "[ ] 1 Контакты" in shown
        assert "[x] 2 Паспорт" in shown
        assert "[-] 4 Тариф" in shown
        assert "Сначала добавьте хотя бы одно устройство" in shown
        assert "4510" not in shown
        assert "123678" not in shown
        assert "***678" in shown
        assert "В работе" in shown
        assert "Демо Мастер" in shown
        await pilot.press("v", "v")  # chat, then the log (the chat does not grab the keys)
        await settle(pilot)
        assert "Клиент взят в работу" in screen_text(app)


async def test_claim_by_key(
    make_app: Callable[..., PrivetApp], login_master: Actor, people: list[int], settle: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        card = await open_card(app, pilot, people[0])
        assert "не взят в работу" in screen_text(app)
        await pilot.press("c")
        await settle(pilot)
        assert card.card is not None
        assert card.card.status == "in_progress"
        assert card.card.master_name == "Демо Мастер"
        assert "Клиент взят в работу" in notifications(app)
        assert "c" not in {k for k, b in app.screen.active_bindings.items() if b.binding.show}


async def test_claim_race_loser_is_told_who_has_the_client(
    make_app: Callable[..., PrivetApp],
    gateway: Gateway,
    login_master: Actor,
    other_master: Actor,
    people: list[int],
    settle: Settle,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        card = await open_card(app, pilot, people[0])
        assert card.card is not None
        assert card.card.status == "new"
        gateway.claim_client(other_master, people[0])  # the other master was faster
        await pilot.press("c")
        await settle(pilot)
        assert "Клиент уже в работе у мастера Ольга Кузнецова" in notifications(app)
        assert card.card.master_name == "Ольга Кузнецова"
        assert "Клиент в работе у мастера Ольга Кузнецова" in screen_text(app)


class _FakeStep(Screen[None]):
    """Stands in for a step screen: records how it was built, Esc closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen")]
    built: ClassVar[list[tuple[int, int]]] = []

    def __init__(self, gateway: Gateway, actor: Actor, client_id: int) -> None:
        super().__init__()
        self.built.append((actor.id, client_id))

    def compose(self) -> Any:
        yield Label("шаг-заглушка")


async def test_step_key_claims_then_opens_the_step_and_refreshes_after(
    make_app: Callable[..., PrivetApp],
    login_master: Actor,
    people: list[int],
    monkeypatch: pytest.MonkeyPatch,
    settle: Settle,
) -> None:
    monkeypatch.setattr(card_module, "step_screen_factory", lambda number: _FakeStep)
    _FakeStep.built.clear()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        card = await open_card(app, pilot, people[0])
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, _FakeStep)
        assert card.card is not None
        assert card.card.client_id is not None
        assert _FakeStep.built == [(login_master.id, card.card.client_id)]
        loads = card.card
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is card
        assert card.card is not loads  # reloaded after the step screen closed


async def test_missing_step_screen_is_a_notice(
    make_app: Callable[..., PrivetApp],
    gateway: Gateway,
    login_master: Actor,
    people: list[int],
    monkeypatch: pytest.MonkeyPatch,
    settle: Settle,
) -> None:
    monkeypatch.setattr(card_module, "step_screen_factory", lambda number: None)
    gateway.claim_client(login_master, people[0])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        card = await open_card(app, pilot, people[0])
        await pilot.press("1")
        await settle(pilot)
        assert app.screen is card
        assert "Шаг 1 ещё не готов в этой версии программы" in notifications(app)


async def test_chat_sends_a_reply_and_shows_client_answers_live(
    make_app: Callable[..., PrivetApp],
    gateway: Gateway,
    db: Database,
    login_master: Actor,
    people: list[int],
    settle: Settle,
) -> None:
    gateway.claim_client(login_master, people[0])
    app = make_app(live_updates=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_card(app, pilot, people[0])
        await pilot.press("v")
        chat_input = app.screen.query_one("#chat-input", Input)
        assert app.focused is app.screen.query_one("#chat-view")  # `v` goes on, not typed
        await pilot.press("tab")
        assert app.focused is chat_input
        chat_input.value = "Добрый день! Завтра в 10:00 удобно?"
        await pilot.press("enter")
        await settle(pilot)
        assert chat_input.value == ""
        with db.reading() as session:
            stored = session.execute(select(SupportMessage.author, SupportMessage.body)).all()
        assert [tuple(r) for r in stored] == [("support", "Добрый день! Завтра в 10:00 удобно?")]
        assert "Добрый день! Завтра в 10:00 удобно?" in screen_text(app)
        with db.transaction() as session:  # the client answers from the «Привет Супер» app,
            ticket = session.execute(text("SELECT id FROM support_tickets")).scalar_one()
            session.execute(  # which tells nobody: the open chat asks every 2 s
                text(
                    "INSERT INTO support_messages (ticket_id, author, body)"
                    " VALUES (:t, 'client', 'Да, жду мастера')"
                ),
                {"t": ticket},
            )
        started = time.monotonic()
        await wait_for(pilot, lambda: "Да, жду мастера" in screen_text(app))
        assert time.monotonic() - started < 3  # the freshness target of issue 13
        assert "Клиент:" in screen_text(app)
        await pilot.press("escape")  # out of the reply field
        await pilot.press("v")
        assert app.screen.query_one("#card-tabs").active == "log"


async def test_empty_chat_message_is_refused_and_nothing_typed_is_lost(
    make_app: Callable[..., PrivetApp], login_master: Actor, people: list[int], settle: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_card(app, pilot, people[0])  # not claimed: the service refuses
        await pilot.press("v", "tab")
        chat_input = app.screen.query_one("#chat-input", Input)
        chat_input.value = "Здравствуйте"
        await pilot.press("enter")
        await settle(pilot)
        assert chat_input.value == "Здравствуйте"
        assert any("сначала возьмите его в работу" in n for n in notifications(app))
