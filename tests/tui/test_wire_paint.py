"""Issue 11, few bytes per screen: a card that arrives fast is painted once (no «загрузка…»
flash), and the open chat's poll repaints nothing when it finds nothing new."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from privet_tui.services.actor import Actor
from privet_tui.services.gateway import Gateway
from privet_tui.tui import texts
from privet_tui.tui.app import PrivetApp
from privet_tui.tui.screens import card as card_module
from privet_tui.tui.screens.card import CardScreen
from privet_tui.tui.widgets.chat import ChatView
from tests.tui.people import EMAIL, PASSWORD
from tests.tui.shell import SIZE, login, screen_text
from tests.tui.step_screens import Settle, wait_for_workers


async def test_a_card_that_arrives_in_time_never_shows_loading(
    make_app: Callable[..., PrivetApp],
    login_master: Actor,
    people: list[int],
    settle: Settle,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "in time" made certain: the placeholder would wait longer than any test machine
    monkeypatch.setattr(card_module, "LOADING_DELAY", 30.0)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        screen = CardScreen(people[0])
        await app.push_screen(screen)
        assert texts.CARD_LOADING not in screen_text(app)  # the first paint, before the data
        await wait_for_workers(pilot)
        await settle(pilot)
        assert screen.card is not None
        assert texts.CARD_LOADING not in screen_text(app)
        assert "Шаги" in screen_text(app)


async def test_a_late_card_says_it_is_loading(
    make_app: Callable[..., PrivetApp],
    login_master: Actor,
    people: list[int],
    settle: Settle,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(card_module, "LOADING_DELAY", 0.01)
    monkeypatch.setattr(CardScreen, "reload", lambda self: None)  # the data never comes
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        await app.push_screen(CardScreen(people[0]))
        await pilot.pause(0.1)
        await settle(pilot)
        assert texts.CARD_LOADING in screen_text(app)


@pytest.mark.parametrize("with_messages", [False, True])
async def test_a_chat_poll_that_finds_nothing_new_repaints_nothing(
    make_app: Callable[..., PrivetApp],
    gateway: Gateway,
    login_master: Actor,
    people: list[int],
    settle: Settle,
    monkeypatch: pytest.MonkeyPatch,
    with_messages: bool,
) -> None:
    gateway.claim_client(login_master, people[0])  # a reply needs the client in work
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        screen = CardScreen(people[0])
        await app.push_screen(screen)
        await wait_for_workers(pilot)
        await pilot.press("v")  # the chat tab: its poll runs
        await settle(pilot)
        if with_messages:
            screen.send_reply("Добрый день!")
            await wait_for_workers(pilot)
            await settle(pilot)
            assert "Добрый день!" in screen_text(app)
        view = screen.query_one("#chat-view", ChatView)
        painted: list[Any] = []
        original = view.refresh
        monkeypatch.setattr(view, "refresh", lambda *a, **k: painted.append(a) or original(*a, **k))
        screen._poll_chat()
        await wait_for_workers(pilot)
        await settle(pilot)
        assert painted == []
