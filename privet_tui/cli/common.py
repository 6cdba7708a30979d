"""Helpers shared by the CLI commands: settings, the database, the gateway, one-line failures."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

from privet_tui.config import Settings, load_settings

if TYPE_CHECKING:
    from privet_tui.services.gateway import Gateway


def fail(message: str, *, code: int = 1) -> NoReturn:
    sys.stderr.write(f"privet-tui: error: {message}\n")
    raise SystemExit(code)


def settings() -> Settings:
    return load_settings()


def database(*, migrated: bool = True, schema: bool = False):  # type: ignore[no-untyped-def]
    """Open the configured database; with `migrated`, refuse one that needs `db upgrade`;
    with `schema`, the one for migrations (`DATABASE_MIGRATE_URL` when set)."""
    from privet_tui.db import migrate
    from privet_tui.db.engine import open_database, open_migration_database
    from privet_tui.errors import DatabaseError

    db = open_migration_database(settings()) if schema else open_database(settings())
    if migrated and not migrate.is_up_to_date(db):
        current = migrate.current_revision(db) or "empty"
        raise DatabaseError(
            f"the database {db.url} is not migrated (at {current}); run: privet-tui db upgrade"
        )
    return db


def gateway() -> Gateway:
    """The same gateway the TUI uses, over the configured (and migrated) database."""
    from privet_tui.services.gateway import open_gateway

    return open_gateway(settings(), database=database())
