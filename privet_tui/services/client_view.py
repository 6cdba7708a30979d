"""The client's side of the support bridge: the tickets as the «Привет Супер» app shows them
(`privet-tui client-view USER_ID`), for the demo, for support and for tests.

Unlike the master's conversation, this is what the client sees, so a contract code is shown.
"""

from __future__ import annotations

from datetime import UTC, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from privet_tui.db.legacy import LegacyUser
from privet_tui.db.models.support import SupportMessage, SupportTicket
from privet_tui.errors import NotFoundError

__all__ = ["AUTHOR_LABELS", "render_client_view"]

AUTHOR_LABELS = {"support": "Поддержка", "system": "Система", "client": "Вы"}
_STATUS_LABELS = {"open": "открыто", "closed": "закрыто"}
_INDENT = "    "


def render_client_view(session: Session, user_id: int, zone: tzinfo = UTC) -> str:
    """Every ticket of the user with its messages, oldest first, as plain text lines, the
    times in `zone` (the CLI passes the business zone; never the host's)."""
    user = session.get(LegacyUser, user_id)
    if user is None:
        raise NotFoundError(f"Пользователь {user_id} не найден")
    tickets = session.scalars(
        select(SupportTicket).where(SupportTicket.user_id == user_id).order_by(SupportTicket.id)
    ).all()
    lines = [f"«Привет Супер» — {user.full_name or user.phone or user.email or user_id}"]
    if not tickets:
        lines.append("Обращений в поддержку нет.")
        return "\n".join(lines)
    messages = session.scalars(
        select(SupportMessage)
        .where(SupportMessage.ticket_id.in_([t.id for t in tickets]))
        .order_by(SupportMessage.ticket_id, SupportMessage.created_at, SupportMessage.id)
    ).all()
    for ticket in tickets:
        status = _STATUS_LABELS.get(ticket.status, ticket.status)
        lines += ["", f"Обращение № {ticket.id}: {ticket.subject} ({status})"]
        own = [m for m in messages if m.ticket_id == ticket.id]
        if not own:
            lines.append(f"{_INDENT}Сообщений нет.")
        for message in own:
            at = message.created_at.astimezone(zone)
            author = AUTHOR_LABELS.get(message.author, message.author)
            lines.append(f"[{at:%d.%m.%Y %H:%M}] {author}:")
            lines += [f"{_INDENT}{line}" for line in message.body.splitlines() or [""]]
    return "\n".join(lines)
