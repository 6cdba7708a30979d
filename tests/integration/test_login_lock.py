"""A login checks the password with no row lock and no transaction held (issue 14): the
account's row stays free for other attempts and for the administrator during argon2, and
concurrent wrong guesses still lock the account after exactly `max_failures`."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

import psycopg
import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from privet_tui.db.engine import Database
from privet_tui.db.models.masters import MasterLoginAttempt, MasterUser
from privet_tui.services import accounts
from privet_tui.services.accounts import LoginRefused
from tests.conftest import log_in

EMAIL, PASSWORD = "slow@privet.local", "correct-horse-1"


class PausingHasher(PasswordHasher):
    """argon2id (the suite's cheap costs) whose verification waits at its start until the
    test lets it go on: the real hash is checked, just later."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.verifying = threading.Event()
        self.go_on = threading.Event()

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.verifying.set()
        assert self.go_on.wait(30)
        return super().verify(hash, password)


@pytest.fixture
def account(db: Database) -> accounts.MasterInfo:
    with db.transaction() as session:
        return accounts.create_master(session, EMAIL, "Медленный Вход", PASSWORD)


@pytest.fixture
def pausing() -> Iterator[PausingHasher]:
    cheap = accounts._hasher
    hasher = PausingHasher()
    accounts.use_password_hasher(hasher)
    yield hasher
    hasher.go_on.set()
    accounts.use_password_hasher(cheap)


def _libpq(db: Database) -> str:
    return db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.mark.parametrize("password", [PASSWORD, "wrong-password-9"], ids=["right", "wrong"])
def test_the_password_is_checked_with_no_row_lock_or_transaction_held(
    db: Database, account: accounts.MasterInfo, pausing: PausingHasher, password: str
) -> None:
    outcome: dict[str, Any] = {}

    def attempt() -> None:
        try:
            outcome["actor"] = log_in(db, EMAIL, password)
        except LoginRefused as exc:
            outcome["refused"] = exc

    thread = threading.Thread(target=attempt)
    thread.start()
    try:
        assert pausing.verifying.wait(30)
        with psycopg.connect(_libpq(db)) as other:  # another session, as another terminal
            row = other.execute(
                "SELECT failed_logins FROM master_users WHERE id = %s FOR UPDATE NOWAIT",
                (account.id,),
            ).fetchone()
            assert row == (0,)
            open_elsewhere = other.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%%' AND pid <> pg_backend_pid()"
            ).fetchone()
            assert open_elsewhere == (0,)
    finally:
        pausing.go_on.set()
        thread.join(30)

    with db.reading() as session:
        failed, last_login = session.execute(
            select(MasterUser.failed_logins, MasterUser.last_login_at)
        ).one()
        attempts = session.scalars(select(MasterLoginAttempt.succeeded)).all()
    if password == PASSWORD:
        assert outcome["actor"].id == account.id
        assert last_login is not None
        assert attempts == [True]
    else:
        assert outcome["refused"].tries_left == 4
        assert failed == 1
        assert attempts == [False]


def test_concurrent_wrong_guesses_lock_after_exactly_max_failures(
    db: Database, account: accounts.MasterInfo
) -> None:
    guesses = 8
    start = threading.Barrier(guesses)

    def guess(n: int) -> str:
        start.wait(10)
        with pytest.raises(LoginRefused) as refused:
            log_in(db, EMAIL, f"guess-{n}-wrong")
        return refused.value.message.split(" до ")[0].split(".")[0]

    with ThreadPoolExecutor(guesses) as pool:
        answers = Counter(pool.map(guess, range(guesses)))
    assert answers == {
        "Неверный email или пароль": 4,
        "Вход заблокирован после неудачных попыток": guesses - 4,
    }
    with db.reading() as session:
        locked_until = session.scalar(select(MasterUser.locked_until))
        wrong = session.scalar(select(func.count()).select_from(MasterLoginAttempt))
    assert locked_until is not None
    assert wrong == guesses
    with pytest.raises(LoginRefused, match="заблокирован"):
        log_in(db, EMAIL, PASSWORD)  # the right password waits out the lockout too
