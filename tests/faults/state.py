"""Reading what a fault left behind: one client's columns, single values a step needs (its
user, its first device, the sum due, the code the client was sent), the whole database as a
snapshot, sessions still inside a transaction, and the object store's keys and digests."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import Select, select, text

from privet_tui.db.engine import Database
from privet_tui.db.models.billing import MasterContract
from privet_tui.db.models.clients import MasterClient, MasterDevice
from privet_tui.db.models.support import SupportMessage, SupportTicket
from privet_tui.storage.base import ObjectStore

T = TypeVar("T")


@dataclass(frozen=True)
class ClientState:
    """The columns of `master_clients` a fault test compares."""

    status: str
    version: int
    assigned_master_id: int | None
    current_step: int


def client_state(db: Database, client_id: int) -> ClientState:
    with db.reading() as session:
        row = session.get(MasterClient, client_id)
        assert row is not None
        return ClientState(row.status, row.version, row.assigned_master_id, row.current_step)


def client_version(db: Database, client_id: int) -> int:
    return client_state(db, client_id).version


def _one(db: Database, stmt: Select[tuple[T]]) -> T:
    """The first value `stmt` selects, which must be there."""
    with db.reading() as session:
        found = session.scalar(stmt)
    assert found is not None, f"nothing found for {stmt}"
    return found


def client_id_of(db: Database, user_id: int) -> int:
    return _one(db, select(MasterClient.id).where(MasterClient.user_id == user_id))


def user_of(db: Database, client_id: int) -> int:
    return _one(db, select(MasterClient.user_id).where(MasterClient.id == client_id))


def first_device(db: Database, client_id: int) -> int:
    """The client's first device (lowest id)."""
    return _one(
        db,
        select(MasterDevice.id)
        .where(MasterDevice.client_id == client_id)
        .order_by(MasterDevice.id),
    )


def total_due(db: Database, client_id: int) -> Decimal:
    """What the client's signed contract says is due."""
    return _one(
        db,
        select(MasterContract.total_due).where(
            MasterContract.client_id == client_id, MasterContract.status == "signed"
        ),
    )


def latest_code(db: Database, user_id: int) -> str:
    """The OTP as the client app reads it: the payload of the newest contract_otp message."""
    with db.reading() as session:
        payload = session.scalar(
            select(SupportMessage.payload)
            .join(SupportTicket, SupportTicket.id == SupportMessage.ticket_id)
            .where(SupportTicket.user_id == user_id)
            .where(SupportMessage.payload["type"].as_string() == "contract_otp")
            .order_by(SupportMessage.id.desc())
            .limit(1)
        )
    assert payload is not None, "no contract_otp message in the client's ticket"
    return str(payload["code"])


def wrong_code(code: str, shift: int = 1) -> str:
    """A 6-digit code that is not `code`."""
    return f"{(int(code) + shift) % 1_000_000:06d}"


def tables(db: Database) -> list[str]:
    """Every table of the public schema but Alembic's, sorted."""
    with db.reading() as session:
        names = session.scalars(
            text(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' "
                "AND table_name <> 'alembic_version' ORDER BY table_name"
            )
        ).all()
    return list(names)


def snapshot(db: Database) -> dict[str, list[str]]:
    """Every row of every table, as JSON text in id order: equal snapshots = nothing written."""
    state: dict[str, list[str]] = {}
    with db.reading() as session:
        for name in tables(db):
            rows = session.scalars(
                text(f'SELECT row_to_json(t)::text FROM "{name}" t ORDER BY 1')
            ).all()
            state[name] = list(rows)
    return state


def open_transactions(db: Database) -> int:
    """Other sessions of this database that are inside a transaction (locks possibly held)."""
    with db.engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'"
                )
            ).scalar_one()
        )


def object_keys(store: ObjectStore, prefix: str = "clients/") -> set[str]:
    return {obj.key for obj in store.list(prefix)}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
