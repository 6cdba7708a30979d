"""The login form against the real accounts service: success, a wrong password, a lockout."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input, Static

from privet_tui.config import Settings
from privet_tui.services.actor import Actor
from privet_tui.services.gateway import Gateway
from privet_tui.tui.app import PrivetApp, create_app
from privet_tui.tui.screens.clients import ClientsScreen
from privet_tui.tui.screens.login import LoginScreen
from tests.tui.people import EMAIL, PASSWORD
from tests.tui.shell import SIZE, login, screen_text
from tests.tui.step_screens import Settle, wait_for_workers


async def test_login_opens_the_client_list_on_new(
    make_app: Callable[..., PrivetApp], login_master: Actor, people: list[int], settle: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.focused is app.screen.query_one("#email", Input)
        await pilot.press(*EMAIL, "tab")
        assert app.focused is app.screen.query_one("#password", Input)
        assert app.screen.query_one("#password", Input).password
        await pilot.press(*PASSWORD, "enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
        assert app.actor is not None
        assert app.actor.id == login_master.id
        assert app.screen.tab == "new"
        text = screen_text(app)
        assert "Петров Иван Сергеевич" in text
        assert "Демо Мастер" in text


async def test_wrong_password_says_how_many_tries_are_left(
    make_app: Callable[..., PrivetApp], login_master: Actor
) -> None:
    app = make_app(login_max_failures=5)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, "not-the-password")
        assert isinstance(app.screen, LoginScreen)
        error = str(app.screen.query_one("#login-error", Static).render())
        assert "Неверный email или пароль" in error
        assert "Осталось попыток: 4" in error
        # What was typed stays, except the password; the cursor waits in the password field.
        assert app.screen.query_one("#email", Input).value == EMAIL
        assert app.screen.query_one("#password", Input).value == ""
        assert app.focused is app.screen.query_one("#password", Input)
        await login(pilot, EMAIL, PASSWORD)
        assert isinstance(app.screen, ClientsScreen)


async def test_lockout_shows_the_unlock_time_and_refuses_the_right_password(
    make_app: Callable[..., PrivetApp], login_master: Actor
) -> None:
    app = make_app(login_max_failures=2, login_lockout_minutes=15)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, "wrong-1")
        assert "Осталось попыток: 1" in screen_text(app)
        await login(pilot, EMAIL, "wrong-2")
        assert "Вход заблокирован" in screen_text(app)
        await login(pilot, EMAIL, PASSWORD)
        assert isinstance(app.screen, LoginScreen)
        error = str(app.screen.query_one("#login-error", Static).render())
        assert "Вход заблокирован после неудачных попыток до " in error


async def test_empty_fields_are_asked_for_inline(
    make_app: Callable[..., PrivetApp], login_master: Actor, settle: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        assert "Введите email" in screen_text(app)
        app.screen.query_one("#email", Input).value = EMAIL
        await pilot.press("enter")
        assert app.focused is app.screen.query_one("#password", Input)
        await pilot.press("enter")
        assert "Введите пароль" in screen_text(app)


async def test_the_demo_note_is_on_the_login_screen(
    settings: Settings, gateway: Gateway, login_master: Actor
) -> None:
    """The demo prints its accounts before the TUI covers the terminal: the login screen
    repeats them (issue 13, item 7); people-typed text is never markup."""
    note = "Демо: мастер demo@privet.local, администратор admin@privet.local; пароль [b]x[/b]"
    app = create_app(settings, gateway=gateway, login_note=note, live_updates=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert str(app.screen.query_one("#login-note", Static).render()) == note
        await login(pilot, EMAIL, PASSWORD)
        app.action_logout()
        await pilot.pause()
        await pilot.press("y")  # the confirmation
        await wait_for_workers(pilot)
        assert str(app.screen.query_one("#login-note", Static).render()) == note
