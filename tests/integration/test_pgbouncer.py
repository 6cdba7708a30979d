"""The app through a real PgBouncer in transaction mode (issue 14): migrations and the demo
seed walking every step (claims, sequences, OTP, PDFs), a claim race, live updates, the
connection budget and `doctor`'s pooler line. The pooler has 4 server connections, so
consecutive transactions of one client land on different server sessions: any session
state (a prepared statement, a LISTEN, a session lock) would break here."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select, text

from privet_tui.config import Settings
from privet_tui.db.engine import Database, database_from_url
from privet_tui.db.models.clients import MasterClient
from privet_tui.errors import ConflictError
from privet_tui.services.channels import CLIENTS_CHANNEL
from privet_tui.services.gateway import open_gateway
from privet_tui.services.live import Notice
from tests.conftest import TEST_SECRET_KEY, add_master, add_user
from tests.integration.pgbouncer import PgBouncer, pgbouncer_program, start_pgbouncer

pytestmark = pytest.mark.skipif(pgbouncer_program() is None, reason="pgbouncer not installed")

SERVER_POOL = 4


@pytest.fixture(scope="module")
def pgbouncer(pg_server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PgBouncer]:
    bouncer = start_pgbouncer(
        pg_server_url, tmp_path_factory.mktemp("pgbouncer"), pool_size=SERVER_POOL
    )
    yield bouncer
    bouncer.stop()


@pytest.fixture
def pooled(pgbouncer: PgBouncer, db_url: str) -> Iterator[Database]:
    """This test's database through the pooler, within the app's budget (1 idle, 2 busy)."""
    database = database_from_url(pgbouncer.url(db_url), pool_size=1, max_overflow=1)
    yield database
    database.dispose()


def _server_sessions(db: Database) -> int:
    with db.reading() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(text("pg_stat_activity"))
                .where(text("datname = current_database()"))
            )
            or 0
        )


def test_migrations_demo_seed_and_every_step_through_the_pooler(
    pgbouncer: PgBouncer, bare_db_url: str, tmp_path: Path, seal_dir: Path
) -> None:
    """`seed_demo` creates the tables, migrates, and walks applicants through every step:
    claims, contacts, passport, devices, tariff, contract (OTP), signature, payment, invoice."""
    import shutil

    from privet_tui.demo.seed import seed_demo
    from privet_tui.demo.states import PLAN, seed_states

    url = pgbouncer.url(bare_db_url)
    shutil.copytree(seal_dir, tmp_path / "data" / "seal")
    config = Settings(database_url=url, secret_key=TEST_SECRET_KEY, data_dir=tmp_path / "data")
    db = database_from_url(url, pool_size=1, max_overflow=1)
    try:
        result = seed_demo(db, extra=lambda d: seed_states(d, config))
        assert result.seeded
        with db.reading() as s:
            statuses = dict(
                s.execute(
                    select(MasterClient.status, func.count()).group_by(MasterClient.status)
                ).all()
            )
            numbers = s.scalars(text("SELECT number FROM master_contracts")).all()
        assert sum(statuses.values()) == len(PLAN)
        assert statuses["processed"] == PLAN.count("processed")
        assert len(numbers) == len(set(numbers)) >= 5
        assert _server_sessions(db) <= SERVER_POOL
    finally:
        db.dispose()


def test_claim_race_through_the_pooler(pgbouncer: PgBouncer, db_url: str, db: Database) -> None:
    user_id = add_user(db)
    masters = [add_master(db, f"pool{i}@privet.local", f"Мастер {i}") for i in range(6)]
    doors = [
        open_gateway(Settings(database_url=pgbouncer.url(db_url), secret_key=TEST_SECRET_KEY))
        for _ in masters
    ]
    start = threading.Barrier(len(doors))
    results: list[object] = []

    def attempt(index: int) -> None:
        start.wait()
        try:
            results.append(doors[index].claim_client(masters[index], user_id))
        except ConflictError as exc:
            results.append(exc)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(doors))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for door in doors:
        door.close()
    assert len(results) == len(doors)
    assert sum(not isinstance(r, ConflictError) for r in results) == 1


def test_live_update_and_budget_through_the_pooler(
    pgbouncer: PgBouncer, db_url: str, db: Database
) -> None:
    """Another master's claim reaches this session's feed; an idle session holds one client
    connection, and the feed holds none of its own."""
    user_id = add_user(db)
    other = add_master(db, "other@privet.local", "Ольга Кузнецова")
    url = pgbouncer.url(db_url)
    mine = open_gateway(Settings(database_url=url, secret_key=TEST_SECRET_KEY))
    theirs = open_gateway(Settings(database_url=url, secret_key=TEST_SECRET_KEY))
    notices: list[Notice] = []
    feed = mine.live_feed(notices.append, lambda connected: None)
    feed.interval = 0.05
    thread = threading.Thread(target=feed.run)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not feed.listening:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        theirs.claim_client(other, user_id)
        while not notices:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        pool = mine.db.engine.pool
        assert pool.checkedin() + pool.checkedout() <= 1  # type: ignore[attr-defined]
    finally:
        feed.stop()
        thread.join(5)
        mine.close()
        theirs.close()
    assert not thread.is_alive()
    assert [(n.channel, n.user_id(), n.own) for n in notices] == [(CLIENTS_CHANNEL, user_id, False)]


def test_doctor_names_the_pooler_and_its_mode(pgbouncer: PgBouncer, db_url: str) -> None:
    from privet_tui.cli.doctor_pool import pooler_check

    line = pooler_check(Settings(database_url=pgbouncer.url(db_url), secret_key=TEST_SECRET_KEY))
    assert "PgBouncer" in line
    assert "pool_mode transaction" in line
    assert "budget 1 idle / 2 busy" in line
    direct = pooler_check(Settings(database_url=db_url, secret_key=TEST_SECRET_KEY))
    assert direct.startswith("none, straight to PostgreSQL")


def test_prepared_statements_are_off(pooled: Database) -> None:
    """The same query many times over one client connection: psycopg would prepare it after 5
    runs, and PgBouncer 1.18 would then send it to a server that never saw the PREPARE."""
    for _ in range(20):
        with pooled.reading() as s:
            assert s.scalar(select(func.count()).select_from(MasterClient)) == 0
    with pooled.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert isinstance(raw, psycopg.Connection)
        assert raw.prepare_threshold is None


def test_migrations_take_database_migrate_url(pgbouncer: PgBouncer, db_url: str) -> None:
    """`db upgrade` and the demo go straight to PostgreSQL when DATABASE_MIGRATE_URL is set;
    the app itself stays on the pooler, within its budget."""
    from privet_tui.config import normalize_database_url
    from privet_tui.db.engine import open_database, open_migration_database

    settings = Settings(
        database_url=pgbouncer.url(db_url),
        database_migrate_url=normalize_database_url(db_url),
        secret_key=TEST_SECRET_KEY,
    )
    direct, pooled = open_migration_database(settings), open_database(settings)
    try:
        assert direct.engine.url.port != pgbouncer.port
        assert pooled.engine.url.port == pgbouncer.port
        assert (pooled.engine.pool.size(), pooled.engine.pool._max_overflow) == (1, 1)  # type: ignore[attr-defined]
    finally:
        direct.dispose()
        pooled.dispose()
