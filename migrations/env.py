"""Alembic environment: our tables only; the legacy tables and any table of the client app
that our models do not declare are invisible to autogenerate."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Engine

from privet_tui.db.base import Base
from privet_tui.db.migrate import VERSION_TABLE
from privet_tui.db.models import billing, clients, live, masters, support  # noqa: F401 (registers the tables)

config = context.config
target_metadata = Base.metadata


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Skip the legacy tables and reflected tables that are not ours."""
    if type_ == "table":
        if obj.info.get("legacy"):
            return False
        if reflected and compare_to is None:
            return False
    return True


def _engine() -> Engine:
    engine = config.attributes.get("engine")
    if engine is not None:
        return engine  # type: ignore[no-any-return]
    from privet_tui.config import load_settings
    from privet_tui.db.engine import open_database

    return open_database(load_settings()).engine


def run_migrations_online() -> None:
    with _engine().connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            include_object=include_object,
            version_table=VERSION_TABLE,
            compare_type=True,
            transaction_per_migration=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; connect to a database")
run_migrations_online()
