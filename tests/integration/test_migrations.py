"""Migrations on a database that already holds the client app's tables and rows."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from privet_tui.db import migrate
from privet_tui.db.engine import database_from_url
from privet_tui.db.legacy import create_fixture_tables
from privet_tui.errors import DatabaseError

OURS = {
    "master_users",
    "master_login_attempts",
    "master_clients",
    "master_passports",
    "master_devices",
    "master_device_photos",
    "master_tariffs",
    "master_client_tariffs",
    "master_contracts",
    "master_invoices",
    "master_support_threads",
    "master_support_messages",
    "support_tickets",
    "support_messages",
}

LEGACY_SNAPSHOT_SQL = """
SELECT table_name, column_name, data_type, is_nullable, column_default
FROM information_schema.columns WHERE table_name IN ('users', 'devices')
ORDER BY table_name, ordinal_position
"""


def _legacy_state(conn):  # type: ignore[no-untyped-def]
    columns = conn.execute(text(LEGACY_SNAPSHOT_SQL)).all()
    users = conn.execute(text("SELECT * FROM users ORDER BY id")).all()
    devices = conn.execute(text("SELECT * FROM devices ORDER BY id")).all()
    constraints = conn.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid IN ('users'::regclass, 'devices'::regclass) ORDER BY conname"
        )
    ).all()
    indexes = conn.execute(
        text(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename IN ('users', 'devices') ORDER BY indexname"
        )
    ).all()
    return columns, users, devices, constraints, indexes


@pytest.fixture
def legacy_db(bare_db_url: str):  # type: ignore[no-untyped-def]
    db = database_from_url(bare_db_url)
    with db.engine.begin() as conn:
        create_fixture_tables(conn)
        conn.execute(
            text(
                "INSERT INTO users (phone, email, first_name, last_name, middle_name) VALUES "
                "('+79161234567', 'ivan@example.ru', 'Иван', 'Петров', 'Сергеевич'),"
                "('89031112233', NULL, 'Мария', 'Сидорова', NULL)"
            )
        )
        conn.execute(
            text("INSERT INTO devices (user_id, title, kind, serial) VALUES (1, 'LG', 'tv', 'X1')")
        )
    yield db
    db.dispose()


def test_up_down_up_leaves_legacy_tables_and_rows_unchanged(legacy_db) -> None:  # type: ignore[no-untyped-def]
    with legacy_db.engine.connect() as conn:
        before = _legacy_state(conn)
    migrate.upgrade(legacy_db)
    tables = set(inspect(legacy_db.engine).get_table_names())
    assert tables >= OURS
    migrate.check(legacy_db)
    migrate.downgrade(legacy_db, "base")
    assert set(inspect(legacy_db.engine).get_table_names()) == {"users", "devices"}
    with legacy_db.engine.connect() as conn:
        seqs = conn.execute(text("SELECT relname FROM pg_class WHERE relkind = 'S'")).scalars()
        assert not [s for s in seqs if s.startswith("master_")]
    migrate.upgrade(legacy_db)
    assert migrate.is_up_to_date(legacy_db)
    with legacy_db.engine.connect() as conn:
        assert _legacy_state(conn) == before


def test_existing_support_tables_are_kept_on_downgrade(legacy_db) -> None:  # type: ignore[no-untyped-def]
    with legacy_db.engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE support_tickets (id bigserial PRIMARY KEY, user_id bigint "
                "REFERENCES users(id), subject text, channel text, status text, "
                "created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now())"
            )
        )
        conn.execute(text("INSERT INTO support_tickets (user_id, subject) VALUES (1, 'old')"))
    migrate.upgrade(legacy_db)
    migrate.downgrade(legacy_db, "base")
    with legacy_db.engine.connect() as conn:
        assert conn.execute(text("SELECT subject FROM support_tickets")).scalar_one() == "old"
    assert "support_messages" not in inspect(legacy_db.engine).get_table_names()


def test_check_reports_drift(db) -> None:  # type: ignore[no-untyped-def]
    migrate.check(db)
    with db.engine.begin() as conn:
        conn.execute(text("ALTER TABLE master_clients ADD COLUMN stray text"))
    with pytest.raises(DatabaseError, match="differs"):
        migrate.check(db)


def test_database_constraints_hold(db) -> None:  # type: ignore[no-untyped-def]
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO master_users (email, name, password_hash) VALUES ('A@x.ru', 'A', 'h')"
            )
        )
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO master_users (email, name, password_hash) VALUES ('a@X.RU', 'B', 'h')"
            )
        )
