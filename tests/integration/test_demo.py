"""`privet-tui demo`: seeds once, through the services, and never into a real database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from privet_tui.config import Settings
from privet_tui.db.engine import Database, database_from_url
from privet_tui.db.legacy import create_fixture_tables
from privet_tui.db.models.billing import MasterContract, MasterInvoice
from privet_tui.db.models.clients import MasterClient
from privet_tui.db.models.masters import MasterUser
from privet_tui.demo.seed import ADMIN_EMAIL, DEMO_EMAIL, seed_demo
from privet_tui.demo.states import seed_states
from privet_tui.errors import ConflictError
from tests.conftest import add_user


def _counts(db: Database) -> dict[str, int]:
    with db.reading() as s:
        statuses = dict(
            s.execute(select(MasterClient.status, func.count()).group_by(MasterClient.status)).all()
        )
        statuses["masters"] = s.scalar(select(func.count()).select_from(MasterUser)) or 0
        statuses["invoices"] = s.scalar(select(func.count()).select_from(MasterInvoice)) or 0
        statuses["users"] = s.execute(text("SELECT count(*) FROM users")).scalar_one()
    return statuses


def test_seeds_every_state_once(db: Database, settings: Settings) -> None:
    first = seed_demo(db, extra=lambda d: seed_states(d, settings))
    assert first.seeded
    assert first.users == 30
    counts = _counts(db)
    for status in ("in_progress", "awaiting_signature", "signed", "paid", "processed", "cancelled"):
        assert counts.get(status, 0) >= 1, status
    assert counts["invoices"] == 2
    again = seed_demo(db, extra=lambda d: seed_states(d, settings))
    assert not again.seeded
    assert _counts(db) == counts
    with db.reading() as s:
        numbers = s.scalars(select(MasterContract.number).order_by(MasterContract.id)).all()
    assert all(n.startswith("ПМ-") for n in numbers)
    with db.reading() as s:
        roles = dict(s.execute(select(MasterUser.email, MasterUser.role)).all())
    # The demo logs in as a plain master; administration has its own account.
    assert roles[DEMO_EMAIL] == "master"
    assert roles[ADMIN_EMAIL] == "admin"


def test_refuses_a_database_with_real_users(db: Database) -> None:
    add_user(db)
    with pytest.raises(ConflictError, match="already has 1 users"):
        seed_demo(db)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(MasterUser)) == 0
        assert s.scalar(select(func.count()).select_from(MasterClient)) == 0


def test_creates_legacy_tables_and_migrates_an_empty_database(bare_db_url: str) -> None:
    db = database_from_url(bare_db_url)
    try:
        result = seed_demo(db)
        assert result.seeded
        assert result.master_email == DEMO_EMAIL
    finally:
        db.dispose()


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "privet-tui"
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run(
        [str(exe), *args], env={**base, **env}, capture_output=True, text=True, timeout=300
    )


def test_cli_seed_only_twice_then_refusal(bare_db_url: str, tmp_path: Path) -> None:
    env = {"DATABASE_URL": bare_db_url, "PRIVET_DATA_DIR": str(tmp_path)}
    first = _cli(env, "demo", "--seed-only")
    assert first.returncode == 0, first.stderr
    assert "demo@privet.local" in first.stdout
    second = _cli(env, "demo", "--seed-only")
    assert second.returncode == 0, second.stderr
    assert "already seeded" in second.stdout
    reset = _cli(env, "demo", "--reset", "--seed-only")
    assert reset.returncode != 0
    assert "embedded" in reset.stderr
    assert "Traceback" not in reset.stderr


def test_cli_refuses_real_database(db_url: str, tmp_path: Path) -> None:
    db = database_from_url(db_url)
    add_user(db)
    db.dispose()
    result = _cli({"DATABASE_URL": db_url, "PRIVET_DATA_DIR": str(tmp_path)}, "demo", "--seed-only")
    assert result.returncode == 1
    assert "nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr


def test_refusal_happens_before_any_migration(bare_db_url: str) -> None:
    db = database_from_url(bare_db_url)
    try:
        with db.transaction() as s:
            create_fixture_tables(s.connection())
        add_user(db)
        with pytest.raises(ConflictError, match="nothing was changed"):
            seed_demo(db)
        with db.reading() as s:
            tables = set(
                s.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
            )
        assert tables == {"users", "devices"}
    finally:
        db.dispose()
