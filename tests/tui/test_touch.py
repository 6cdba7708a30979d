"""A phone: taps arrive as mouse clicks, words arrive whole, the screen is 48x16, and colour
may be off (issue 11, items 3, 5 and 6).

Every action is a tap on something visible (footer keys, tabs, buttons, the card's step
rows) and a plain key; the compact footer keeps the keys that matter; a predictive keyboard's
word sent in one write is ordinary typing; with `NO_COLOR` the states still read as words
and marks.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TabbedContent, Tabs
from textual.widgets._footer import FooterKey

from privet_tui.services.actor import Actor
from privet_tui.services.gateway import Gateway
from privet_tui.tui.app import PrivetApp
from privet_tui.tui.paste_guard import _GuardedParser
from privet_tui.tui.screens.card import CardScreen
from privet_tui.tui.screens.clients import ClientsScreen
from privet_tui.tui.screens.help import HelpScreen
from privet_tui.tui.screens.login import LoginScreen
from privet_tui.tui.screens.steps.base import StepScreen
from privet_tui.tui.screens.steps.registry import STEP_SCREENS
from tests.tui.people import EMAIL, PASSWORD
from tests.tui.shell import login, screen_text
from tests.tui.step_data import claimed_client
from tests.tui.step_screens import Settle

PHONE = (48, 16)


def shown_footer_keys(app: PrivetApp) -> list[str]:
    """The descriptions of the footer keys a master can see (and tap) now."""
    return [
        key.description or key.key_display
        for key in app.screen.query(FooterKey)
        if key.display and all(node.display for node in key.ancestors_with_self if node.parent)
    ]


async def tap_footer(pilot: Pilot[PrivetApp], action: str) -> None:
    """Tap the footer key of `action` (a click, as a phone's ssh client sends a tap)."""
    key = next(k for k in pilot.app.screen.query(FooterKey) if k.action == action)
    assert await pilot.click(key)


async def test_a_word_typed_at_once_is_ordinary_typing(
    make_app: Callable[..., PrivetApp], settle: Settle
) -> None:
    """A predictive keyboard writes a word per write: through the real input parser each
    character is a key press into the field, not a paste and not lost."""
    app = make_app()
    async with app.run_test(size=PHONE) as pilot:
        await settle(pilot)
        field = app.screen.query_one("#email", Input)
        assert field.has_focus
        parser = _GuardedParser(debug=False)
        for word in ("demo@privet", ".local", " слово"):
            events = list(parser.feed(word))
            assert [type(e).__name__ for e in events] == ["Key"] * len(word)
            for event in events:
                app.post_message(event)
            await settle(pilot)
        assert field.value == "demo@privet.local слово"


async def test_the_phone_footer_keeps_the_keys_that_matter_and_each_is_a_tap(
    make_app: Callable[..., PrivetApp],
    gateway: Gateway,
    login_master: Actor,
    people: list[int],
    settle: Settle,
) -> None:
    gateway.claim_client(login_master, people[1])
    app = make_app()
    async with app.run_test(size=PHONE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        assert isinstance(app.screen, ClientsScreen)
        assert shown_footer_keys(app) == ["Открыть", "Поиск", "Выйти", "Помощь"]
        # the tabs are tapped, the list row is tapped, «Открыть» is tapped
        assert await pilot.click("#clients-tabs Tab#mine")
        await settle(pilot)
        assert app.screen.query_one("#clients-tabs", Tabs).active == "mine"
        await tap_footer(pilot, "select_cursor")
        await settle(pilot)
        card = app.screen
        assert isinstance(card, CardScreen)
        assert "Назад" in shown_footer_keys(app)
        # a step row of the card is a tap target: step 1 opens
        assert await pilot.click("#card-steps", offset=(2, 1))
        await settle(pilot)
        assert isinstance(app.screen, StepScreen)
        assert app.screen.STEP == 1
        # a field has the focus, so «?» would be typed into it: the footer offers F1 instead
        step = app.screen
        assert isinstance(app.focused, Input)
        assert "Помощь" in shown_footer_keys(app)
        await tap_footer(pilot, "help")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is step
        await tap_footer(pilot, "back")
        await settle(pilot)
        assert app.screen is card
        # the card's tabs are tapped too; «b» is the plain key for back
        assert await pilot.click("#card-tabs Tab#--content-tab-chat")
        await settle(pilot)
        assert card.query_one("#card-tabs", TabbedContent).active == "chat"
        await pilot.press("escape")  # out of the reply field, if it took the focus
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)


async def test_step_screens_have_plain_keys_for_back_and_reload(
    make_app: Callable[..., PrivetApp],
    gateway: Gateway,
    login_master: Actor,
    people: list[int],
    settle: Settle,
) -> None:
    gateway.claim_client(login_master, people[1])
    app = make_app()
    async with app.run_test(size=PHONE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        await app.push_screen(CardScreen(people[1]))
        await settle(pilot)
        await pilot.press("3")  # the devices step: no field takes the focus
        await settle(pilot)
        assert isinstance(app.screen, StepScreen)
        assert app.screen.STEP == 3
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, StepScreen)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, CardScreen)


async def test_without_colour_states_are_words_and_marks(
    make_app: Callable[..., PrivetApp],
    gateway: Gateway,
    login_master: Actor,
    people: list[int],
    settle: Settle,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    gateway.claim_client(login_master, people[1])
    app = make_app()
    async with app.run_test(size=PHONE) as pilot:
        assert app.no_color
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await login(pilot, EMAIL, "wrong-password")
        assert "!" in screen_text(app)  # the error line carries a mark, not only red
        await login(pilot, EMAIL, PASSWORD)
        text = screen_text(app)
        assert "Новый" in text  # a client's status is a word in the list
        await app.push_screen(CardScreen(people[1]))
        await settle(pilot)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        text = screen_text(app)
        assert "[ ] 1 Контакты   сделать" in text
        assert "[-] 4 Тариф      недоступно" in text


async def test_the_focused_field_stays_in_view_when_the_keyboard_opens(
    make_app: Callable[..., PrivetApp],
    gateway: Gateway,
    login_master: Actor,
    people: list[int],
    settle: Settle,
) -> None:
    """A soft keyboard opening takes half the rows: the field being typed into scrolls into
    view, its label above it on a narrow screen."""
    client_id = claimed_client(gateway, login_master, people[1])
    app = make_app()
    async with app.run_test(size=(80, 30)) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        screen = STEP_SCREENS[1](gateway, login_master, client_id)
        await app.push_screen(screen)
        await settle(pilot)
        address = screen.query_one("#field-address Input", Input)
        address.focus()
        await settle(pilot)
        await pilot.resize_terminal(*PHONE)
        await settle(pilot)
        await pilot.pause()
        body = screen.query_one("#step-body")
        assert address.has_focus
        assert address.region.height == 1
        assert body.region.contains_region(address.region)
        label = screen.query_one("#field-address .field-label")
        assert label.region.y == address.region.y - 1  # the label above the field
