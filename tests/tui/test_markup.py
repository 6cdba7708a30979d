"""Text typed by people is shown literally: markup in names, addresses and chat does nothing."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from privet_tui.db.engine import Database
from privet_tui.services.actor import Actor
from privet_tui.services.gateway import Gateway
from privet_tui.tui.app import PrivetApp
from privet_tui.tui.screens.card import CardScreen
from privet_tui.tui.screens.clients import ClientsScreen
from tests.tui.people import EMAIL, PASSWORD, add_person
from tests.tui.shell import SIZE, login, screen_text, table_names
from tests.tui.step_screens import Settle

BOLD = "[b]x[/b]"
CLICK = "[@click=app.quit]y"


async def test_markup_in_names_and_chat_is_shown_as_typed(
    make_app: Callable[..., PrivetApp],
    gateway: Gateway,
    db: Database,
    login_master: Actor,
    settle: Settle,
) -> None:
    bold = add_person(db, BOLD, "Иван", None, "+79160000001", "b@example.ru")
    add_person(db, CLICK, "[red]Анна[/red]", "[link=http://evil]", "+79160000002", None)
    claimed = gateway.claim_client(login_master, bold)
    with db.transaction() as session:
        session.execute(
            text("UPDATE master_clients SET address = :a WHERE id = :i"),
            {"a": "ул. [i]Ленина[/i], д. 1", "i": claimed.client_id},
        )
    gateway.post_support_reply(login_master, bold, "Ответ [bold red]жирный[/] и [@click=app.quit]")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        assert table_names(app) == [f"{CLICK} [red]Анна[/red] [link=http://evil]"]
        assert "[@click=app.quit]y [re" in screen_text(app)  # cut by the column, not parsed
        # Clicking the name opens the card; it must not run the embedded action.
        await pilot.click("#clients", offset=(3, 1))
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, CardScreen)
        assert f"{CLICK} [red]Анна[/red] [link=http://evil]" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
        await pilot.press("2")
        await settle(pilot)
        assert table_names(app) == [f"{BOLD} Иван"]
        assert f"{BOLD} Иван" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CardScreen)
        shown = screen_text(app)
        assert f"{BOLD} Иван" in shown
        assert "ул. [i]Ленина[/i], д. 1" in shown
        await pilot.press("v")
        await settle(pilot)
        assert "Ответ [bold red]жирный[/] и [@click=app.quit]" in screen_text(app)
        await pilot.click("#chat-view", offset=(20, 2))
        await settle(pilot)
        assert app.is_running
        await pilot.click("#card-title")
        await settle(pilot)
        assert app.is_running
