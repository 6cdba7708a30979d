"""The client app's own tables, mapped read-only in this one module.

They are never created, altered or migrated by this project in production: Alembic's
autogenerate skips every table flagged `info={"legacy": True}`. Adapting to the real
columns is a change to this file alone. `create_fixture_tables()` builds them only for
the demo and the tests.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Text, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column, relationship

from privet_tui.db.base import Base

LEGACY = {"legacy": True}


class LegacyUser(Base):
    """A person registered in the «Привет Супер» app (`users`)."""

    __tablename__ = "users"
    __table_args__ = {"info": LEGACY}

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    phone: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    first_name: Mapped[str | None] = mapped_column(Text)
    last_name: Mapped[str | None] = mapped_column(Text)
    middle_name: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime | None]

    devices: Mapped[list[LegacyDevice]] = relationship(
        back_populates="user", viewonly=True, order_by="LegacyDevice.id"
    )

    @property
    def full_name(self) -> str:
        parts = (self.last_name, self.first_name, self.middle_name)
        return " ".join(p for p in parts if p)


class LegacyDevice(Base):
    """A device the client listed in the app (`devices`)."""

    __tablename__ = "devices"
    __table_args__ = {"info": LEGACY}

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    title: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(Text)
    serial: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime | None]

    user: Mapped[LegacyUser] = relationship(back_populates="devices", viewonly=True)


FIXTURE_DDL = (
    """
    CREATE TABLE IF NOT EXISTS users (
        id bigserial PRIMARY KEY,
        phone text,
        email text,
        first_name text,
        last_name text,
        middle_name text,
        created_at timestamptz DEFAULT now()
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS devices (
        id bigserial PRIMARY KEY,
        user_id bigint REFERENCES users(id),
        title text,
        kind text,
        serial text,
        created_at timestamptz DEFAULT now()
    )
    """,
)


def create_fixture_tables(conn: Connection) -> None:
    """Create `users`/`devices` as the client app has them (demo and tests only)."""
    for statement in FIXTURE_DDL:
        conn.execute(text(statement))


def legacy_tables_exist(conn: Connection) -> bool:
    found = conn.execute(
        text("SELECT to_regclass('users') IS NOT NULL AND to_regclass('devices') IS NOT NULL")
    ).scalar_one()
    return bool(found)
