"""The client's status machine and the guard every step goes through.

`new → in_progress → awaiting_signature → signed → paid → processed` (and `cancelled`).
A step loads the client row `FOR UPDATE`, checks who holds it, the status and the
`version` the screen saw, does its work, then `touch()`es the row (version + 1) — all in
the caller's one transaction. Steps 1–4 and the photos enter through one guard,
`begin_step_edit`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from privet_tui.db.models.billing import MasterContract
from privet_tui.db.models.clients import MasterClient
from privet_tui.db.models.masters import MasterUser
from privet_tui.errors import ConflictError, NotFoundError, StateError
from privet_tui.services import audit, support
from privet_tui.services.actor import Actor
from privet_tui.services.broadcast import notify
from privet_tui.services.channels import CLIENTS_CHANNEL
from privet_tui.services.rules.catalog import STATUS_LABELS

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
#: Statuses after the signature: steps 1–4 are then part of a signed contract.
SIGNED_STATUSES = ("signed", "paid", "processed")
#: What the client reads when a change to steps 1–4 voids the contract sent for signing.
DATA_CHANGED_FOR_CLIENT = "данные для договора изменились, мастер сформирует новый договор"


def now() -> datetime:
    return datetime.now(UTC)


def lock_client(
    session: Session,
    client_id: int,
    actor: Actor | None,
    *,
    expected_version: int | None = None,
    allow_other_master: bool = False,
) -> MasterClient:
    """Load the client row FOR UPDATE and check it is this master's (an operator's CLI batch,
    `actor` None, may touch any) and unchanged."""
    client = session.scalar(
        select(MasterClient).where(MasterClient.id == client_id).with_for_update()
    )
    if client is None:
        raise NotFoundError("Клиент не найден")
    if (
        not allow_other_master
        and actor is not None
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
        label = STATUS_LABELS.get(client.status, client.status)
        raise StateError(f"Нельзя {action}: клиент в статусе «{label}»")


def require_editable(client: MasterClient) -> None:
    """Refuse a change to steps 1–4 after signing (or once the case is closed)."""
    if client.status not in EDITABLE_STATUSES:
        label = STATUS_LABELS.get(client.status, client.status)
        why = (
            "После подписания договора шаги 1–4 только для чтения."
            if client.status in SIGNED_STATUSES
            else "Работа с клиентом не ведётся."
        )
        raise StateError(f"Данные клиента нельзя менять: статус «{label}». {why}")


@dataclass
class StepEdit:
    """A change to steps 1–4 or the photos under way: the client row is locked and editable.

    Call `change()` before writing anything: it voids a contract awaiting signature, since
    the contract no longer matches the data (an edit that turns out to write nothing skips
    it, so re-saving an unchanged form cannot void a contract)."""

    session: Session
    actor: Actor | None
    client: MasterClient

    def change(self) -> MasterClient:
        """Void the unsigned contract, if any, and return the client to write to."""
        if self.client.status == "awaiting_signature":
            void_unsigned_contract(
                self.session,
                self.client,
                self.actor,
                reason="изменены данные клиента",
                client_reason=DATA_CHANGED_FOR_CLIENT,
            )
        return self.client


def begin_step_edit(
    session: Session, actor: Actor | None, client_id: int, expected_version: int | None
) -> StepEdit:
    """The one guard of every change to steps 1–4 and the photos: lock the client row
    FOR UPDATE, check who holds it and the `version` the screen saw (None: the caller holds
    no version, as a photo batch), and refuse a client whose data is read-only (signed or
    closed). `actor` None is an operator's CLI batch, allowed like an admin."""
    client = lock_client(session, client_id, actor, expected_version=expected_version)
    require_editable(client)
    return StepEdit(session, actor, client)


def void_unsigned_contract(
    session: Session,
    client: MasterClient,
    actor: Actor | None,
    *,
    reason: str,
    client_reason: str | None = None,
) -> list[str]:
    """The unsigned contract stops being signable (its OTP dies with it) and the client is
    told so in their ticket; return the numbers voided (none when nothing awaited signing).

    `reason` is for the master's log and the contract row; `client_reason` is what the client
    reads (None: the message gives no reason — say nothing internal to a client)."""
    moment = now()
    voided = list(
        session.execute(
            update(MasterContract)
            .where(
                MasterContract.client_id == client.id,
                MasterContract.status == "awaiting_signature",
            )
            .values(status="voided", otp_hash=None, void_reason=reason, updated_at=moment)
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
            {"numbers": voided},
        )
        for number in voided:
            support.tell_contract_voided(session, client.user_id, number, client_reason, moment)
    return voided


def touch(session: Session, client: MasterClient) -> None:
    """Bump the version (optimistic lock) and tell other screens the client changed."""
    client.version += 1
    client.updated_at = now()
    session.flush()
    notify(session, CLIENTS_CHANNEL, {"client_id": client.id, "user_id": client.user_id})
