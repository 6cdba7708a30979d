"""The change feed of live updates: one row per change a screen may want to show at once.

Written in the same transaction as the change (so it exists only if the change committed),
read by every session's poller with one short indexed query (`id > last seen`), and pruned
by the writers once older than a few minutes (see `services.broadcast`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from privet_tui.db.base import Base, created_at, pk


class MasterLiveEvent(Base):
    """A change: its channel (`privet_clients`, `privet_tickets`) and JSON payload
    (`client_id`, `user_id`, …, and `origin`, the process whose transaction made it)."""

    __tablename__ = "master_live_events"

    id: Mapped[int] = pk()
    channel: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = created_at()
