"""Master accounts: argon2id, duplicates, lockout, equal treatment of unknown emails."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from privet_tui.db.engine import Database
from privet_tui.db.models.masters import MasterLoginAttempt, MasterUser
from privet_tui.errors import AuthError, ConflictError, ValidationError
from privet_tui.services import accounts
from privet_tui.services.workflow import now as utcnow
from tests.conftest import log_in

PASSWORD = "correct-horse-1"


@pytest.fixture
def account(db: Database) -> accounts.MasterInfo:
    with db.transaction() as s:
        return accounts.create_master(s, "Ivan@Privet.local", "Иван Мастеров", PASSWORD)


def test_password_is_stored_as_argon2id(db: Database, account: accounts.MasterInfo) -> None:
    with db.reading() as s:
        stored = s.scalar(select(MasterUser.password_hash))
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_duplicate_email_in_any_case_is_refused(db: Database, account: object) -> None:
    with pytest.raises(ConflictError), db.transaction() as s:
        accounts.create_master(s, "ivan@PRIVET.local", "Другой", PASSWORD)


def test_master_name_the_contract_font_cannot_print_is_refused(db: Database) -> None:
    """Issue 12, kind 1: a master's name is printed on every contract they sign."""
    with pytest.raises(ValidationError, match="U\\+1D408") as info, db.transaction() as s:
        accounts.create_master(s, "x@privet.local", "𝐈ван Мастеров", PASSWORD)
    assert info.value.field == "name"
    with db.reading() as s:
        assert s.scalar(select(MasterUser.id)) is None


@pytest.mark.parametrize("password", ["", "   ", "short"])
def test_weak_password_is_refused(db: Database, password: str) -> None:
    with pytest.raises(ValidationError), db.transaction() as s:
        accounts.create_master(s, "x@privet.local", "X", password)
    with db.reading() as s:
        assert s.scalar(select(MasterUser.id)) is None


def test_login_ok_records_attempt(db: Database, account: accounts.MasterInfo) -> None:
    actor = log_in(db, "IVAN@privet.local", PASSWORD, ssh_connection="1.2.3.4 5 6 7")
    assert actor.id == account.id
    with db.reading() as s:
        attempt = s.execute(
            select(MasterLoginAttempt.succeeded, MasterLoginAttempt.ssh_connection)
        ).one()
    assert attempt == (True, "1.2.3.4 5 6 7")


def test_wrong_password_counts_down_then_locks(db: Database, account: object) -> None:
    policy = accounts.LoginPolicy(max_failures=5, lockout=timedelta(minutes=15))
    messages = []
    for _ in range(5):
        with pytest.raises(AuthError) as err:
            log_in(db, "ivan@privet.local", "wrong-password", policy=policy)
        messages.append(err.value.message)
    assert "Осталось попыток: 4" in messages[0]
    assert "Осталось попыток: 1" in messages[3]
    assert "заблокирован" in messages[4]
    # Locked: even the right password is refused until the lock ends.
    with pytest.raises(AuthError, match="заблокирован"):
        log_in(db, "ivan@privet.local", PASSWORD, policy=policy)
    later = utcnow() + timedelta(minutes=16)
    assert log_in(db, "ivan@privet.local", PASSWORD, policy=policy, now=later)
    with db.reading() as s:
        attempts = s.scalars(select(MasterLoginAttempt.succeeded)).all()
    assert attempts.count(False) == 6
    assert attempts.count(True) == 1


def test_unknown_email_answers_like_a_known_one(db: Database, account: object) -> None:
    policy = accounts.LoginPolicy(max_failures=3, lockout=timedelta(minutes=15))
    known, unknown = [], []
    for _ in range(3):
        for email, sink in (("ivan@privet.local", known), ("ghost@privet.local", unknown)):
            with pytest.raises(AuthError) as err:
                log_in(db, email, "wrong-password", policy=policy)
            sink.append(err.value.message)
    assert [m.split(" до ")[0] for m in known] == [m.split(" до ")[0] for m in unknown]


def test_disabled_account_cannot_log_in(db: Database, account: object) -> None:
    with db.transaction() as s:
        accounts.set_active(s, "ivan@privet.local", False)
    with pytest.raises(AuthError, match="отключена"):
        log_in(db, "ivan@privet.local", PASSWORD)


def test_unlock_and_passwd(db: Database, account: object) -> None:
    policy = accounts.LoginPolicy(max_failures=1)
    with pytest.raises(AuthError, match="заблокирован"):
        log_in(db, "ivan@privet.local", "nope-nope", policy=policy)
    with db.transaction() as s:
        accounts.unlock(s, "ivan@privet.local")
    assert log_in(db, "ivan@privet.local", PASSWORD, policy=policy)
    with db.transaction() as s:
        accounts.set_password(s, "ivan@privet.local", "brand-new-pass")
    with pytest.raises(AuthError):
        log_in(db, "ivan@privet.local", PASSWORD)
    assert log_in(db, "ivan@privet.local", "brand-new-pass")
