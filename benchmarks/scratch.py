"""A scratch database for a benchmark run: on `PRIVET_BENCH_DATABASE_URL` (a role that may
create databases) when set, else on an embedded server in a temporary directory; dropped
(and the server stopped) when the run ends."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from privet_tui.db.engine import Database, database_from_url


def _server_url(tmp: Path) -> str:
    given = os.environ.get("PRIVET_BENCH_DATABASE_URL")
    if given:
        return given
    from privet_tui.db import embedded

    tmp.chmod(0o755)
    return embedded.start_temporary(tmp / "pg")


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextmanager
def scratch_database() -> Iterator[tuple[Database, str, Path]]:
    """Yield (database, its URL, a temporary directory) for one benchmark run."""
    tmp = Path(tempfile.mkdtemp(prefix="privet-bench-"))
    # Registered before the embedded server starts, so it runs after that server's own exit
    # hook has stopped it (atexit is last-in, first-out).
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    server = _server_url(tmp)
    name = f"privet_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_libpq(server), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    db = database_from_url(url)
    try:
        yield db, url, tmp
    finally:
        db.dispose()
        with psycopg.connect(_libpq(server), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
