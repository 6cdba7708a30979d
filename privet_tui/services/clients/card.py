"""The client card: contacts, masked passport, devices, tariff, contract, and the state of
each of the seven steps (done / to do / blocked, with the reason in Russian)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from privet_tui.db.legacy import LegacyUser
from privet_tui.db.models.billing import MasterContract, MasterInvoice
from privet_tui.db.models.clients import MasterClient
from privet_tui.db.models.masters import MasterUser
from privet_tui.errors import (
    NotFoundError,
)
from privet_tui.services import audit, support, workflow
from privet_tui.services.actor import Actor
from privet_tui.services.audit import AuditEntry
from privet_tui.services.rules.catalog import status_label
from privet_tui.services.steps.devices import (
    AppDeviceRow,
    DeviceRow,
    list_app_devices,
    list_devices,
)
from privet_tui.services.steps.passport import PassportSummary, passport_summary
from privet_tui.services.steps.tariff import AppliedTariff, applied_tariff
from privet_tui.services.support import ChatMessage


@dataclass(frozen=True)
class StepState:
    """One workflow step on the card: done, to do, or blocked with the reason in Russian."""

    number: int
    key: str
    title: str
    state: Literal["done", "todo", "blocked"]
    reason: str | None


@dataclass(frozen=True)
class ContractSummary:
    """The client's latest contract as the card shows it."""

    id: int
    number: str
    status: str
    total_due: Decimal
    created_at: datetime
    signed_at: datetime | None


@dataclass(frozen=True)
class ClientCard:
    """Everything the client card shows; `client_id`/`version` are None for an unclaimed user."""

    client_id: int | None
    user_id: int
    version: int | None
    status: str
    status_label: str
    master_id: int | None
    master_name: str | None
    full_name: str | None
    phone: str | None
    email: str | None
    address: str | None
    app_full_name: str
    app_phone: str | None
    app_email: str | None
    cancel_reason: str | None
    claimed_at: datetime | None
    updated_at: datetime | None
    current_step: int
    can_edit: bool
    passport: PassportSummary | None
    devices: tuple[DeviceRow, ...]
    app_devices: tuple[AppDeviceRow, ...]
    tariff: AppliedTariff | None
    contract: ContractSummary | None
    steps: tuple[StepState, ...]


def _blocker(number: int, status: str, has_devices: bool, missing: list[str]) -> str | None:
    """Why a step that is not done cannot be done yet (None: it can)."""
    if number <= 4 and status not in workflow.EDITABLE_STATUSES:
        return "После подписания договора шаги 1–4 только для чтения"
    if number == 4 and not has_devices:
        return "Сначала добавьте хотя бы одно устройство"
    if number == 5 and missing:
        return "Сначала заполните: " + ", ".join(missing)
    if number == 6 and status != "signed":
        return "Договор ещё не подписан"
    if number == 7 and status not in ("paid", "processed"):
        return "Оплата ещё не подтверждена"
    return None


def _steps(
    status: str, done: dict[int, bool], has_devices: bool, held: str | None
) -> tuple[StepState, ...]:
    """Step states from the stored data; `held` blocks every open step (who holds the client)."""
    missing = [title for number, _, title in workflow.STEPS[:4] if not done[number]]
    states = []
    for number, key, title in workflow.STEPS:
        reason = None if done[number] else held or _blocker(number, status, has_devices, missing)
        state: Literal["done", "todo", "blocked"] = (
            "done" if done[number] else "blocked" if reason else "todo"
        )
        states.append(StepState(number, key, title, state, reason))
    return tuple(states)


def _build_card(
    session: Session,
    actor: Actor,
    user: LegacyUser,
    client: MasterClient | None,
    today: date | None,
) -> ClientCard:
    """Assemble the card from the rows (a few small queries, no writes, no passport numbers)."""
    app_devices = tuple(list_app_devices(session, user.id))
    status = client.status if client else "new"
    devices = tuple(list_devices(session, actor, client.id)) if client else ()
    passport = passport_summary(session, actor, client.id, today=today) if client else None
    tariff = applied_tariff(session, client.id) if client else None
    contract = invoiced = None
    if client is not None:
        contract = session.scalar(
            select(MasterContract)
            .where(MasterContract.client_id == client.id)
            .order_by(MasterContract.id.desc())
            .limit(1)
        )
        invoiced = session.scalar(
            select(MasterInvoice.id).where(MasterInvoice.client_id == client.id).limit(1)
        )
    master_name = (
        holder_name(session, client.assigned_master_id)
        if client and client.assigned_master_id
        else None
    )
    if client is None or status == "new":
        held: str | None = "Клиент ещё не взят в работу"
    elif status == "cancelled":
        held = f"Клиент отменён: {client.cancel_reason or '—'}"
    elif not actor.is_admin and client.assigned_master_id != actor.id:
        held = f"Клиент в работе у мастера {master_name or '—'}"
    else:
        held = None
    done = {
        1: bool(client and client.full_name and client.phone and client.email and client.address),
        2: passport is not None,
        3: bool(devices),
        4: tariff is not None,
        5: status in ("signed", "paid", "processed"),
        6: status in ("paid", "processed"),
        7: invoiced is not None,
    }
    return ClientCard(
        client_id=client.id if client else None,
        user_id=user.id,
        version=client.version if client else None,
        status=status,
        status_label=status_label(status),
        master_id=client.assigned_master_id if client else None,
        master_name=master_name,
        full_name=client.full_name if client else None,
        phone=client.phone if client else None,
        email=client.email if client else None,
        address=client.address if client else None,
        app_full_name=user.full_name,
        app_phone=user.phone,
        app_email=user.email,
        cancel_reason=client.cancel_reason if client else None,
        claimed_at=client.claimed_at if client else None,
        updated_at=client.updated_at if client else None,
        current_step=client.current_step if client else 1,
        can_edit=held is None and status in workflow.EDITABLE_STATUSES,
        passport=passport,
        devices=devices,
        app_devices=app_devices,
        tariff=tariff,
        contract=ContractSummary(
            contract.id,
            contract.number,
            contract.status,
            contract.total_due,
            contract.created_at,
            contract.signed_at,
        )
        if contract
        else None,
        steps=_steps(status, done, bool(devices), held),
    )


def client_card(
    session: Session,
    actor: Actor,
    user_id: int | None = None,
    *,
    client_id: int | None = None,
    today: date | None = None,
) -> ClientCard:
    """Return everything the card shows, by user id (every list row has one) or client id;
    `today` is the business day the passport's expiry is judged on (the gateway passes it)."""
    if (client_id is None) == (user_id is None):
        raise ValueError("give exactly one of client_id and user_id")
    if client_id is None:
        client_id = session.scalar(select(MasterClient.id).where(MasterClient.user_id == user_id))
    if client_id is not None:
        client = session.get(MasterClient, client_id, populate_existing=True)
        if client is None:
            raise NotFoundError("Клиент не найден")
        user = session.get(LegacyUser, client.user_id)
    else:
        client = None
        user = session.get(LegacyUser, user_id)
    if user is None:
        raise NotFoundError("Клиент не найден")
    return _build_card(session, actor, user, client, today)


def holder_name(session: Session, master_id: int | None) -> str:
    """The name of the master holding a client, or a dash."""
    master = session.get(MasterUser, master_id) if master_id is not None else None
    return master.name if master is not None else "—"


@dataclass(frozen=True)
class CardView:
    """What the card screen shows when it opens: the card, its log, its conversation."""

    card: ClientCard
    log: list[AuditEntry]
    messages: list[ChatMessage]


def card_view(session: Session, actor: Actor, user_id: int, today: date | None = None) -> CardView:
    """The card, its audit log and the whole conversation, read in one transaction."""
    card = client_card(session, actor, user_id, today=today)
    log = audit.client_log(session, card.client_id) if card.client_id is not None else []
    return CardView(card, log, support.conversation(session, user_id))
