"""The client list: tabs Новые / Мои / Обработанные with search and keyset paging.

The legacy `users` table gets no index of ours, so the list pages on its primary key (Новые)
or on `master_clients.id` (Мои, Обработанные), newest first: a first page takes ~2 ms at
100,000 users. A search of Новые has to scan `users` once (30–90 ms there; see
benchmarks/bench_client_list.py); Мои and Обработанные scan only `master_clients` rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from privet_tui.db.legacy import LegacyUser
from privet_tui.db.models.clients import FINISHED_STATUSES, MasterClient
from privet_tui.db.models.masters import MasterUser
from privet_tui.services.actor import Actor
from privet_tui.services.rules.catalog import status_label
from privet_tui.services.rules.characters import normalize_separators

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
    #: Why the onboarding was cancelled (status `cancelled` only).
    cancel_reason: str | None = None
    #: When the client's record was opened (a claim): the tabs Мои and Обработанные are in
    #: its order, as Новые is in `created_at`'s (the user's registration).
    opened_at: datetime | None = None


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


def search_condition(search: str) -> ColumnElement[bool] | None:
    """Match name or email by every typed word (case-insensitive, ё = е), or — when only
    phone characters were typed — the phone by its digits, a leading 8 or +7 alike."""
    text = search.strip()
    if not text:
        return None
    separated = normalize_separators(text)  # «8 916 123–45–67» as typed in the phone field
    if _PHONE_QUERY.fullmatch(separated):
        digits = re.sub(r"[^0-9]", "", separated)
        if digits.startswith("00") and len(digits) > 2:  # the international prefix, as typed
            digits = digits[2:]
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
    condition = search_condition(search)
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
        MasterClient.cancel_reason,
        MasterClient.created_at,
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
            cancel_reason=r[9],
            opened_at=r[10],
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
