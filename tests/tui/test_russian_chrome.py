"""Issue 13, item 6: Textual's own words in Russian: the open Select list's Esc in the footer,
and the command palette when nothing matches."""

from __future__ import annotations

from collections.abc import Callable

from textual.command import CommandList, CommandPalette
from textual.widgets import Select

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.services.actor import Actor
from privet_tui.tui.app import PrivetApp
from privet_tui.tui.widgets.confirm import ConfirmModal
from tests.tui.people import EMAIL, PASSWORD
from tests.tui.shell import SIZE, login, screen_text, wait_for
from tests.tui.step_data import claimed_client
from tests.tui.step_screens import Settle, open_step, step_app


async def test_open_select_list_says_esc_in_russian(
    settings: Settings, db: Database, master: Actor, user_id: int, settle: Settle
) -> None:
    async with step_app(settings, db, master) as (app, pilot, gateway):
        client_id = claimed_client(gateway, master, user_id)
        await open_step(app, pilot, gateway, master, 3, client_id)
        await pilot.press("a")  # the device form; its category Select has the focus
        await settle(pilot)
        assert isinstance(app.focused, Select)
        await pilot.press("enter")  # opens the list
        await settle(pilot)
        shown = screen_text(app)
        assert "Закрыть список" in shown
        assert "Dismiss" not in shown


async def test_palette_says_nothing_found_in_russian(
    make_app: Callable[..., PrivetApp], login_master: Actor, settle: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert CommandPalette.is_open(app)
        await pilot.press(*"щщщщ")

        def options() -> list[str]:
            found = app.screen.query_one(CommandList)
            return [str(found.get_option_at_index(i).prompt) for i in range(found.option_count)]

        await wait_for(pilot, lambda: any("Ничего не найдено" in o for o in options()))
        await pilot.pause(0.7)  # past Textual's own 0.5 s «No matches found» countdown
        assert "No matches" not in screen_text(app)
        await pilot.press("enter")  # choosing it does nothing but close the palette
        await settle(pilot)
        assert not CommandPalette.is_open(app)
        assert app.actor is not None


async def test_ctrl_c_says_in_russian_how_to_close_and_the_palette_asks_first(
    make_app: Callable[..., PrivetApp], login_master: Actor, settle: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.press("ctrl+c")  # the list has the focus: Textual's «Press ctrl+q to quit»
        await settle(pilot)
        assert [n.message for n in app._notifications] == ["Закрыть программу: Ctrl+Q"]
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Закрыть про", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)  # the palette's «close» asks too
        assert app.is_running
