"""`doctor`'s pooler check: is DATABASE_URL a pooler (PgBouncer), and do the settings fit?

The probe works through transaction pooling: PostgreSQL reports the port it listens on
(`current_setting('port')`); when that differs from the URL's port, something sits in between.
PgBouncer's console (the `pgbouncer` database on the same address) then tells its pool mode
and sizes, when the user may read it (`admin_users` or `stats_users`).
"""

from __future__ import annotations

from typing import Any

from privet_tui.config import Settings

#: Pool modes the app works in (statement mode breaks multi-statement transactions).
GOOD_MODES = ("transaction", "session")


def pooler_check(settings: Settings) -> str:
    """One line for `doctor`: the pooler found (or none) and the budget; "WARN …" when the
    settings do not fit. Raises PrivetError when the pool mode cannot work."""
    from sqlalchemy import text

    from privet_tui.db.engine import open_database
    from privet_tui.errors import PrivetError

    db = open_database(settings)
    try:
        with db.engine.connect() as conn:
            server_port = int(conn.scalar(text("SELECT current_setting('port')")) or 0)
            max_conn = int(conn.scalar(text("SELECT current_setting('max_connections')")) or 0)
            reserved = int(
                conn.scalar(text("SELECT current_setting('superuser_reserved_connections')")) or 0
            )
        url = db.engine.url
    finally:
        db.dispose()
    budget = (
        f"budget {settings.database_pool_size} idle / "
        f"{settings.database_pool_size + settings.database_pool_overflow} busy per session"
    )
    usable = max(max_conn - reserved, 0)
    if not url.host or url.host.startswith("/") or (url.port or 5432) == server_port:
        busy = settings.database_pool_size + settings.database_pool_overflow
        return (
            f"none, straight to PostgreSQL ({budget}; max_connections {max_conn}: about "
            f"{usable // busy} busy sessions; put PgBouncer in front for more, docs/deploy.md)"
        )
    config = _console_config(url)
    if config is None:
        return (
            f"WARN a pooler listens on port {url.port} (PostgreSQL on {server_port}) but its "
            f"console is closed to {url.username}: cannot check its pool mode ({budget})"
        )
    mode = config.get("pool_mode", "?")
    if mode not in GOOD_MODES:
        raise PrivetError(f"PgBouncer pool_mode is {mode}: use transaction (docs/deploy.md)")
    pool = int(config.get("default_pool_size", "0")) + int(config.get("reserve_pool_size", "0"))
    migrate = "DATABASE_MIGRATE_URL set" if settings.database_migrate_url else "migrations too"
    line = (
        f"{config.get('version', 'PgBouncer')}, pool_mode {mode}, {pool} server connections "
        f"per database and user, max_client_conn {config.get('max_client_conn', '?')} "
        f"({budget}; {migrate}; PostgreSQL max_connections {max_conn})"
    )
    if pool > usable:
        return f"WARN {line}: the pool is larger than the server's free connections"
    return line


def _console_config(url: Any) -> dict[str, str] | None:
    """PgBouncer's `SHOW CONFIG` (plus `version`), or None when the console refuses."""
    import psycopg

    console = url.set(drivername="postgresql", database="pgbouncer")
    try:
        with psycopg.connect(
            console.render_as_string(hide_password=False),
            autocommit=True,
            connect_timeout=5,
            prepare_threshold=None,
        ) as conn:
            version = conn.execute("SHOW VERSION").fetchone()
            rows = conn.execute("SHOW CONFIG").fetchall()
    except psycopg.Error:
        return None
    config = {str(row[0]): str(row[1]) for row in rows}
    if version:
        config["version"] = str(version[0])
    return config
