"""Finding a person by what an operator has at hand: a phone, part of a name or email, or a
contract number — for `privet-tui clients find` and `client-view`.

Returns every id a command needs: the client app's `users.id` and, once someone claimed
the person, the master-side client id the `clients` commands take.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from privet_tui.db.legacy import LegacyUser
from privet_tui.db.models.billing import MasterContract
from privet_tui.db.models.clients import MasterClient
from privet_tui.db.models.masters import MasterUser
from privet_tui.services.clients.listing import search_condition
from privet_tui.services.document_lookup import normalize_number

__all__ = ["CONTRACT_NUMBER", "FoundPerson", "find_people"]

#: A contract number as printed (ПМ-2026-000001), Latin «PM» and any letter case accepted.
CONTRACT_NUMBER = re.compile(r"(?:ПМ|PM)-([0-9]{4})-([0-9]{1,9})", re.IGNORECASE)


@dataclass(frozen=True)
class FoundPerson:
    """One match: the app's user, the master-side client (None while unclaimed)."""

    user_id: int
    client_id: int | None
    name: str
    phone: str | None
    status: str
    master_name: str | None
    contract_number: str | None


def find_people(session: Session, query: str, *, limit: int = 20) -> list[FoundPerson]:
    """People whose contract number, phone, name or email matches `query`, newest first.

    A contract number matches exactly (voided contracts included; typed as people type it:
    `document_lookup.normalize_number`); anything else is the
    client list's search (every word in the name or email, or the phone by its digits).
    """
    text = query.strip()
    if not text:
        return []
    latest = aliased(MasterContract)
    contract_number = (
        select(latest.number)
        .where(latest.client_id == MasterClient.id)
        .order_by(latest.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    name = func.coalesce(
        MasterClient.full_name,
        func.concat_ws(" ", LegacyUser.last_name, LegacyUser.first_name, LegacyUser.middle_name),
    )
    stmt = (
        select(
            LegacyUser.id,
            MasterClient.id,
            name,
            func.coalesce(MasterClient.phone, LegacyUser.phone),
            func.coalesce(MasterClient.status, "new"),
            MasterUser.name,
            contract_number,
        )
        .select_from(LegacyUser)
        .outerjoin(MasterClient, MasterClient.user_id == LegacyUser.id)
        .outerjoin(MasterUser, MasterUser.id == MasterClient.assigned_master_id)
        .order_by(LegacyUser.id.desc())
        .limit(limit)
    )
    number = CONTRACT_NUMBER.fullmatch(normalize_number(text))
    if number is not None:
        year, serial = number.groups()
        wanted = f"ПМ-{year}-{int(serial):06d}"
        holders = select(MasterContract.client_id).where(MasterContract.number == wanted)
        stmt = stmt.where(MasterClient.id.in_(holders))
    else:
        condition = search_condition(text)
        assert condition is not None  # text is not empty
        stmt = stmt.where(condition)
    return [FoundPerson(*row) for row in session.execute(stmt)]
