"""The client list's table: its columns fitted to the terminal's width, and a row's cells.

From 80 columns: name, phone, status, master, date. Below (a phone): name and status only,
the status kept whole (it is the word a master scans for) and the name taking the rest.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from privet_tui.tui import texts

if TYPE_CHECKING:
    from privet_tui.services.clients.listing import ClientRow
    from privet_tui.services.clients.listing import Tab as TabName

__all__ = ["NARROW_BELOW", "ClientTable"]

#: Below this many columns the table shows only name and status.
NARROW_BELOW = 80
#: Fixed columns (key, title, width); the name column takes what is left (25 at 80 columns).
_COLUMNS = (
    ("phone", texts.COL_PHONE, 12),
    ("status", texts.COL_STATUS, 12),
    ("master", texts.COL_MASTER, 12),
    ("date", texts.COL_DATE, 8),
)
#: The status column on a narrow terminal: «Ждёт подписи» whole.
_NARROW_STATUS = 12
#: Cell padding (1 each side) of each column plus the one-column scrollbar (the table is as
#: wide as the screen: clients.tcss).
_PADDING = 2
_SCROLLBAR = 1


class ClientTable(DataTable[Text]):
    """The list's table, with Enter shown in the footer as «Открыть»."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            texts.KEY_OPEN,
            id="clients.open",
            tooltip=texts.KEY_OPEN_TIP,
            key_display="Enter",
        ),
    ]

    #: The terminal width the columns were last fitted to (0: none yet).
    columns_for = 0

    @property
    def narrow(self) -> bool:
        """Whether the columns are the narrow pair (name, status)."""
        return 0 < self.columns_for < NARROW_BELOW

    def fit_columns(self, width: int) -> None:
        """Drop every column (and row) and add those for a terminal `width` columns wide."""
        self.clear(columns=True)
        self.columns_for = width
        if self.narrow:
            name = width - _NARROW_STATUS - 2 * _PADDING - _SCROLLBAR
            self.add_column(texts.COL_NAME, width=max(10, name), key="name")
            self.add_column(texts.COL_STATUS, width=_NARROW_STATUS, key="status")
            return
        fixed = sum(size for _, _, size in _COLUMNS)
        chrome = _PADDING * (len(_COLUMNS) + 1) + _SCROLLBAR
        self.add_column(texts.COL_NAME, width=max(20, width - fixed - chrome), key="name")
        for key, label, size in _COLUMNS:
            self.add_column(label, width=size, key=key)

    def cells(self, row: ClientRow, tab: TabName, zone: tzinfo) -> tuple[Text, ...]:
        """One row's cells for the current columns (people's text as plain Text)."""
        reason = row.cancel_reason  # cut to the column here, whole on the card
        status = f"{row.status_label}: {reason}" if reason else row.status_label
        name = Text(row.full_name, no_wrap=True, overflow="ellipsis")
        status_cell = Text(status, no_wrap=True, overflow="ellipsis")
        if self.narrow:
            return (name, status_cell)
        # the date the rows are ordered by (newest first): registration, or the claim
        when = row.created_at if tab == "new" else row.opened_at
        return (
            name,
            Text(row.phone or texts.NO_VALUE, no_wrap=True),
            status_cell,
            Text(row.master_name or texts.NO_VALUE, no_wrap=True, overflow="ellipsis"),
            Text(_date(when, zone), no_wrap=True),
        )

    def action_scroll_home(self) -> None:
        """Home goes to the first row (the table never scrolls sideways)."""
        self.action_scroll_top()

    def action_scroll_end(self) -> None:
        """End goes to the last row loaded, which fetches the next page."""
        self.action_scroll_bottom()


def _date(at: datetime | None, zone: tzinfo) -> str:
    """A stored time as its date in the business zone, as the documents date it."""
    return at.astimezone(zone).strftime("%d.%m.%y") if at is not None else texts.NO_VALUE
