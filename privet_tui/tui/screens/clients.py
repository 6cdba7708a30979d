"""The client list: tabs Новые / Мои / Обработанные, search as you type, keyset paging.

Only one page (PAGE_SIZE rows) is added to the DataTable at a time: it measures every
cell it gets, so the next page is fetched when the cursor or the scroll nears the end.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Input, Label, Static, Tab, Tabs
from textual.worker import Worker, get_current_worker

from privet_tui.services.channels import CLIENTS_CHANNEL
from privet_tui.services.live import RESYNC, Notice
from privet_tui.tui import texts
from privet_tui.tui.screens.base import PrivetScreen
from privet_tui.tui.widgets.client_table import ClientTable
from privet_tui.tui.widgets.footer import PrivetFooter

if TYPE_CHECKING:
    from privet_tui.services.clients.listing import ClientPage, ListCursor
    from privet_tui.services.clients.listing import Tab as TabName

__all__ = ["ClientsScreen"]

#: Rows per page; the first page after a live refresh may be larger (up to MAX_RELOAD).
PAGE_SIZE = 150
MAX_RELOAD = 500
#: Typing pauses this long before the search runs.
SEARCH_DELAY = 0.25
#: Fetch the next page when the cursor is this close to the last row.
PREFETCH_ROWS = 20
LIVE_DELAY = 0.3
#: The columns are fitted to a new terminal width once resizing pauses this long.
RESIZE_DELAY = 0.3
_TABS: tuple[TabName, ...] = ("new", "mine", "processed")
#: The tab shown first (its first page is fetched by the login: screens/login.py).
FIRST_TAB: TabName = "new"
_TABS_GROUP = Binding.Group(texts.KEY_TABS, compact=True)


class ClientsScreen(PrivetScreen[None]):
    """The list a master lands on after login (tab «Новые»)."""

    CSS_PATH = "clients.tcss"
    AUTO_FOCUS = "#clients"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash",
            "search",
            texts.KEY_SEARCH,
            id="clients.search",
            tooltip=texts.KEY_SEARCH_TIP,
            key_display="/",
        ),
        Binding(
            "1",
            "show_tab('new')",
            texts.KEY_TAB_NEW,
            id="clients.tab_new",
            tooltip=texts.KEY_TAB_TIP,
            group=_TABS_GROUP,
        ),
        Binding(
            "2",
            "show_tab('mine')",
            texts.KEY_TAB_MINE,
            id="clients.tab_mine",
            tooltip=texts.KEY_TAB_TIP,
            group=_TABS_GROUP,
        ),
        Binding(
            "3",
            "show_tab('processed')",
            texts.KEY_TAB_DONE,
            id="clients.tab_processed",
            tooltip=texts.KEY_TAB_TIP,
            group=_TABS_GROUP,
        ),
        Binding(
            "r,к",
            "refresh",
            texts.KEY_REFRESH,
            id="clients.refresh",
            tooltip=texts.KEY_REFRESH_TIP,
            show=False,
        ),
        Binding("escape", "leave_search", show=False),
        Binding(
            "o,щ",
            "app.report",
            texts.KEY_REPORT,
            id="clients.report",
            tooltip=texts.KEY_REPORT_TIP,
            show=False,  # the footer is full at 80 columns: in «?» and the palette
        ),
        Binding(
            "q,й", "app.logout", texts.KEY_LOGOUT, id="clients.logout", tooltip=texts.KEY_LOGOUT_TIP
        ),
    ]

    #: The footer's keys on a narrow terminal (widgets/footer.py); the tabs are tapped.
    COMPACT_FOOTER: ClassVar[frozenset[str]] = frozenset({"select_cursor", "search", "app.logout"})

    class PageLoaded(Message):
        """A page arrived for request `generation` (older generations are dropped)."""

        def __init__(self, generation: int, page: ClientPage, append: bool) -> None:
            super().__init__()
            self.generation = generation
            self.page = page
            self.append = append

    class FirstPageLost(Message):
        """The login's fetch of the first page failed: the screen asks again itself."""

        def __init__(self, generation: int) -> None:
            super().__init__()
            self.generation = generation

    def __init__(self, first_page: Future[ClientPage] | None = None) -> None:
        """`first_page`: the first tab's first page, already on its way (from the login)."""
        super().__init__()
        self._first_page = first_page
        self.tab: TabName = FIRST_TAB
        self.search = ""
        self._generation = 0
        self._cursor: ListCursor | None = None
        self._loading = False
        self._stale = False
        self._search_timer: Timer | None = None
        self._live_timer: Timer | None = None
        self._resize_timer: Timer | None = None
        self._resumed = False

    def compose(self) -> ComposeResult:
        actor = self.privet.actor
        who = f"{actor.name} ({actor.email})" if actor else ""
        yield Label(Text(f"{texts.CLIENTS_TITLE}  |  {who}"), id="clients-title")
        yield Tabs(
            Tab(texts.TAB_NEW, id="new"),
            Tab(texts.TAB_MINE, id="mine"),
            Tab(texts.TAB_PROCESSED, id="processed"),
            id="clients-tabs",
        )
        yield Input(placeholder=texts.SEARCH_PLACEHOLDER, id="search", max_length=200, compact=True)
        table = ClientTable(id="clients", cursor_type="row", zebra_stripes=True, cell_padding=1)
        table.fit_columns(self.app.size.width)
        yield table
        yield Static(texts.LIST_LOADING, id="list-status")
        yield PrivetFooter()

    def on_resize(self, event: events.Resize) -> None:
        """Once the terminal has settled on a new width, size the name column to it (the
        table measures cells as they are added, so its rows are read again)."""
        if self._resize_timer is not None:
            self._resize_timer.stop()
        self._resize_timer = self.set_timer(RESIZE_DELAY, self._fit_columns)

    def _fit_columns(self) -> None:
        width = self.app.size.width
        table = self.query_one("#clients", ClientTable)
        if width == table.columns_for:
            return
        self.reload(keep=True)  # as many rows as are shown, into the new columns
        table.fit_columns(width)

    def on_mount(self) -> None:
        table = self.query_one("#clients", ClientTable)
        self.watch(table, "scroll_y", self._scrolled, init=False)
        self.privet.live.subscribe(self, self._on_notice)

    # --- loading --------------------------------------------------------------------------

    def reload(self, *, keep: bool = False) -> None:
        """Fetch the first page again (`keep`: as many rows as are shown, for live refresh)."""
        self._generation += 1
        self._loading = True
        self._stale = False
        shown = self.query_one("#clients", ClientTable).row_count
        limit = min(max(PAGE_SIZE, shown), MAX_RELOAD) if keep else PAGE_SIZE
        self.fetch(self._generation, self.tab, self.search, None, limit)

    def _take_first_page(self, first_page: Future[ClientPage]) -> None:
        """Show the page the login fetched, as a reload would (it may still be on its way)."""
        self._generation += 1
        self._loading = True
        self._stale = False
        generation = self._generation

        def arrived(done: Future[ClientPage]) -> None:  # in the login's worker thread, or here
            if done.exception() is None:
                self.post_message(self.PageLoaded(generation, done.result(), append=False))
            else:
                self.post_message(self.FirstPageLost(generation))

        first_page.add_done_callback(arrived)

    def on_clients_screen_first_page_lost(self, message: FirstPageLost) -> None:
        if message.generation == self._generation:
            self.reload()

    def load_more(self) -> None:
        """Fetch the page after the last row shown, unless one is on its way or none is left."""
        if self._loading or self._cursor is None:
            return
        self._loading = True
        self.fetch(self._generation, self.tab, self.search, self._cursor, PAGE_SIZE)

    @work(thread=True, exclusive=True, exit_on_error=False, group="clients")
    def fetch(
        self,
        generation: int,
        tab: TabName,
        search: str,
        after: ListCursor | None,
        limit: int,
    ) -> None:
        """One keyset page from the service, posted back to the screen."""
        actor = self.privet.actor
        if actor is None:
            return
        page = self.privet.gateway.list_clients(actor, tab, search=search, after=after, limit=limit)
        if not get_current_worker().is_cancelled:
            self.post_message(self.PageLoaded(generation, page, append=after is not None))

    def on_clients_screen_page_loaded(self, message: PageLoaded) -> None:
        if message.generation != self._generation:
            return
        table = self.query_one("#clients", ClientTable)
        selected = self.selected_user_id() if not message.append else None
        if not message.append:
            table.clear()
        zone = self.privet.settings.zone
        for row in message.page.rows:
            table.add_row(*table.cells(row, self.tab, zone), key=str(row.user_id))
        if selected is not None and str(selected) in table.rows:
            table.move_cursor(row=table.get_row_index(str(selected)), animate=False)
        self._cursor = message.page.next_cursor
        self._loading = False
        self._show_status()

    def worker_failed(self, worker: Worker[object]) -> None:
        self._loading = False
        self.query_one("#list-status", Static).update(Text(""))

    def _show_status(self) -> None:
        count = self.query_one("#clients", ClientTable).row_count
        if count == 0:
            line = texts.LIST_EMPTY_SEARCH if self.search else texts.LIST_EMPTY
        else:
            line = texts.LIST_SHOWN.format(count=count)
            if self._cursor is not None:
                line += texts.LIST_MORE
        self.query_one("#list-status", Static).update(Text(line))

    def selected_user_id(self) -> int | None:
        """The user id of the highlighted row, if any."""
        table = self.query_one("#clients", ClientTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

    # --- paging triggers ------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#clients")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= event.data_table.row_count - PREFETCH_ROWS:
            self.load_more()

    def _scrolled(self, _old: float, new: float) -> None:
        table = self.query_one("#clients", ClientTable)
        if new >= table.max_scroll_y - 2:
            self.load_more()

    # --- tabs, search, opening ------------------------------------------------------------

    @on(Tabs.TabActivated, "#clients-tabs")
    def _tab_changed(self, event: Tabs.TabActivated) -> None:
        tab = event.tab.id
        if tab in _TABS:
            self.tab = tab
            self.query_one("#clients", ClientTable).clear()
            self.query_one("#list-status", Static).update(texts.LIST_LOADING)
            first_page, self._first_page = self._first_page, None
            if first_page is not None and tab == FIRST_TAB and not self.search:
                self._take_first_page(first_page)
            else:
                self.reload()
        if event.tabs.has_focus:  # a tapped tab: the list keeps the keys (Enter «Открыть»)
            self.query_one("#clients", ClientTable).focus()

    def show_tab(self, tab: TabName) -> None:
        """Switch to a tab (its data is fetched now, not before)."""
        self.query_one("#clients-tabs", Tabs).active = tab

    def action_show_tab(self, tab: str) -> None:
        """Key 1/2/3: switch tab."""
        if tab in _TABS:
            self.show_tab(tab)

    def action_search(self) -> None:
        """Put the cursor in the search field."""
        self.query_one("#search", Input).focus()

    def action_leave_search(self) -> None:
        """Esc in the search field clears it (the whole list again) and goes back to the list."""
        search = self.query_one("#search", Input)
        if search.has_focus and search.value:
            search.value = ""
            self._apply_search()
        self.query_one("#clients", ClientTable).focus()

    def action_refresh(self) -> None:
        """Reload the current tab."""
        self.reload(keep=True)

    @on(Input.Changed, "#search")
    def _search_typed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self._apply_search)

    @on(Input.Submitted, "#search")
    def _search_entered(self) -> None:
        self._apply_search()
        self.query_one("#clients", ClientTable).focus()

    def _apply_search(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        text = self.query_one("#search", Input).value.strip()
        if text != self.search:
            self.search = text
            self.reload()

    @on(DataTable.RowSelected, "#clients")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open_card(int(event.row_key.value))

    def action_open(self) -> None:
        """Open the highlighted client's card."""
        user_id = self.selected_user_id()
        if user_id is not None:
            self.open_card(user_id)

    def open_card(self, user_id: int) -> None:
        """Push the card of one person."""
        from privet_tui.tui.screens.card import CardScreen

        self.app.push_screen(CardScreen(user_id))

    # --- live updates ---------------------------------------------------------------------

    def _on_notice(self, notice: Notice) -> None:
        if notice is not RESYNC and notice.channel != CLIENTS_CHANNEL:
            return
        if not self.is_current:
            self._stale = True
            return
        if self._live_timer is not None:
            self._live_timer.stop()
        self._live_timer = self.set_timer(LIVE_DELAY, lambda: self.reload(keep=True))

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Back from a card: refresh if something changed meanwhile."""
        if not self._resumed:  # just mounted, every node just styled: no second restyle
            self._resumed = True
            event.refresh_styles = False
        if self._stale:
            self.reload(keep=True)
