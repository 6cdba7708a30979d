"""The client's support conversation as plain text: who, when, and exactly what was typed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import RichLog

from privet_tui.tui import texts

if TYPE_CHECKING:
    from privet_tui.services.support import ChatMessage

__all__ = ["ChatView", "business_time"]


def business_time(at: datetime | None, zone: tzinfo, fmt: str = "%d.%m.%Y %H:%M") -> str:
    """A stored time in the business `zone` (Settings.zone), as the documents date it —
    never in the workstation's zone; «—» for None."""
    return at.astimezone(zone).strftime(fmt) if at is not None else texts.NO_VALUE


class ChatView(RichLog):
    """Append-only conversation; message bodies are Text, so nothing in them is markup."""

    DEFAULT_CSS = """
    ChatView {
        height: 1fr;
        border: round $panel;
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(self, *, zone: tzinfo, id: str | None = None) -> None:
        super().__init__(wrap=True, markup=False, highlight=False, auto_scroll=True, id=id)
        self.zone = zone
        self.last_id: int | None = None
        self._empty = True

    def show_messages(self, messages: Iterable[ChatMessage], *, replace: bool = False) -> None:
        """Write messages (oldest first); `replace` starts over."""
        if replace:
            self.clear()
            self.last_id = None
            self._empty = True
        wrote = False
        for message in messages:
            if self.last_id is not None and message.id <= self.last_id:
                continue
            if self._empty:
                self.clear()
                self._empty = False
            self.write(self.render_message(message))
            self.last_id = message.id
            wrote = True
        if self._empty and not wrote and (replace or not self.lines):
            # said once; a poll that finds nothing new leaves the view (and the wire) alone
            self.clear()
            self.write(Text(texts.CHAT_EMPTY, style="italic"))

    def render_message(self, message: ChatMessage) -> Text:
        """One message: a bold header line (business time, author) and the body as typed."""
        author = texts.CHAT_AUTHORS.get(message.author, message.author)
        line = Text()
        line.append(f"{business_time(message.at, self.zone)}  {author}:", style="bold")
        line.append("\n")
        line.append(message.body)
        return line
