"""The client's status machine and the guard every step goes through.

`new → in_progress → awaiting_signature → signed → paid → processed` (and `cancelled`).
A step loads the client row `FOR UPDATE`, checks who holds it, the status and the
`version` the screen saw, does its work, then `touch()`es the row (version + 1) — all in
the caller's one transaction.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from privet_tui.db.models import MasterClient, MasterContract, MasterUser
from privet_tui.errors import ConflictError, NotFoundError, StateError
from privet_tui.services import audit
from privet_tui.services.actor import Actor

STEPS = (
    (1, "contacts", "Контакты"),
    (2, "passport", "Паспорт"),
    (3, "devices", "Устройства"),
    (4, "tariff", "Тариф"),
    (5, "contract", "Договор"),
    (6, "payment", "Оплата"),
    (7, "invoice", "Счёт"),
)
#: Statuses in which steps 1–4 may be changed.
EDITABLE_STATUSES = ("in_progress", "awaiting_signature")
#: Channels of LISTEN/NOTIFY: client list changes, and a ticket's conversation.
CLIENTS_CHANNEL = "privet_clients"
TICKETS_CHANNEL = "privet_tickets"


def now() -> datetime:
    return datetime.now(UTC)


def lock_client(
    session: Session,
    client_id: int,
    actor: Actor,
    *,
    expected_version: int | None = None,
    allow_other_master: bool = False,
) -> MasterClient:
    """Load the client row FOR UPDATE and check it is this master's and unchanged."""
    client = session.scalar(
        select(MasterClient).where(MasterClient.id == client_id).with_for_update()
    )
    if client is None:
        raise NotFoundError("Клиент не найден")
    if (
        not allow_other_master
        and not actor.is_admin
        and client.assigned_master_id not in (None, actor.id)
    ):
        holder = session.get(MasterUser, client.assigned_master_id)
        raise ConflictError(f"Клиент уже в работе у мастера {holder.name if holder else '—'}")
    if expected_version is not None and client.version != expected_version:
        editor = audit.last_editor_name(session, client.id) or "—"
        raise ConflictError(f"Данные клиента изменил мастер {editor} — обновите")
    return client


def require_status(client: MasterClient, *allowed: str, action: str) -> None:
    """Refuse `action` unless the client is in one of the `allowed` statuses."""
    if client.status not in allowed:
        from privet_tui.services.catalog import STATUS_LABELS

        label = STATUS_LABELS.get(client.status, client.status)
        raise StateError(f"Нельзя {action}: клиент в статусе «{label}»")


def require_editable(client: MasterClient) -> None:
    """Refuse a change to steps 1–4 after signing (or once the case is closed)."""
    if client.status not in EDITABLE_STATUSES:
        from privet_tui.services.catalog import STATUS_LABELS

        label = STATUS_LABELS.get(client.status, client.status)
        raise StateError(
            f"Данные клиента нельзя менять: статус «{label}». "
            "После подписания договора шаги 1–4 только для чтения."
        )


def begin_profile_change(session: Session, client: MasterClient, actor: Actor) -> None:
    """Guard for steps 1–4: read-only after signing; voids an unsigned contract."""
    require_editable(client)
    if client.status == "awaiting_signature":
        void_unsigned_contract(session, client, actor, reason="изменены данные клиента")


def void_unsigned_contract(
    session: Session, client: MasterClient, actor: Actor, *, reason: str
) -> None:
    """The unsigned contract stops being signable (its OTP dies with it)."""
    voided = (
        session.execute(
            update(MasterContract)
            .where(
                MasterContract.client_id == client.id,
                MasterContract.status == "awaiting_signature",
            )
            .values(status="voided", otp_hash=None, void_reason=reason, updated_at=now())
            .returning(MasterContract.number)
        )
        .scalars()
        .all()
    )
    if voided:
        client.status = "in_progress"
        audit.record_event(
            session,
            client.id,
            actor,
            "contract.voided",
            f"Договор {', '.join(voided)} аннулирован: {reason}",
            {"numbers": list(voided)},
        )


def touch(session: Session, client: MasterClient) -> None:
    """Bump the version (optimistic lock) and tell other screens the client changed."""
    client.version += 1
    client.updated_at = now()
    session.flush()
    notify(session, CLIENTS_CHANNEL, {"client_id": client.id, "user_id": client.user_id})


def notify(session: Session, channel: str, payload: dict[str, object]) -> None:
    """`pg_notify` inside the transaction: delivered only if it commits."""
    session.execute(
        text("SELECT pg_notify(:channel, :payload)"),
        {"channel": channel, "payload": json.dumps(payload)},
    )
