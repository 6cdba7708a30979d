"""Master accounts, their argon2id password hashes and the login policy.

Logging in is `services.login`: it spends the same hashing time whether the email exists
or not, and counts and locks an unknown email exactly like a known one, so the answers tell
nothing about which accounts exist. Every attempt is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from privet_tui.config import Settings
from privet_tui.db.models.masters import MasterUser
from privet_tui.errors import (
    AuthError,
    ConflictError,
    NotFoundError,
    RecordedRefusal,
    ValidationError,
)
from privet_tui.services.rules.characters import require_printable
from privet_tui.services.workflow import now as utcnow

MIN_PASSWORD_LENGTH = 8
_hasher = PasswordHasher()
# Verified against when the email is unknown, so both paths cost one argon2 verification.
_DUMMY_HASH: str | None = None


@dataclass(frozen=True)
class MasterInfo:
    """A master account as `master list` and the admin screens show it."""

    id: int
    email: str
    name: str
    role: str
    is_active: bool
    locked_until: datetime | None
    last_login_at: datetime | None


_DEFAULT_ZONE = ZoneInfo(Settings.time_zone)


@dataclass(frozen=True)
class LoginPolicy:
    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)
    #: The business zone the lockout's end is told in (the gateway passes TIME_ZONE).
    zone: tzinfo = _DEFAULT_ZONE


def use_password_hasher(hasher: PasswordHasher) -> None:
    """Swap the hashing parameters (the test suite uses cheap ones; production never calls it)."""
    global _hasher, _DUMMY_HASH
    _hasher = hasher
    _DUMMY_HASH = None


def dummy_hash() -> str:
    """The hash an unknown email is verified against, made on first need (not at import:
    argon2 at OWASP's cost takes a noticeable part of a second)."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _hasher.hash("privet-tui: no such account")
    return _DUMMY_HASH


def hash_password(password: str) -> str:
    check_password_rules(password)
    return _hasher.hash(password)


def check_password_rules(password: str) -> None:
    if not password or not password.strip():
        raise ValidationError("Пароль не может быть пустым", field="password")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"Пароль слишком короткий: нужно не меньше {MIN_PASSWORD_LENGTH} символов",
            field="password",
        )


def normalize_login_email(email: str) -> str:
    cleaned = email.strip()
    local, at, domain = cleaned.partition("@")
    if not at or not local or "." not in domain or " " in cleaned or len(cleaned) > 254:
        raise ValidationError(f"Некорректный email: {cleaned!r}", field="email")
    return f"{local}@{domain}".lower()


def _by_email(session: Session, email: str) -> MasterUser | None:
    return session.scalar(
        select(MasterUser).where(func.lower(MasterUser.email) == email.strip().lower())
    )


def _require(session: Session, email: str) -> MasterUser:
    master = _by_email(session, email)
    if master is None:
        raise NotFoundError(f"Мастер {email} не найден")
    return master


def create_master(
    session: Session, email: str, name: str, password: str, *, role: str = "master"
) -> MasterInfo:
    """Add an account; a duplicate email (any letter case) is refused."""
    email = normalize_login_email(email)
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Укажите имя мастера", field="name")
    require_printable(name, field="name", label="Имя мастера")  # it is printed on contracts
    if role not in ("master", "admin"):
        raise ValidationError(f"Неизвестная роль: {role}", field="role")
    if _by_email(session, email) is not None:
        raise ConflictError(f"Мастер с email {email} уже есть")
    master = MasterUser(email=email, name=name, password_hash=hash_password(password), role=role)
    session.add(master)
    session.flush()
    return _info(master)


def list_masters(session: Session) -> list[MasterInfo]:
    return [_info(m) for m in session.scalars(select(MasterUser).order_by(MasterUser.id))]


def find_master(session: Session, email: str) -> MasterInfo | None:
    """The account `email` (any letter case), or None when there is none."""
    master = _by_email(session, email)
    return _info(master) if master is not None else None


def get_master(session: Session, master_id: int) -> MasterInfo:
    master = session.get(MasterUser, master_id)
    if master is None:
        raise NotFoundError("Мастер не найден")
    return _info(master)


def set_active(session: Session, email: str, active: bool) -> MasterInfo:
    master = _require(session, email)
    master.is_active = active
    return _info(master)


def set_password(session: Session, email: str, password: str) -> MasterInfo:
    master = _require(session, email)
    master.password_hash = hash_password(password)
    master.password_changed_at = utcnow()
    master.failed_logins = 0
    master.locked_until = None
    return _info(master)


def unlock(session: Session, email: str) -> MasterInfo:
    master = _require(session, email)
    master.failed_logins = 0
    master.locked_until = None
    return _info(master)


class LoginRefused(AuthError, RecordedRefusal):
    """A failed login (`services.login`): the attempt (and any lockout) is committed before
    this is raised; `tries_left` is set for a wrong password (None for a lockout)."""

    def __init__(self, message: str, *, tries_left: int | None = None) -> None:
        super().__init__(message)
        self.tries_left = tries_left


def password_matches(password_hash: str, password: str) -> bool:
    """Whether `password` is the one `password_hash` was made from (argon2: ~0.2 s of CPU
    at OWASP's parameters); False for a damaged hash too."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def rehash_if_weak(password_hash: str, password: str) -> str | None:
    """A new hash of the (just verified) `password` when `password_hash` was made with
    weaker parameters than today's, else None."""
    return _hasher.hash(password) if _hasher.check_needs_rehash(password_hash) else None


def _info(master: MasterUser) -> MasterInfo:
    return MasterInfo(
        id=master.id,
        email=master.email,
        name=master.name,
        role=master.role,
        is_active=master.is_active,
        locked_until=master.locked_until,
        last_login_at=master.last_login_at,
    )
