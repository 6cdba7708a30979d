"""Claiming: who works on which client (claim, reassign, cancel, release).

A claim is one `INSERT … ON CONFLICT (user_id) DO UPDATE … WHERE unclaimed`: of any number
of concurrent claims exactly one gets a row back. The list and the card live beside it, in
`listing` and `card`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from privet_tui.db.legacy import LegacyUser
from privet_tui.db.models.clients import FINISHED_STATUSES, MasterClient
from privet_tui.db.models.masters import MasterUser
from privet_tui.errors import (
    AuthError,
    ConflictError,
    NotFoundError,
    StateError,
)
from privet_tui.services import audit, broadcast, support, workflow
from privet_tui.services.actor import Actor
from privet_tui.services.channels import CLIENTS_CHANNEL
from privet_tui.services.clients.card import (
    ClientCard,
    client_card,
    holder_name,
)
from privet_tui.services.rules.catalog import status_label
from privet_tui.services.rules.validation import clean_text
from privet_tui.services.steps.contacts import prefill_from_app

__all__ = [
    "CANCELLED_MESSAGE",
    "cancel_client",
    "claim_client",
    "reassign_client",
    "release_client",
]

#: What the client reads when the onboarding is cancelled (the master's reason stays inside).
CANCELLED_MESSAGE = (
    "Подключение к сервису «Привет» отменено. Если это ошибка или у вас остались вопросы, "
    "напишите нам в этот чат."
)


def claim_client(
    session: Session, actor: Actor, user_id: int, *, today: date | None = None
) -> ClientCard:
    """Take the user into work for `actor` atomically; re-claiming one's own client is a no-op.

    Losers of a race get «Клиент уже в работе у мастера <имя>».
    """
    user = session.get(LegacyUser, user_id)
    if user is None:
        raise NotFoundError("Клиент не найден")
    at = workflow.now()
    table = MasterClient.__table__.c
    stmt = insert(MasterClient).values(
        user_id=user_id,
        status="in_progress",
        assigned_master_id=actor.id,
        claimed_at=at,
        **prefill_from_app(user),
    )
    upsert = stmt.on_conflict_do_update(
        index_elements=["user_id"],
        set_={
            "status": "in_progress",
            "assigned_master_id": actor.id,
            "claimed_at": at,
            "updated_at": at,
            "version": table.version + 1,
            **{
                name: func.coalesce(table[name], stmt.excluded[name])
                for name in ("full_name", "phone", "email")
            },
        },
        where=and_(table.status == "new", table.assigned_master_id.is_(None)),
    ).returning(MasterClient.id, MasterClient.version)
    won = session.execute(upsert).first()
    if won is None:
        row = session.execute(
            select(MasterClient.id, MasterClient.status, MasterClient.assigned_master_id).where(
                MasterClient.user_id == user_id
            )
        ).one()
        if row.status in FINISHED_STATUSES:
            raise StateError(f"Клиент уже в статусе «{status_label(row.status)}»")
        if row.assigned_master_id != actor.id:
            raise ConflictError(
                f"Клиент уже в работе у мастера {holder_name(session, row.assigned_master_id)}"
            )
        return client_card(session, actor, client_id=row.id, today=today)
    audit.record_event(
        session, won.id, actor, "client.claimed", f"Клиент взят в работу: {actor.name}"
    )
    broadcast.notify(session, CLIENTS_CHANNEL, {"client_id": won.id, "user_id": user_id})
    return client_card(session, actor, client_id=won.id, today=today)


def reassign_client(
    session: Session,
    admin: Actor | None,
    client_id: int,
    master_id: int,
    *,
    expected_version: int | None = None,
) -> int:
    """Hand a client to another active master (admins, or an operator: `admin` None); return
    the new version."""
    if admin is not None and not admin.is_admin:
        raise AuthError(
            "Передать клиента другому мастеру может только администратор", title="Нет доступа"
        )
    client = workflow.lock_client(session, client_id, admin, expected_version=expected_version)
    if client.status in FINISHED_STATUSES:
        raise StateError(f"Клиент уже в статусе «{status_label(client.status)}»")
    target = session.get(MasterUser, master_id)
    if target is None or not target.is_active:
        raise NotFoundError("Мастер не найден или отключён")
    if client.assigned_master_id == target.id:
        return client.version
    previous = holder_name(session, client.assigned_master_id)
    client.assigned_master_id = target.id
    if client.status == "new":
        client.status, client.claimed_at = "in_progress", workflow.now()
    audit.record_event(
        session,
        client.id,
        admin,
        "client.reassigned",
        f"Клиент передан мастеру {target.name} (был: {previous})",
        {"master_id": target.id},
    )
    workflow.touch(session, client)
    return client.version


def cancel_client(
    session: Session,
    actor: Actor | None,
    client_id: int,
    reason: str,
    expected_version: int | None = None,
) -> int:
    """Cancel the client's onboarding with a required reason; an unclaimed or signed client
    only an admin (or an operator: `actor` None) may cancel.

    An unsigned contract is voided; returns the new version.
    """
    text = clean_text(reason, field="reason", label="Причина отмены", max_length=500)
    client = workflow.lock_client(session, client_id, actor, expected_version=expected_version)
    privileged = actor is None or actor.is_admin
    extra = ("new", "signed") if privileged else ()  # unclaimed or signed: admins; paid: nobody
    allowed = (*workflow.EDITABLE_STATUSES, *extra)
    workflow.require_status(client, *allowed, action="отменить клиента")
    if client.status == "awaiting_signature":
        workflow.void_unsigned_contract(session, client, actor, reason=f"клиент отменён: {text}")
    at = workflow.now()
    client.status, client.cancel_reason, client.finished_at = "cancelled", text, at
    audit.record_event(session, client.id, actor, "client.cancelled", f"Клиент отменён: {text}")
    support.post_message(
        session,
        client.user_id,
        CANCELLED_MESSAGE,
        {"type": "onboarding_cancelled", "cancelled_at": at.isoformat()},
    )
    workflow.touch(session, client)
    return client.version


def release_client(
    session: Session, actor: Actor | None, client_id: int, expected_version: int | None = None
) -> int:
    """Give a client back to «Новые» (data kept) while no contract exists; return the version."""
    client = workflow.lock_client(session, client_id, actor, expected_version=expected_version)
    workflow.require_status(client, "in_progress", action="вернуть клиента в «Новые»")
    client.status, client.assigned_master_id, client.claimed_at = "new", None, None
    audit.record_event(session, client.id, actor, "client.released", "Клиент возвращён в «Новые»")
    workflow.touch(session, client)
    return client.version
