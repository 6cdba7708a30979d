"""Engine and session factory; `open_database()` resolves the configured or embedded server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from privet_tui.config import Settings
from privet_tui.errors import DatabaseError, RecordedRefusal


@dataclass
class Database:
    """One engine and its session factory; `transaction()` is how services write."""

    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def url(self) -> str:
        """The URL without its password, safe to show and log."""
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session inside one transaction: committed on success, rolled back on error.

        A `RecordedRefusal` raised inside is committed first, then raised: the record of a
        wrong code or a failed login stays although the action is refused. Services never
        commit themselves. A lost connection (a server restart, a network cut) becomes a
        DatabaseError a master can act on; the pool's pre-ping reconnects on the next try.
        """
        refusal: RecordedRefusal | None = None
        with _connection_errors(), self.sessions() as session, session.begin():
            try:
                yield session
            except RecordedRefusal as exc:
                refusal = exc  # leaving the block normally commits the record
        if refusal is not None:
            raise refusal

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads; nothing it does is committed."""
        with _connection_errors(), self.sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    def dispose(self) -> None:
        self.engine.dispose()


LOST_CONNECTION = (
    "Связь с базой данных прервалась, действие не выполнено. Повторите его: "
    "соединение восстановится само."
)


@contextmanager
def _connection_errors() -> Iterator[None]:
    try:
        yield
    except (OperationalError, InterfaceError) as exc:
        raise DatabaseError(LOST_CONNECTION) from exc


def make_engine(url: str, *, pool_size: int = 5, max_overflow: int = 10) -> Engine:
    """An engine with pre-ping (survives a server restart) and a short connect timeout.

    `pool_size` connections stay open when idle and `max_overflow` more may open while busy
    (the connection budget). psycopg's server-side prepared statements are off
    (`prepare_threshold=None`): behind PgBouncer in transaction mode two transactions of one
    client may run on different server connections, where a prepared name does not exist.
    """
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=pool_size,
        max_overflow=max_overflow,
        connect_args={
            "connect_timeout": 5,
            "application_name": "privet-tui",
            "prepare_threshold": None,
        },
        # Bound values (an OTP code, passport numbers) never end up in exception texts.
        hide_parameters=True,
    )


def database_from_url(
    url: str, *, check: bool = True, pool_size: int = 5, max_overflow: int = 10
) -> Database:
    """A Database over `url`; pinged first with `check` (DatabaseError when unreachable)."""
    engine = make_engine(url, pool_size=pool_size, max_overflow=max_overflow)
    db = Database(engine, sessionmaker(engine, expire_on_commit=False))
    if check:
        ping(db)
    return db


def resolve_url(settings: Settings) -> str:
    """The configured URL, or the embedded server's (started on demand)."""
    if settings.database_url:
        return settings.database_url
    from privet_tui.db import embedded

    return embedded.server_url(settings.data_dir / "pg")


def open_database(settings: Settings, *, check: bool = True) -> Database:
    """The app's database within its connection budget (`DATABASE_POOL_SIZE` idle,
    `DATABASE_POOL_OVERFLOW` more while busy)."""
    return database_from_url(
        resolve_url(settings),
        check=check,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_pool_overflow,
    )


def open_migration_database(settings: Settings) -> Database:
    """The database for migrations and seeding: `DATABASE_MIGRATE_URL` (straight to
    PostgreSQL, past a pooler) when set, else the app's own."""
    if settings.database_migrate_url:
        return database_from_url(settings.database_migrate_url, pool_size=1, max_overflow=1)
    return open_database(settings)


def ping(db: Database) -> None:
    """Connect once; a clear DatabaseError (no password in it) when that fails."""
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (OperationalError, DBAPIError) as exc:
        raise DatabaseError(
            f"cannot connect to the database {db.url}: {error_reason(exc)}"
        ) from exc


def error_reason(exc: Exception) -> str:
    """The first line of the driver's message (never the bound values: they are hidden)."""
    source = getattr(exc, "orig", None) or exc
    return (str(source).strip().splitlines() or [exc.__class__.__name__])[0]


def safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
