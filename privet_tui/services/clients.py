"""The client list (tabs Новые / Мои / Обработанные with search and keyset paging), the
client card, and claiming: who works on which client.

The legacy `users` table gets no index of ours, so the list pages on its primary key (Новые)
or on `master_clients.id` (Мои, Обработанные), newest first: a first page takes ~2 ms at
100,000 users. A search of Новые has to scan `users` once (30–90 ms there; see
benchmarks/bench_client_list.py); Мои and Обработанные scan only `master_clients` rows.
A claim is one `INSERT … ON CONFLICT (user_id) DO UPDATE … WHERE unclaimed`: of any number
of concurrent claims exactly one gets a row back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, aliased

from privet_tui.db.models import (
    FINISHED_STATUSES,
    LegacyUser,
    MasterClient,
    MasterContract,
    MasterInvoice,
    MasterUser,
)
from privet_tui.errors import (
    AuthError,
    ConflictError,
    NotFoundError,
    StateError,
)
from privet_tui.services import audit, workflow
from privet_tui.services.actor import Actor
from privet_tui.services.catalog import status_label
from privet_tui.services.contacts import prefill_from_app
from privet_tui.services.devices import AppDeviceRow, DeviceRow, list_app_devices, list_devices
from privet_tui.services.passports import PassportSummary, passport_summary
from privet_tui.services.tariffs import AppliedTariff, applied_tariff
from privet_tui.services.validation import clean_text

__all__ = [
    "ClientCard",
    "ClientPage",
    "ClientRow",
    "ContractInfo",
    "ListCursor",
    "StepState",
    "Tab",
    "cancel_client",
    "claim_client",
    "client_card",
    "count_clients",
    "list_clients",
    "reassign_client",
    "release_client",
]

Tab = Literal["new", "mine", "processed"]
MAX_PAGE = 500


@dataclass(frozen=True)
class ListCursor:
    """Where the next page starts: the sort key of the last row shown, per tab."""

    tab: Tab
    last_key: int


@dataclass(frozen=True)
class ClientRow:
    """One line of the client list; `client_id` is None for a user nobody has claimed."""

    client_id: int | None
    user_id: int
    full_name: str
    phone: str | None
    email: str | None
    status: str
    status_label: str
    master_name: str | None
    updated_at: datetime | None
    created_at: datetime | None


@dataclass(frozen=True)
class ClientPage:
    """A page of the list and the cursor of the next one (None on the last page)."""

    rows: tuple[ClientRow, ...]
    next_cursor: ListCursor | None


_LEGACY_NAME = func.concat_ws(
    " ", LegacyUser.last_name, LegacyUser.first_name, LegacyUser.middle_name
)
# Everything a word of a search may hit. A regular expression is cheaper per row than lower()
# + LIKE on Cyrillic text, and the search of Новые has to scan `users`, so per-row cost counts.
_HAYSTACK = func.concat_ws(
    " ", _LEGACY_NAME, LegacyUser.email, MasterClient.full_name, MasterClient.email
)
_PHONE_QUERY = re.compile(r"[+0-9\s().\-]*[0-9][+0-9\s().\-]*")


def _search(search: str) -> ColumnElement[bool] | None:
    """Match name or email by every typed word (case-insensitive, ё = е), or — when only
    phone characters were typed — the phone by its digits, a leading 8 or +7 alike."""
    text = search.strip()
    if not text:
        return None
    if _PHONE_QUERY.fullmatch(text):
        digits = re.sub(r"[^0-9]", "", text)
        first = "[78]" if len(digits) >= 4 and digits[0] in "78" else digits[0]
        pattern = "[^0-9]*".join([first, *digits[1:]])
        return or_(LegacyUser.phone.regexp_match(pattern), MasterClient.phone.regexp_match(pattern))
    return and_(*(_HAYSTACK.regexp_match(_word_regex(w)) for w in text.split()))


def _word_regex(word: str) -> str:
    """A case-sensitive regular expression matching `word` in any letter case, е and ё alike.

    Case is spelled out as `[пП]` rather than left to `~*`, which folds only ASCII on a
    database with the C locale.
    """
    parts = []
    for char in word:
        if char in "еёЕЁ":
            parts.append("[еёЕЁ]")
        elif char.lower() != char.upper():
            parts.append(f"[{char.lower()}{char.upper()}]")
        elif char.isalnum() or char == "_":
            parts.append(char)
        else:
            parts.append("\\" + char)
    return "".join(parts)


def _tab_query(
    actor: Actor, tab: Tab, search: str, columns: tuple[Any, ...]
) -> tuple[Select[Any], Any]:
    """Return the filtered (unordered) query of a tab and the column it pages on."""
    if tab == "new":
        key: Any = LegacyUser.id
        taken = aliased(MasterClient)
        # NOT EXISTS (not an OR over the outer join) lets the planner walk users' primary key
        # backwards and stop after one page.
        stmt = (
            select(*columns)
            .select_from(LegacyUser)
            .outerjoin(MasterClient, MasterClient.user_id == LegacyUser.id)
            .where(
                ~select(taken.id)
                .where(taken.user_id == LegacyUser.id, taken.status != "new")
                .exists()
            )
        )
    else:
        key = MasterClient.id
        stmt = (
            select(*columns)
            .select_from(MasterClient)
            .join(LegacyUser, LegacyUser.id == MasterClient.user_id)
        )
        if tab == "mine":
            stmt = stmt.where(MasterClient.status.not_in((*FINISHED_STATUSES, "new")))
            if not actor.is_admin:
                stmt = stmt.where(MasterClient.assigned_master_id == actor.id)
        elif tab == "processed":
            stmt = stmt.where(MasterClient.status.in_(FINISHED_STATUSES))
        else:
            raise ValueError(f"unknown tab {tab!r}")
    condition = _search(search)
    if condition is not None:
        stmt = stmt.where(condition)
    return stmt, key


def list_clients(
    session: Session,
    actor: Actor,
    tab: Tab,
    *,
    search: str = "",
    after: ListCursor | None = None,
    limit: int = 100,
) -> ClientPage:
    """Return one page of a tab, newest first; pass `next_cursor` back as `after` for more."""
    limit = max(1, min(limit, MAX_PAGE))
    columns = (
        MasterClient.id,
        LegacyUser.id,
        func.coalesce(MasterClient.full_name, _LEGACY_NAME),
        func.coalesce(MasterClient.phone, LegacyUser.phone),
        func.coalesce(MasterClient.email, LegacyUser.email),
        func.coalesce(MasterClient.status, "new"),
        MasterUser.name,
        MasterClient.updated_at,
        LegacyUser.created_at,
    )
    stmt, key = _tab_query(actor, tab, search, columns)
    stmt = stmt.outerjoin(MasterUser, MasterUser.id == MasterClient.assigned_master_id)
    if after is not None:
        if after.tab != tab:
            raise ValueError("cursor belongs to another tab")
        stmt = stmt.where(key < after.last_key)
    found = session.execute(stmt.order_by(key.desc()).limit(limit + 1)).all()
    rows = tuple(
        ClientRow(
            client_id=r[0],
            user_id=r[1],
            full_name=r[2] or "—",
            phone=r[3],
            email=r[4],
            status=r[5],
            status_label=status_label(r[5]),
            master_name=r[6],
            updated_at=r[7],
            created_at=r[8],
        )
        for r in found[:limit]
    )
    if len(found) <= limit:
        return ClientPage(rows, None)
    last = rows[-1].user_id if tab == "new" else rows[-1].client_id
    assert last is not None
    return ClientPage(rows, ListCursor(tab, last))


def count_clients(session: Session, actor: Actor, tab: Tab, *, search: str = "") -> int:
    """Return how many clients a tab holds (one scan; about as fast as a search)."""
    stmt, _ = _tab_query(actor, tab, search, (func.count(),))
    return int(session.execute(stmt).scalar_one())


@dataclass(frozen=True)
class StepState:
    """One workflow step on the card: done, to do, or blocked with the reason in Russian."""

    number: int
    key: str
    title: str
    state: Literal["done", "todo", "blocked"]
    reason: str | None


@dataclass(frozen=True)
class ContractInfo:
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
    contract: ContractInfo | None
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
    session: Session, actor: Actor, user: LegacyUser, client: MasterClient | None
) -> ClientCard:
    """Assemble the card from the rows (a few small queries, no writes, no passport numbers)."""
    app_devices = tuple(list_app_devices(session, user.id))
    status = client.status if client else "new"
    devices = tuple(list_devices(session, actor, client.id)) if client else ()
    passport = passport_summary(session, actor, client.id) if client else None
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
        _holder_name(session, client.assigned_master_id)
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
        contract=ContractInfo(
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
    session: Session, actor: Actor, user_id: int | None = None, *, client_id: int | None = None
) -> ClientCard:
    """Return everything the card shows, by user id (every list row has one) or client id."""
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
    return _build_card(session, actor, user, client)


def _holder_name(session: Session, master_id: int | None) -> str:
    """The name of the master holding a client, or a dash."""
    master = session.get(MasterUser, master_id) if master_id is not None else None
    return master.name if master is not None else "—"


def claim_client(session: Session, actor: Actor, user_id: int) -> ClientCard:
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
                f"Клиент уже в работе у мастера {_holder_name(session, row.assigned_master_id)}"
            )
        return client_card(session, actor, client_id=row.id)
    audit.record_event(
        session, won.id, actor, "client.claimed", f"Клиент взят в работу: {actor.name}"
    )
    workflow.notify(session, workflow.CLIENTS_CHANNEL, {"client_id": won.id, "user_id": user_id})
    return client_card(session, actor, client_id=won.id)


def reassign_client(
    session: Session,
    admin: Actor,
    client_id: int,
    master_id: int,
    *,
    expected_version: int | None = None,
) -> int:
    """Hand a client to another active master (admins only); return the new version."""
    if not admin.is_admin:
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
    previous = _holder_name(session, client.assigned_master_id)
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
    session: Session, actor: Actor, client_id: int, reason: str, expected_version: int
) -> int:
    """Cancel the client's onboarding with a required reason; an unclaimed or signed client
    only an admin may cancel.

    An unsigned contract is voided; returns the new version.
    """
    text = clean_text(reason, field="reason", label="Причина отмены", max_length=500)
    client = workflow.lock_client(session, client_id, actor, expected_version=expected_version)
    extra = ("new", "signed", "paid") if actor.is_admin else ()  # unclaimed or signed: admins
    allowed = (*workflow.EDITABLE_STATUSES, *extra)
    workflow.require_status(client, *allowed, action="отменить клиента")
    if client.status == "awaiting_signature":
        workflow.void_unsigned_contract(session, client, actor, reason=f"клиент отменён: {text}")
    client.status, client.cancel_reason, client.finished_at = "cancelled", text, workflow.now()
    audit.record_event(session, client.id, actor, "client.cancelled", f"Клиент отменён: {text}")
    workflow.touch(session, client)
    return client.version


def release_client(session: Session, actor: Actor, client_id: int, expected_version: int) -> int:
    """Give a client back to «Новые» (data kept) while no contract exists; return the version."""
    client = workflow.lock_client(session, client_id, actor, expected_version=expected_version)
    workflow.require_status(client, "in_progress", action="вернуть клиента в «Новые»")
    client.status, client.assigned_master_id, client.claimed_at = "new", None, None
    audit.record_event(session, client.id, actor, "client.released", "Клиент возвращён в «Новые»")
    workflow.touch(session, client)
    return client.version
