"""The app messages that carry live updates from the feed's thread to the screens."""

from __future__ import annotations

from textual.message import Message

from privet_tui.services.live import Notice

__all__ = ["LiveEvent", "LiveStatus"]


class LiveEvent(Message):
    """A notification arrived (posted from the feed's thread)."""

    def __init__(self, notice: Notice) -> None:
        super().__init__()
        self.notice = notice


class LiveStatus(Message):
    """Live updates were lost (`connected=False`: the feed cannot reach the database) or
    are back."""

    def __init__(self, connected: bool) -> None:
        super().__init__()
        self.connected = connected
