"""The day's (or any period's) numbers per master and in total, read from the database.

A period is whole days `start`…`end` (both included) in the business time zone
(`Settings.zone`): a day runs from its local midnight to the next. Who a figure belongs to:

- **claimed** — the master took the client (`client.claimed` in the client's log) or an
  administrator gave it to them (`client.reassigned`, counted for the new master);
- **signed** — a contract signed in the period, for the master who entered the code;
- **paid** — a payment confirmed in the period, for the master who confirmed it, with its
  sum by payment method (`master_contracts.payment_amount`, roubles);
- **processed** / **cancelled** — a client whose work ended so in the period
  (`master_clients.finished_at`), for the master it is assigned to ("без мастера" when none);
- **median to processed** — the median of `finished_at - claimed_at` over those processed.

Figures come from SQL aggregates, so they equal what a query of the tables gives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, ColumnElement, Date, and_, cast, func, literal, select
from sqlalchemy.orm import Session

from privet_tui.db.models.billing import MasterContract
from privet_tui.db.models.clients import MasterClient
from privet_tui.db.models.masters import MasterUser
from privet_tui.db.models.support import MasterSupportMessage, MasterSupportThread
from privet_tui.errors import ValidationError
from privet_tui.services.actor import Actor

__all__ = [
    "MAX_DAYS",
    "MasterFigures",
    "PeriodReport",
    "period_report",
    "report_for",
]

#: The longest period one report covers (a year and a day: a leap year's span).
MAX_DAYS = 366
NO_MASTER = "без мастера"


@dataclass
class MasterFigures:
    """One row of the report: a master's figures (or the total, with `master_id` None)."""

    master_id: int | None
    name: str
    email: str
    claimed: int = 0
    signed: int = 0
    paid: int = 0
    processed: int = 0
    cancelled: int = 0
    #: Payment method → sum paid in roubles.
    paid_by_method: dict[str, Decimal] = field(default_factory=dict)
    median_to_processed: timedelta | None = None

    @property
    def paid_total(self) -> Decimal:
        return sum(self.paid_by_method.values(), Decimal("0.00"))


@dataclass(frozen=True)
class PeriodReport:
    """Figures for `start`…`end` (local days, included) in `zone`."""

    start: date
    end: date
    zone: str
    masters: tuple[MasterFigures, ...]
    total: MasterFigures
    #: Processed clients per local day of the period, every day listed (zeros included).
    processed_per_day: tuple[tuple[date, int], ...]


def period_report(
    session: Session, *, start: date, end: date, zone: ZoneInfo, master_id: int | None = None
) -> PeriodReport:
    """Count the period's work per master (only `master_id`'s when given).

    Raises ValidationError when `end` is before `start` or the period is over `MAX_DAYS`.
    """
    if end < start:
        raise ValidationError("Конец периода раньше его начала", field="end")
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationError(f"Период длиннее {MAX_DAYS} дней — сократите его", field="end")
    since = datetime.combine(start, time(), zone)
    until = datetime.combine(end + timedelta(days=1), time(), zone)
    rows: dict[int | None, MasterFigures] = {}

    def row(owner: int | None) -> MasterFigures:
        if owner not in rows:
            rows[owner] = MasterFigures(owner, NO_MASTER, "")
        return rows[owner]

    def within(column: Any) -> ColumnElement[bool]:
        return and_(column >= since, column < until)

    for owner, count in _claims(session, within, master_id):
        row(owner).claimed = count
    for owner, count in _grouped(
        session, MasterContract.signed_by_id, within(MasterContract.signed_at), master_id
    ):
        row(owner).signed = count
    for owner, method, count, amount in _payments(session, within, master_id):
        figures = row(owner)
        figures.paid += count
        figures.paid_by_method[method] = amount
    for status in ("processed", "cancelled"):
        finished = within(MasterClient.finished_at) & (MasterClient.status == status)
        for owner, count in _grouped(session, MasterClient.assigned_master_id, finished, master_id):
            setattr(row(owner), status, count)
    for owner, median in _median(session, within, master_id, by_master=True):
        row(owner).median_to_processed = median
    _name_masters(session, rows)
    masters = tuple(sorted(rows.values(), key=lambda r: (r.master_id is None, r.name)))
    total = _total(session, masters, within, master_id)
    return PeriodReport(
        start=start,
        end=end,
        zone=zone.key,
        masters=masters,
        total=total,
        processed_per_day=_per_day(session, within, zone, start, end, master_id),
    )


#: A column of instants → "it falls in the period".
Within = Callable[[Any], ColumnElement[bool]]


def _claims(
    session: Session, within: Within, master_id: int | None
) -> Sequence[tuple[int | None, int]]:
    """(master id, clients claimed or received) from the clients' logs."""
    given_to = MasterSupportMessage.payload["master_id"].as_integer()
    owner = func.coalesce(given_to, MasterSupportMessage.master_id)
    query = (
        select(owner, func.count(func.distinct(MasterSupportThread.client_id)))
        .join(MasterSupportThread, MasterSupportThread.id == MasterSupportMessage.thread_id)
        .where(
            MasterSupportMessage.kind == "event",
            MasterSupportMessage.action.in_(("client.claimed", "client.reassigned")),
            within(MasterSupportMessage.created_at),
        )
        .group_by(owner)
    )
    if master_id is not None:
        query = query.where(owner == master_id)
    return session.execute(query).all()


def _grouped(
    session: Session,
    owner: Any,
    condition: ColumnElement[bool],
    master_id: int | None,
) -> Sequence[tuple[int | None, int]]:
    """(owner, rows) of the one table `owner` belongs to, where `condition` holds."""
    query = select(owner, func.count()).where(condition).group_by(owner)
    if master_id is not None:
        query = query.where(owner == master_id)
    return session.execute(query).all()


def _payments(
    session: Session, within: Within, master_id: int | None
) -> Sequence[tuple[int | None, str, int, Decimal]]:
    """(master, method, payments, sum) of the payments confirmed in the period."""
    c = MasterContract
    query = (
        select(c.paid_by_id, c.payment_method, func.count(), func.sum(c.payment_amount))
        .where(within(c.paid_at), c.payment_method.is_not(None))
        .group_by(c.paid_by_id, c.payment_method)
    )
    if master_id is not None:
        query = query.where(c.paid_by_id == master_id)
    return [
        (owner, str(method), count, amount or Decimal("0.00"))
        for owner, method, count, amount in session.execute(query)
    ]


def _processed(within: Within) -> ColumnElement[bool]:
    return within(MasterClient.finished_at) & (MasterClient.status == "processed")


def _median(
    session: Session, within: Within, master_id: int | None, *, by_master: bool
) -> Sequence[tuple[int | None, timedelta | None]]:
    """(master or None, median of claim → processed) over the processed clients."""
    median = func.percentile_cont(0.5).within_group(
        MasterClient.finished_at - MasterClient.claimed_at
    )
    owner = MasterClient.assigned_master_id if by_master else literal(None, BigInteger)
    query = select(owner, median).where(_processed(within), MasterClient.claimed_at.is_not(None))
    if by_master:
        query = query.group_by(owner)
    if master_id is not None:
        query = query.where(MasterClient.assigned_master_id == master_id)
    return session.execute(query).all()


def _name_masters(session: Session, rows: dict[int | None, MasterFigures]) -> None:
    ids = [key for key in rows if key is not None]
    if not ids:
        return
    for master in session.scalars(select(MasterUser).where(MasterUser.id.in_(ids))):
        rows[master.id].name, rows[master.id].email = master.name, master.email


def _total(
    session: Session, masters: Sequence[MasterFigures], within: Within, master_id: int | None
) -> MasterFigures:
    total = MasterFigures(None, "Итого", "")
    methods: dict[str, Decimal] = defaultdict(Decimal)
    for figures in masters:
        total.claimed += figures.claimed
        total.signed += figures.signed
        total.paid += figures.paid
        total.processed += figures.processed
        total.cancelled += figures.cancelled
        for method, amount in figures.paid_by_method.items():
            methods[method] += amount
    total.paid_by_method = dict(sorted(methods.items()))
    for _, median in _median(session, within, master_id, by_master=False):
        total.median_to_processed = median
    return total


def _per_day(
    session: Session, within: Within, zone: ZoneInfo, start: date, end: date, master_id: int | None
) -> tuple[tuple[date, int], ...]:
    day = cast(func.timezone(zone.key, MasterClient.finished_at), Date)
    query = select(day, func.count()).where(_processed(within)).group_by(day)
    if master_id is not None:
        query = query.where(MasterClient.assigned_master_id == master_id)
    counts = dict(session.execute(query).all())
    span = (end - start).days + 1
    days = (start + timedelta(days=offset) for offset in range(span))
    return tuple((d, counts.get(d, 0)) for d in days)


def report_for(
    session: Session, actor: Actor, start: date, end: date, zone: ZoneInfo
) -> PeriodReport:
    """The period's report as `actor` may see it: everyone's for an admin, a master's own."""
    own = None if actor.is_admin else actor.id
    return period_report(session, start=start, end=end, zone=zone, master_id=own)
