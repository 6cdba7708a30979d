"""Step 4 «Тариф» on the database side: tariff plans (list, import, defaults), the live quote
for the screen and the calculation fixed for a client in `master_client_tariffs`.

The stored breakdown is `Quote.to_dict()` plus a snapshot of the plan it came from, so a later
change of the plan never changes what a client was quoted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from privet_tui.db.models.billing import MasterClientTariff, MasterTariff
from privet_tui.db.models.clients import MasterClient, MasterDevice
from privet_tui.errors import NotFoundError, StateError, ValidationError
from privet_tui.services import audit, workflow
from privet_tui.services.actor import Actor
from privet_tui.services.rules.pricing import (
    DEFAULT_TARIFFS,
    Quote,
    TariffPlan,
    calculate_surcharge,
    format_money,
)

__all__ = [
    "AppliedTariff",
    "TariffRow",
    "applied_tariff",
    "apply_tariff",
    "ensure_default_tariffs",
    "import_tariffs",
    "list_tariffs",
    "quote_for_client",
]

#: The step number of this module in `workflow.STEPS`.
STEP = 4


@dataclass(frozen=True)
class TariffRow:
    """A stored tariff plan with its database id (what the tariff picker lists)."""

    id: int
    plan: TariffPlan


@dataclass(frozen=True)
class AppliedTariff:
    """The calculation fixed for a client: which plan, the itemised quote, who and when."""

    tariff_id: int
    code: str
    name: str
    quote: Quote
    applied_at: datetime
    applied_by_id: int


def _plan(row: MasterTariff) -> TariffPlan:
    """The stored row as a validated plan (fees in JSONB are strings)."""
    return TariffPlan(
        code=row.code,
        name=row.name,
        monthly_fee=row.monthly_fee,
        included_devices=row.included_devices,
        extra_device_fee=row.extra_device_fee,
        category_fees={key: Decimal(str(value)) for key, value in row.category_fees.items()},
        activation_fee=row.activation_fee,
        active=row.is_active,
        description=row.description,
    )


def _columns(plan: TariffPlan) -> dict[str, Any]:
    """Return the `master_tariffs` column values of a plan (fees in JSONB as strings)."""
    return {
        "code": plan.code,
        "name": plan.name,
        "description": plan.description,
        "monthly_fee": plan.monthly_fee,
        "included_devices": plan.included_devices,
        "extra_device_fee": plan.extra_device_fee,
        "category_fees": {key: str(value) for key, value in plan.category_fees.items()},
        "activation_fee": plan.activation_fee,
        "is_active": plan.active,
    }


def _snapshot(tariff_id: int, plan: TariffPlan) -> dict[str, Any]:
    """Return the plan as JSON (amounts as strings) for the stored breakdown."""
    return {
        "id": tariff_id,
        "code": plan.code,
        "name": plan.name,
        "monthly_fee": str(plan.monthly_fee),
        "included_devices": plan.included_devices,
        "extra_device_fee": str(plan.extra_device_fee),
        "category_fees": {key: str(value) for key, value in plan.category_fees.items()},
        "activation_fee": str(plan.activation_fee),
    }


def list_tariffs(session: Session, *, active_only: bool = True) -> list[TariffRow]:
    """Return the tariff plans, cheapest monthly fee first (active ones only by default)."""
    stmt = select(MasterTariff).order_by(MasterTariff.monthly_fee, MasterTariff.code)
    if active_only:
        stmt = stmt.where(MasterTariff.is_active)
    return [TariffRow(id=row.id, plan=_plan(row)) for row in session.scalars(stmt)]


def _upsert(session: Session, plans: Iterable[TariffPlan], *, overwrite: bool) -> int:
    """Insert plans by code (updating existing ones when `overwrite`); return how many were new."""
    plans = list(plans)
    codes = [plan.code for plan in plans]
    existing = set(session.scalars(select(MasterTariff.code).where(MasterTariff.code.in_(codes))))
    for plan in plans:
        values = _columns(plan)
        stmt = insert(MasterTariff).values(**values)
        if overwrite:
            changes = {key: value for key, value in values.items() if key != "code"}
            stmt = stmt.on_conflict_do_update(
                index_elements=["code"], set_={**changes, "updated_at": func.now()}
            )
        else:
            stmt = stmt.on_conflict_do_nothing(index_elements=["code"])
        session.execute(stmt)
    return len(set(codes) - existing)


def import_tariffs(session: Session, plans: Sequence[TariffPlan]) -> tuple[int, int]:
    """Create or update plans by code; return (created, updated). Applied calculations keep
    their snapshot, so changing a plan never changes what a client was quoted."""
    if len({plan.code for plan in plans}) != len(plans):
        raise ValidationError("Коды тарифов в импорте повторяются")
    created = _upsert(session, plans, overwrite=True)
    return created, len(plans) - created


def ensure_default_tariffs(session: Session) -> int:
    """Add the built-in plans whose codes are missing (never overwriting); return how many."""
    return _upsert(session, DEFAULT_TARIFFS, overwrite=False)


def _tariff(session: Session, tariff_id: int) -> MasterTariff:
    """One tariff row by id, or refuse."""
    row = session.get(MasterTariff, tariff_id)
    if row is None:
        raise NotFoundError("Тариф не найден")
    return row


def _categories(session: Session, client_id: int) -> list[str]:
    """Categories of the client's devices (all the surcharge depends on)."""
    return list(
        session.scalars(
            select(MasterDevice.category)
            .where(MasterDevice.client_id == client_id)
            .order_by(MasterDevice.id)
        )
    )


def quote_for_client(session: Session, actor: Actor, client_id: int, tariff_id: int) -> Quote:
    """Return the surcharge the plan would give for the client's current devices (no write)."""
    if session.get(MasterClient, client_id) is None:
        raise NotFoundError("Клиент не найден")
    return calculate_surcharge(_plan(_tariff(session, tariff_id)), _categories(session, client_id))


def apply_tariff(
    session: Session, actor: Actor, client_id: int, expected_version: int, tariff_id: int
) -> Quote:
    """Fix the plan's calculation for the client (replacing an earlier one) and return it;
    needs at least one device and an active plan."""
    edit = workflow.begin_step_edit(session, actor, client_id, expected_version)
    client = edit.client
    tariff = _tariff(session, tariff_id)
    if not tariff.is_active:
        raise ValidationError(
            f"Тариф «{tariff.name}» больше не действует — выберите другой", field="tariff"
        )
    categories = _categories(session, client.id)
    if not categories:
        raise StateError("Сначала добавьте хотя бы одно устройство (шаг «Устройства»)")
    plan = _plan(tariff)
    quote = calculate_surcharge(plan, categories)
    breakdown = {**quote.to_dict(), "tariff": _snapshot(tariff.id, plan)}
    current = session.scalar(
        select(MasterClientTariff.breakdown).where(MasterClientTariff.client_id == client.id)
    )
    if current == breakdown:
        return quote  # the same calculation is already fixed: nothing to void or rewrite
    edit.change()
    values = {
        "tariff_id": tariff.id,
        "breakdown": breakdown,
        "surcharge": quote.total,
        "monthly_fee": quote.monthly_fee,
        "applied_by_id": actor.id,
        "applied_at": workflow.now(),
    }
    session.execute(
        insert(MasterClientTariff)
        .values(client_id=client.id, **values)
        .on_conflict_do_update(index_elements=["client_id"], set_=values)
    )
    audit.record_event(
        session,
        client.id,
        actor,
        "tariff.applied",
        f"Применён тариф «{plan.name}»: доплата {format_money(quote.total)}, "
        f"абонентская плата {format_money(quote.monthly_fee)} в месяц",
        {"tariff_id": tariff.id, "total": str(quote.total), "devices": len(categories)},
    )
    client.current_step = max(client.current_step, STEP + 1)
    workflow.touch(session, client)
    return quote


def applied_tariff(session: Session, client_id: int) -> AppliedTariff | None:
    """Return the calculation fixed for the client, or None when no tariff is applied."""
    found = session.execute(
        select(MasterClientTariff, MasterTariff.code, MasterTariff.name)
        .join(MasterTariff, MasterTariff.id == MasterClientTariff.tariff_id)
        .where(MasterClientTariff.client_id == client_id)
    ).first()
    if found is None:
        return None
    row, code, name = found
    snapshot = row.breakdown.get("tariff") or {}
    return AppliedTariff(
        tariff_id=row.tariff_id,
        code=str(snapshot.get("code", code)),
        name=str(snapshot.get("name", name)),
        quote=Quote.from_dict(row.breakdown),
        applied_at=row.applied_at,
        applied_by_id=row.applied_by_id,
    )
