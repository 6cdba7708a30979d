"""Logging in, with the password checked outside any transaction.

argon2 at OWASP's cost takes a good part of a second of CPU; checked under the account's
row lock, it would hold that row (and a pooled connection) for all that time, and every
other attempt on the account would queue behind it. So `authenticate` runs in three steps:

1. `find_login` reads the account (no lock) in a short transaction of its own;
2. `check_password` runs argon2 with no transaction open (against a fixed dummy hash for
   an unknown email, so both cost the same; not at all for a locked account);
3. `record_login`, in a second short transaction, locks the row, decides with what it finds
   *then* — a lockout or failures counted meanwhile by other attempts, an account switched
   off — counts the outcome and records the attempt (a refusal is a `RecordedRefusal`, so
   the record is committed before it is raised).

Failures are counted under the row lock, one attempt after another, so concurrent wrong
guesses lock the account after exactly `max_failures` of them. An account whose password
hash (or lock) changed between steps 1 and 3 is checked again from step 1.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Concatenate, ParamSpec, Protocol, TypeVar

from sqlalchemy import func, select

from privet_tui.db.models.masters import MasterLoginAttempt, MasterUser
from privet_tui.services import accounts
from privet_tui.services.accounts import LoginPolicy, LoginRefused
from privet_tui.services.actor import Actor
from privet_tui.services.workflow import now as utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = [
    "LoginTarget",
    "PasswordCheck",
    "Transact",
    "authenticate",
    "check_password",
    "find_login",
    "record_login",
]

P = ParamSpec("P")
T = TypeVar("T")

#: How many times an attempt starts over when the account changed under it.
_ROUNDS = 3


class Transact(Protocol):
    """Runs `operation(session, *args, **kwargs)` in a transaction of its own and commits
    (a `RecordedRefusal` committed, then raised) — `Gateway.call`'s shape."""

    def __call__(
        self,
        operation: Callable[Concatenate[Session, P], T],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T: ...


@dataclass(frozen=True)
class LoginTarget:
    """The account an email names, as step 1 read it (`master_id` None: no such account)."""

    email: str
    master_id: int | None = None
    password_hash: str | None = None
    locked_until: datetime | None = None


@dataclass(frozen=True)
class PasswordCheck:
    """Step 2's outcome: whether argon2 ran and the password matched, and a fresh hash
    when the stored one was made with weaker parameters than today's."""

    target: LoginTarget
    checked: bool
    matches: bool
    rehashed: str | None = None


def authenticate(
    transact: Transact,
    email: str,
    password: str,
    *,
    policy: LoginPolicy | None = None,
    ssh_connection: str | None = None,
    now: datetime | None = None,
) -> Actor:
    """Check a login in three steps (see the module), record the attempt, and return the
    master or raise `LoginRefused` (committed first, so lockout counts survive)."""
    accounts.dummy_hash()  # made before any check, so a known and an unknown email cost the same
    policy = policy or LoginPolicy()
    now = now or utcnow()
    if ssh_connection is None:
        ssh_connection = os.environ.get("SSH_CONNECTION")
    email = email.strip()
    for _ in range(_ROUNDS):
        target = transact(find_login, email)
        check = check_password(target, password, now)
        actor = transact(record_login, check, policy=policy, now=now, ssh_connection=ssh_connection)
        if actor is not None:
            return actor
    raise LoginRefused("Учётная запись изменилась во время входа. Попробуйте ещё раз.")


def find_login(session: Session, email: str) -> LoginTarget:
    """Step 1: the account `email` names (any letter case), read without a lock."""
    if not email:
        return LoginTarget(email)
    found = session.execute(
        select(MasterUser.id, MasterUser.password_hash, MasterUser.locked_until).where(
            func.lower(MasterUser.email) == email.lower()
        )
    ).first()
    if found is None:
        return LoginTarget(email)
    return LoginTarget(email, found.id, found.password_hash, found.locked_until)


def check_password(target: LoginTarget, password: str, now: datetime) -> PasswordCheck:
    """Step 2, with no transaction open: argon2 against the account's hash (the dummy hash
    for an unknown email); skipped for an account locked at `now`."""
    if target.master_id is None:
        return PasswordCheck(
            target, True, accounts.password_matches(accounts.dummy_hash(), password)
        )
    if target.locked_until is not None and target.locked_until > now:
        return PasswordCheck(target, False, False)
    assert target.password_hash is not None
    matches = accounts.password_matches(target.password_hash, password)
    rehashed = accounts.rehash_if_weak(target.password_hash, password) if matches else None
    return PasswordCheck(target, True, matches, rehashed)


def record_login(
    session: Session,
    check: PasswordCheck,
    *,
    policy: LoginPolicy,
    now: datetime,
    ssh_connection: str | None,
) -> Actor | None:
    """Step 3: under the account's row lock, decide, count and record the attempt; return
    the master, raise `LoginRefused`, or return None when the account changed since step 1
    (its hash, or a lock lifted before a password that was never checked): start over."""
    target = check.target
    master = None
    if target.master_id is not None:
        master = session.scalar(
            select(MasterUser).where(MasterUser.id == target.master_id).with_for_update()
        )
        if master is None or master.password_hash != target.password_hash:
            return None
    error, actor = (
        _decide(master, check, policy, now)
        if master is not None
        else (_unknown_email(session, target.email, policy, now), None)
    )
    if error is None and actor is None:
        return None
    session.add(
        MasterLoginAttempt(
            email=target.email[:254],
            master_id=target.master_id,
            succeeded=actor is not None,
            reason="ok" if actor else error.message if error else "",
            ssh_connection=ssh_connection,
            attempted_at=now,
        )
    )
    if error is not None:
        raise error
    return actor


def _decide(
    master: MasterUser, check: PasswordCheck, policy: LoginPolicy, now: datetime
) -> tuple[LoginRefused | None, Actor | None]:
    """The outcome for a known account, from its locked row and the password check;
    (None, None) when the password still has to be checked."""
    if master.locked_until is not None and master.locked_until > now:
        return _locked(master.locked_until, policy.zone), None
    if not check.checked:
        return None, None  # locked at step 1, unlocked since: check the password after all
    if not master.is_active:
        return LoginRefused("Учётная запись отключена. Обратитесь к администратору."), None
    if not check.matches:
        master.failed_logins += 1
        if master.failed_logins >= policy.max_failures:
            master.failed_logins = 0
            master.locked_until = now + policy.lockout
            return _locked(master.locked_until, policy.zone), None
        return _wrong(policy.max_failures - master.failed_logins), None
    if check.rehashed is not None:
        master.password_hash = check.rehashed
    master.failed_logins = 0
    master.locked_until = None
    master.last_login_at = now
    return None, Actor(id=master.id, email=master.email, name=master.name, role=master.role)


def _unknown_email(
    session: Session, email: str, policy: LoginPolicy, now: datetime
) -> LoginRefused:
    """Answer exactly as for a known account: the same counting and lockout, from the
    recorded failures for this email (the dummy hash was checked at step 2)."""
    window_start = now - policy.lockout
    recent = session.scalars(
        select(MasterLoginAttempt.attempted_at)
        .where(
            func.lower(MasterLoginAttempt.email) == email.lower(),
            MasterLoginAttempt.succeeded.is_(False),
            MasterLoginAttempt.attempted_at > window_start,
        )
        .order_by(MasterLoginAttempt.attempted_at)
    ).all()
    failures = len(recent) + 1
    if failures > policy.max_failures:
        return _locked(recent[-policy.max_failures] + policy.lockout, policy.zone)
    if failures == policy.max_failures:
        return _locked(now + policy.lockout, policy.zone)
    return _wrong(policy.max_failures - failures)


def _wrong(tries_left: int) -> LoginRefused:
    message = f"Неверный email или пароль. Осталось попыток: {tries_left}"
    return LoginRefused(message, tries_left=tries_left)


def _locked(until: datetime, zone: tzinfo) -> LoginRefused:
    local = until.astimezone(zone).strftime("%H:%M")
    return LoginRefused(f"Вход заблокирован после неудачных попыток до {local}")
