"""Step 2 «Паспорт» on the database side: save the validated passport, show it masked, and
reveal the full data only through an audited call.

Passport numbers never reach a log or an audit event: events say what happened and who did
it, nothing more. An expired passport (the 20/45 replacement rule) is a warning, not a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from privet_tui.db.models.clients import MasterClient, MasterPassport
from privet_tui.errors import AuthError, NotFoundError
from privet_tui.services import audit, workflow
from privet_tui.services.actor import Actor
from privet_tui.services.rules.passport import (
    PassportData,
    PassportInput,
    mask_passport,
    passport_expired,
    validate_passport,
)

__all__ = [
    "PassportSaved",
    "PassportSummary",
    "passport_summary",
    "reveal_passport",
    "save_passport",
]

#: The step number of this module in `workflow.STEPS`.
STEP = 2


@dataclass(frozen=True)
class PassportSummary:
    """What lists and cards may show without an audit event: the masked number and flags."""

    masked: str
    expired: bool
    updated_at: datetime


@dataclass(frozen=True)
class PassportSaved:
    """The outcome of step 2: the client's new version and whether the passport is expired."""

    version: int
    expired: bool


def _data(row: MasterPassport) -> PassportData:
    """The stored row as the validators' plain dataclass."""
    return PassportData(
        series=row.series,
        number=row.number,
        issue_date=row.issue_date,
        issued_by=row.issued_by,
        department_code=row.department_code,
        birth_date=row.birth_date,
        birth_place=row.birth_place,
        registration_address=row.registration_address,
    )


def _row(session: Session, client_id: int) -> MasterPassport | None:
    """The client's passport row, if entered."""
    return session.scalar(select(MasterPassport).where(MasterPassport.client_id == client_id))


def save_passport(
    session: Session,
    actor: Actor,
    client_id: int,
    expected_version: int,
    form: PassportInput,
    *,
    today: date | None = None,
) -> PassportSaved:
    """Validate and store the passport (all field errors at once); an unchanged form writes
    nothing, and an expired passport is stored with the flag returned for a warning."""
    today = today or date.today()
    data = validate_passport(form, today=today)
    edit = workflow.begin_step_edit(session, actor, client_id, expected_version)
    client = edit.client
    expired = passport_expired(data, today=today)
    row = _row(session, client.id)
    if row is not None and _data(row) == data:
        return PassportSaved(version=client.version, expired=expired)
    edit.change()
    if row is None:
        row = MasterPassport(client_id=client.id, **vars(data))
        session.add(row)
    else:
        for name, value in vars(data).items():
            setattr(row, name, value)
        row.updated_at = workflow.now()
    session.flush()
    audit.record_event(
        session,
        client.id,
        actor,
        "passport.saved",
        "Паспортные данные сохранены" + (" (паспорт просрочен)" if expired else ""),
        {"expired": expired},
    )
    client.current_step = max(client.current_step, STEP + 1)
    workflow.touch(session, client)
    return PassportSaved(version=client.version, expired=expired)


def passport_summary(
    session: Session, actor: Actor, client_id: int, *, today: date | None = None
) -> PassportSummary | None:
    """Return the masked passport of the client (None when not entered yet); not audited."""
    row = _row(session, client_id)
    if row is None:
        return None
    return PassportSummary(
        masked=mask_passport(row.series, row.number),
        expired=passport_expired(_data(row), today=today or date.today()),
        updated_at=row.updated_at,
    )


def reveal_passport(session: Session, actor: Actor, client_id: int) -> PassportData:
    """Return the full passport to the client's master (or an admin), recording the view.

    The audit event is written in the caller's transaction, so the caller must commit it
    (`with db.transaction() as s:`); the event carries no passport numbers.
    """
    holder = session.scalar(
        select(MasterClient.assigned_master_id).where(MasterClient.id == client_id)
    )
    if holder is None and session.get(MasterClient, client_id) is None:
        raise NotFoundError("Клиент не найден")
    if not actor.is_admin and holder != actor.id:
        raise AuthError(
            "Полные паспортные данные видит только мастер клиента или администратор",
            title="Нет доступа",
        )
    row = _row(session, client_id)
    if row is None:
        raise NotFoundError("Паспортные данные ещё не введены")
    audit.record_event(session, client_id, actor, "passport.viewed", "Просмотр паспортных данных")
    return _data(row)
