"""The master-side log of a client: an event for every action (who, what, when) and notes.

Events never carry passport numbers or OTP codes: `body` is a short Russian sentence,
`payload` holds ids and non-secret facts only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from privet_tui.db.models.masters import MasterUser
from privet_tui.db.models.support import MasterSupportMessage, MasterSupportThread
from privet_tui.services.actor import Actor, operator_name


@dataclass(frozen=True)
class AuditEntry:
    """One line of a client's log as the card shows it."""

    id: int
    at: datetime
    master_name: str | None
    kind: str
    action: str
    body: str


def thread_id(session: Session, client_id: int) -> int:
    """The client's master-side thread, created on first use (race-safe)."""
    session.execute(
        insert(MasterSupportThread)
        .values(client_id=client_id)
        .on_conflict_do_nothing(index_elements=["client_id"])
    )
    found = session.scalar(
        select(MasterSupportThread.id).where(MasterSupportThread.client_id == client_id)
    )
    assert found is not None
    return found


def record_event(
    session: Session,
    client_id: int,
    actor: Actor | None,
    action: str,
    body: str,
    payload: dict[str, Any] | None = None,
    *,
    kind: str = "event",
) -> None:
    """Append an audit event (or, with kind="note", a master's note) in this transaction; an
    operator's action (`actor` None) carries the operating-system account in `operator`."""
    if actor is None:
        payload = {**(payload or {}), "operator": operator_name()}
    session.add(
        MasterSupportMessage(
            thread_id=thread_id(session, client_id),
            master_id=actor.id if actor else None,
            kind=kind,
            action=action,
            body=body,
            payload=payload,
        )
    )
    session.flush()


def client_log(session: Session, client_id: int, *, limit: int = 200) -> list[AuditEntry]:
    """The newest `limit` entries of the client's log, oldest first."""
    rows = session.execute(
        select(MasterSupportMessage, MasterUser.name)
        .join(MasterSupportThread, MasterSupportThread.id == MasterSupportMessage.thread_id)
        .outerjoin(MasterUser, MasterUser.id == MasterSupportMessage.master_id)
        .where(MasterSupportThread.client_id == client_id)
        .order_by(MasterSupportMessage.id.desc())
        .limit(limit)
    ).all()
    return [
        AuditEntry(m.id, m.created_at, name or _operator(m.payload), m.kind, m.action, m.body)
        for m, name in reversed(rows)
    ]


def _operator(payload: dict[str, Any] | None) -> str | None:
    operator = (payload or {}).get("operator")
    return f"оператор {operator}" if isinstance(operator, str) else None


def last_editor_name(session: Session, client_id: int) -> str | None:
    """Name of the master behind the client's latest logged action."""
    return session.scalar(
        select(MasterUser.name)
        .join(MasterSupportMessage, MasterSupportMessage.master_id == MasterUser.id)
        .join(MasterSupportThread, MasterSupportThread.id == MasterSupportMessage.thread_id)
        .where(MasterSupportThread.client_id == client_id)
        .order_by(MasterSupportMessage.id.desc())
        .limit(1)
    )
