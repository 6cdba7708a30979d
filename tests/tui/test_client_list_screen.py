"""The client list: tabs, search, keyset paging, opening a card, live refresh, help, palette."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text
from textual.command import CommandPalette
from textual.widgets import DataTable, Input

from privet_tui.db.engine import Database
from privet_tui.services.actor import Actor
from privet_tui.services.clients.claims import cancel_client
from privet_tui.services.clients.listing import ClientPage, Tab
from privet_tui.services.gateway import Gateway
from privet_tui.tui.app import PrivetApp
from privet_tui.tui.screens.card import CardScreen
from privet_tui.tui.screens.clients import PAGE_SIZE, ClientsScreen
from privet_tui.tui.screens.help import HelpScreen
from tests.tui.people import EMAIL, PASSWORD, add_many, add_person
from tests.tui.shell import SIZE, login, notifications, screen_text, table_names, wait_for
from tests.tui.step_screens import Settle


def _finish(db: Database, user_id: int) -> None:
    """Mark a claimed client processed (the whole workflow has its own tests)."""
    with db.transaction() as session:
        session.execute(
            text(
                "UPDATE master_clients SET status = 'processed', finished_at = now()"
                " WHERE user_id = :u"
            ),
            {"u": user_id},
        )


async def test_tabs_show_new_mine_and_processed(
    make_app: Callable[..., PrivetApp],
    gateway: Gateway,
    db: Database,
    login_master: Actor,
    other_master: Actor,
    people: list[int],
    settle: Settle,
) -> None:
    _petrov, smirnova, kuznetsov = people
    gateway.claim_client(login_master, smirnova)
    gateway.claim_client(login_master, kuznetsov)
    _finish(db, kuznetsov)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        assert table_names(app) == ["Петров Иван Сергеевич"]
        await pilot.press("2")
        await settle(pilot)
        assert app.screen.tab == "mine"
        assert table_names(app) == ["Смирнова Анна Алексеевна"]
        assert "В работе" in screen_text(app)
        assert "Демо Мастер" in screen_text(app)
        await pilot.press("3")
        await settle(pilot)
        assert table_names(app) == ["Кузнецов Олег"]
        assert "Обработан" in screen_text(app)
        await pilot.press("1")
        await settle(pilot)
        assert table_names(app) == ["Петров Иван Сергеевич"]


async def test_a_tab_is_fetched_only_when_shown(
    make_app: Callable[..., PrivetApp],
    gateway: Gateway,
    login_master: Actor,
    people: list[int],
    monkeypatch: pytest.MonkeyPatch,
    settle: Settle,
) -> None:
    asked: list[str] = []
    original = Gateway.list_clients

    def spy(self: Gateway, actor: Actor, tab: Tab, **kw: object) -> ClientPage:
        asked.append(tab)
        return original(self, actor, tab, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Gateway, "list_clients", spy)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        assert asked == ["new"]
        await pilot.press("3")
        await settle(pilot)
        assert asked == ["new", "processed"]


async def test_search_filters_as_you_type(
    make_app: Callable[..., PrivetApp], login_master: Actor, people: list[int], settle: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        assert len(table_names(app)) == 3
        await pilot.press("slash")
        assert app.focused is app.screen.query_one("#search", Input)
        await pilot.press(*"смирн")
        # The search waits for a pause in typing, then runs in a worker.
        await wait_for(pilot, lambda: table_names(app) == ["Смирнова Анна Алексеевна"])
        search = app.screen.query_one("#search", Input)
        search.value = "+7 926"
        await pilot.press("enter")
        await settle(pilot)
        assert table_names(app) == ["Кузнецов Олег"]
        assert app.focused is app.screen.query_one("#clients", DataTable)
        search.value = "нет-такого"
        await pilot.press("slash", "enter")
        await settle(pilot)
        assert table_names(app) == []
        assert "Никого не нашлось" in screen_text(app)


async def test_paging_adds_one_page_at_a_time(
    make_app: Callable[..., PrivetApp], db: Database, login_master: Actor, settle: Settle
) -> None:
    add_many(db, 2 * PAGE_SIZE + 20)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        table = app.screen.query_one("#clients", DataTable)
        assert table.row_count == PAGE_SIZE
        assert "ещё есть" in screen_text(app)
        await pilot.press("end")
        await settle(pilot)
        assert table.row_count == 2 * PAGE_SIZE
        await pilot.press("end")
        await settle(pilot)
        assert table.row_count == 2 * PAGE_SIZE + 20
        assert "ещё есть" not in screen_text(app)
        names = table_names(app)
        assert len(set(names)) == len(names)
        assert names[0] == f"Клиент{2 * PAGE_SIZE + 20} Номер"
        assert names[-1] == "Клиент1 Номер"


async def test_enter_opens_the_card_and_escape_comes_back(
    make_app: Callable[..., PrivetApp], login_master: Actor, people: list[int], settle: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        list_screen = app.screen
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CardScreen)
        assert app.screen.user_id == people[1]
        assert "Смирнова Анна Алексеевна" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is list_screen
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert app.screen is list_screen


async def test_list_refreshes_when_another_master_claims(
    make_app: Callable[..., PrivetApp],
    gateway: Gateway,
    login_master: Actor,
    other_master: Actor,
    people: list[int],
) -> None:
    app = make_app(live_updates=True)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        assert len(table_names(app)) == 3
        await wait_for(pilot, lambda: app._listener is not None and app._listener.listening)
        gateway.claim_client(other_master, people[0])
        await wait_for(pilot, lambda: "Петров Иван Сергеевич" not in table_names(app))
        assert len(table_names(app)) == 2


async def test_help_lists_the_keys_of_the_screen(
    make_app: Callable[..., PrivetApp], login_master: Actor, settle: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        assert "Как работать" in shown  # the workflow first, in a few lines
        assert "7 шагов" in shown
        await pilot.press("end")  # the keys follow it
        shown = screen_text(app)
        assert "photos add" in str(app.screen.query_one("#help-keys").render())
        for words in ("Открыть", "Поиск", "Выйти", "Обновить", "Команды", "Блок", "Закрыть"):
            assert words in shown
        await pilot.press("escape")
        assert isinstance(app.screen, ClientsScreen)


async def test_palette_switches_tabs_and_logs_out(
    make_app: Callable[..., PrivetApp], login_master: Actor, settle: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert CommandPalette.is_open(app)
        await pilot.press(*"Мои кл", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
        assert app.screen.tab == "mine"
        await pilot.press("q")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.actor is None
        assert "вход мастера" in screen_text(app)
        assert notifications(app) == []


async def test_palette_find_client_focuses_the_search_from_a_card(
    make_app: Callable[..., PrivetApp], login_master: Actor, people: list[int], settle: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CardScreen)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Найти", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
        assert app.focused is app.screen.query_one("#search", Input)


async def test_an_unexpected_failure_is_shown_without_its_insides(
    make_app: Callable[..., PrivetApp],
    login_master: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(self: Gateway, *args: object, **kwargs: object) -> ClientPage:
        raise RuntimeError("connection string postgresql://secret@db")

    monkeypatch.setattr(Gateway, "list_clients", broken)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        shown = [(n.title, n.message) for n in app._notifications]
        assert len(shown) == 1
        title, message = shown[0]
        assert title == "Непредвиденная ошибка"
        assert "Подробности записаны в журнал программы" in message
        assert "secret" not in message
        assert isinstance(app.screen, ClientsScreen)  # the app goes on


async def test_escape_in_the_search_clears_it_and_goes_back_to_the_list(
    make_app: Callable[..., PrivetApp], login_master: Actor, people: list[int], settle: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.press("slash", *"смирн", "enter")
        await settle(pilot)
        assert table_names(app) == ["Смирнова Анна Алексеевна"]
        await pilot.press("slash", "escape")
        await settle(pilot)
        assert app.screen.query_one("#search", Input).value == ""
        assert app.focused is app.screen.query_one("#clients", DataTable)
        assert len(table_names(app)) == 3


async def test_columns_fit_80_columns_with_the_scrollbar(
    make_app: Callable[..., PrivetApp], db: Database, login_master: Actor, settle: Settle
) -> None:
    add_many(db, 40)  # more rows than fit: the scrollbar shows
    with db.transaction() as session:
        session.execute(
            text(
                "UPDATE users SET last_name = 'Константинопольская-Лебедева',"
                " first_name = 'Полина', middle_name = 'Григорьевна' WHERE last_name = 'Клиент40'"
            )
        )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        lines = screen_text(app).splitlines()
        first = next(line for line in lines if "+79000000040" in line)
        assert first.rstrip(" ▇▁▏").endswith("15.01.26")  # the whole date, not «15.01.2»
        assert "Константинопольская-Лебе…" in first  # a cut name says so


async def test_mine_is_in_the_order_of_its_dates(
    make_app: Callable[..., PrivetApp],
    gateway: Gateway,
    db: Database,
    login_master: Actor,
    people: list[int],
    settle: Settle,
) -> None:
    for user_id in people:
        gateway.claim_client(login_master, user_id)
    with db.transaction() as session:  # claimed on three days; the first one touched last
        session.execute(
            text(
                "UPDATE master_clients SET created_at = timestamptz '2026-02-01 12:00+00'"
                " + (id - (SELECT min(id) FROM master_clients)) * interval '1 day',"
                " updated_at = CASE WHEN id = (SELECT min(id) FROM master_clients)"
                " THEN timestamptz '2026-03-01 12:00+00' ELSE updated_at END"
            )
        )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one("#clients", DataTable)
        dates = [str(table.get_row_at(i)[4]) for i in range(table.row_count)]
        assert dates == ["03.02.26", "02.02.26", "01.02.26"]


async def test_the_name_column_follows_the_terminal_width(
    make_app: Callable[..., PrivetApp], db: Database, login_master: Actor, settle: Settle
) -> None:
    add_person(db, "Лебедева", "Полина", "Григорьевна", "+79160000001", "lebedeva@example.ru")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        assert table_names(app) == ["Лебедева Полина Григорьевна"]
        await pilot.resize_terminal(120, 30)
        table = app.screen.query_one("#clients", DataTable)

        def fitted() -> bool:
            columns = list(table.columns.values())
            return bool(columns) and columns[0].width == 120 - 44 - 11 and table.row_count == 1

        await wait_for(pilot, fitted)  # once the resizing pauses
        await settle(pilot)
        row = next(line for line in screen_text(app).splitlines() if "Лебедева" in line)
        assert "Лебедева Полина Григорьевна" in row


async def test_processed_shows_a_cancelled_clients_reason(
    make_app: Callable[..., PrivetApp],
    gateway: Gateway,
    login_master: Actor,
    people: list[int],
    settle: Settle,
) -> None:
    """Issue 13: a cancelled client is in «Обработанные» with its reason."""
    card = gateway.claim_client(login_master, people[0])
    assert card.client_id is not None
    gateway.call(cancel_client, login_master, card.client_id, "Дубль заявки", card.version)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        await pilot.press("3")
        await settle(pilot)
        # At 80 columns the status column cuts the reason with «…»; the card shows it whole.
        assert "Отменён: Ду…" in screen_text(app)


async def test_a_failed_first_page_from_the_login_is_fetched_again(
    make_app: Callable[..., PrivetApp],
    login_master: Actor,
    people: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The login's worker fetches the first page (issue 14); if that fails, the list asks."""
    original, calls = Gateway.list_clients, [0]

    def once_broken(self: Gateway, actor: Actor, tab: Tab, **kw: object) -> ClientPage:
        calls[0] += 1
        if calls[0] == 1:
            raise RuntimeError("the pool was busy")
        return original(self, actor, tab, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Gateway, "list_clients", once_broken)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, EMAIL, PASSWORD)
        assert calls[0] == 2
        assert len(table_names(app)) == len(people)
