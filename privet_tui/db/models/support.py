"""The master-side log per client (notes and audit events) and the support channel
shared with the client app (`support_tickets`/`support_messages`, names kept exactly)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from privet_tui.db.base import Base, created_at, pk, updated_at

# The support tables may already exist (the client app's); the bridge migration creates
# them only when absent, and marks what it made with this comment so downgrade removes
# only its own.
BRIDGE_COMMENT = "created by privet-tui support bridge"


class MasterSupportThread(Base):
    """One master-side thread per client."""

    __tablename__ = "master_support_threads"
    __table_args__ = (UniqueConstraint("client_id"),)

    id: Mapped[int] = pk()
    client_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("master_clients.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = created_at()


class MasterSupportMessage(Base):
    """A note by a master or an audit event (who, what, when) in a client's thread."""

    __tablename__ = "master_support_messages"
    __table_args__ = (
        CheckConstraint("kind IN ('note', 'event')", name="kind"),
        Index(None, "thread_id", "created_at"),
    )

    id: Mapped[int] = pk()
    thread_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("master_support_threads.id", ondelete="CASCADE")
    )
    master_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("master_users.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = created_at()


class SupportTicket(Base):
    """A support ticket of the client app; the master channel is `channel = 'master'`."""

    __tablename__ = "support_tickets"
    __table_args__ = (
        Index(None, "user_id", "channel", "status"),
        {"comment": BRIDGE_COMMENT},
    )

    id: Mapped[int] = pk()
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    subject: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(Text, server_default="master")
    status: Mapped[str] = mapped_column(Text, server_default="open")
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()


class SupportMessage(Base):
    """A message in a ticket; the client app renders `payload` by its `type`."""

    __tablename__ = "support_messages"
    __table_args__ = (
        Index(None, "ticket_id", "created_at"),
        {"comment": BRIDGE_COMMENT},
    )

    id: Mapped[int] = pk()
    ticket_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("support_tickets.id"))
    author: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = created_at()
    read_at: Mapped[datetime | None]
