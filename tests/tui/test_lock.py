"""Idle lock and session expiry: a password prompt over an untouched screen; logout."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input, Static

from privet_tui.services.actor import Actor
from privet_tui.tui.app import TIMER_CHECK_SECONDS, PrivetApp
from privet_tui.tui.screens.card import CardScreen
from privet_tui.tui.screens.clients import ClientsScreen
from privet_tui.tui.screens.lock import LockScreen
from privet_tui.tui.screens.login import LoginScreen
from tests.tui.people import EMAIL, PASSWORD, FakeClock
from tests.tui.shell import SIZE, login, screen_text
from tests.tui.step_screens import Settle, wait_for_workers


async def _unlock(pilot: object, app: PrivetApp, password: str) -> None:
    field = app.screen.query_one("#lock-password", Input)
    field.value = password
    field.focus()
    await pilot.press("enter")  # type: ignore[attr-defined]
    await wait_for_workers(pilot)  # type: ignore[arg-type]


async def test_idle_lock_covers_the_screen_until_the_password(
    make_app: Callable[..., PrivetApp],
    clock: FakeClock,
    login_master: Actor,
    people: list[int],
    settle: Settle,
) -> None:
    app = make_app(idle_lock_minutes=1)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.press("down", "enter")
        await settle(pilot)
        card = app.screen
        assert isinstance(card, CardScreen)
        clock.advance(0.5)
        app.check_session_timers()
        assert app.screen is card  # not idle long enough yet
        clock.advance(0.6)
        app.check_session_timers()
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        shown = screen_text(app)
        assert "Экран заблокирован: 1 мин без действий." in shown
        assert "Смирнова" not in shown  # the data beneath is covered
        await pilot.press("ctrl+p", "question_mark")  # nothing else works while locked
        assert isinstance(app.screen, LockScreen)
        await _unlock(pilot, app, "wrong-password")
        assert isinstance(app.screen, LockScreen)
        error = str(app.screen.query_one("#lock-error", Static).render())
        # a mark beside the colour, then the reason (no email asked)
        assert error.startswith("! Неверный пароль. Осталось попыток:"), error
        await _unlock(pilot, app, PASSWORD)
        assert app.screen is card  # the very same screen, as it was
        assert not app.locked
        clock.advance(0.5)
        app.check_session_timers()
        assert app.screen is card  # the unlock counts as activity


async def test_key_presses_keep_the_session_awake(
    make_app: Callable[..., PrivetApp], clock: FakeClock, login_master: Actor
) -> None:
    app = make_app(idle_lock_minutes=1)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        for _ in range(3):
            clock.advance(0.7)
            await pilot.press("down")
            app.check_session_timers()
        assert isinstance(app.screen, ClientsScreen)


async def test_session_expiry_asks_the_password_again(
    make_app: Callable[..., PrivetApp], clock: FakeClock, login_master: Actor, settle: Settle
) -> None:
    app = make_app(idle_lock_minutes=60, master_access_token_expire_minutes=2)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        beneath = app.screen
        clock.advance(2)
        await pilot.press("down")  # busy all along: expiry is since login, not since input
        app.check_session_timers()
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert "Сеанс истёк: прошло 2 мин со входа." in screen_text(app)
        await _unlock(pilot, app, PASSWORD)
        assert app.screen is beneath
        clock.advance(1)
        app.check_session_timers()
        assert app.screen is beneath  # a new session period started at the unlock


async def test_manual_lock_and_logout_from_it(
    make_app: Callable[..., PrivetApp], login_master: Actor, settle: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert "Экран заблокирован." in screen_text(app)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.actor is None
        assert app.screen.query_one("#email", Input).value == EMAIL


async def test_timers_are_checked_rarely(
    make_app: Callable[..., PrivetApp], settle: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.session_timer is not None
        assert TIMER_CHECK_SECONDS >= 5


async def test_small_terminal_gets_a_notice(
    make_app: Callable[..., PrivetApp], login_master: Actor, settle: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=(46, 20)) as pilot:
        await settle(pilot)
        assert "Увеличьте окно терминала (минимум 48×16)" in screen_text(app)
        await pilot.resize_terminal(48, 16)  # a phone: laid out, no notice
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await pilot.resize_terminal(60, 15)
        await settle(pilot)
        assert "Сейчас: 60×15" in screen_text(app)
