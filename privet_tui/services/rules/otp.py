"""One-time codes that sign a contract: generation, HMAC storage, the checking rules and
the texts the client and the master read.

Pure (no database, no clock of its own: every time is passed in, so the rules are tested
without sleeping); `services.steps.contract_signing` applies them to a contract row.

Rules (DESIGN.md, "OTP rules"): 6 digits from `secrets`, stored only as
HMAC-SHA256(SECRET_KEY, "{contract_id}:{code}"), valid 10 minutes, 5 wrong tries per code,
15 wrong tries per contract (a resend does not reset them), resend no sooner than 60 s.
The code itself is never logged and never put into an exception message or a `repr`.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from enum import Enum
from typing import Any

from privet_tui.services.rules.pricing import format_money

__all__ = [
    "CODE_LENGTH",
    "MAX_TRIES_PER_CODE",
    "MAX_TRIES_PER_CONTRACT",
    "REFUSALS",
    "RESEND_COOLDOWN",
    "VALIDITY",
    "IssuedCode",
    "OtpState",
    "Verdict",
    "check_code",
    "code_hash",
    "code_message",
    "issue_code",
    "new_code",
    "normalize_code",
    "resend_wait_seconds",
    "tries_left",
    "validity_seconds_left",
]

CODE_LENGTH = 6
VALIDITY = timedelta(minutes=10)
MAX_TRIES_PER_CODE = 5
MAX_TRIES_PER_CONTRACT = 15
RESEND_COOLDOWN = timedelta(seconds=60)


def new_code() -> str:
    """Return 6 uniformly random digits (leading zeros allowed) from the OS CSPRNG."""
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


def code_hash(secret_key: str, contract_id: int, code: str) -> str:
    """Return the hex HMAC-SHA256 of the code bound to its contract, the only form stored."""
    message = f"{contract_id}:{code}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def normalize_code(raw: str) -> str | None:
    """Return the 6 digits typed (spaces and dashes allowed between them), or None."""
    digits = "".join(ch for ch in raw if ch not in " -\u00a0\t")
    if len(digits) != CODE_LENGTH or not digits.isascii() or not digits.isdigit():
        return None
    return digits


@dataclass(frozen=True)
class IssuedCode:
    """A freshly generated code with its stored hash and times; `code` stays out of repr."""

    code: str = field(repr=False)
    hash: str
    sent_at: datetime
    expires_at: datetime


def issue_code(secret_key: str, contract_id: int, now: datetime) -> IssuedCode:
    """Generate a code for the contract, valid for `VALIDITY` from `now`."""
    code = new_code()
    return IssuedCode(code, code_hash(secret_key, contract_id, code), now, now + VALIDITY)


@dataclass(frozen=True)
class OtpState:
    """The OTP columns of a contract, as the rules need them."""

    otp_hash: str | None
    sent_at: datetime | None
    expires_at: datetime | None
    attempts: int
    total_attempts: int


class Verdict(Enum):
    """What a typed code amounts to; only WRONG changes the counters."""

    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    NO_CODE = "no_code"
    CODE_LOCKED = "code_locked"
    CONTRACT_LOCKED = "contract_locked"


def tries_left(state: OtpState) -> int:
    """Wrong tries still allowed for the current code (the per-contract cap included)."""
    by_code = MAX_TRIES_PER_CODE - state.attempts
    by_contract = MAX_TRIES_PER_CONTRACT - state.total_attempts
    return max(0, min(by_code, by_contract))


def validity_seconds_left(state: OtpState, now: datetime) -> int:
    """Whole seconds the current code remains valid (0 when expired or absent)."""
    if state.otp_hash is None or state.expires_at is None:
        return 0
    return max(0, math.ceil((state.expires_at - now).total_seconds()))


def resend_wait_seconds(state: OtpState, now: datetime) -> int:
    """Whole seconds until a new code may be sent (0 when allowed now)."""
    if state.sent_at is None:
        return 0
    return max(0, math.ceil((state.sent_at + RESEND_COOLDOWN - now).total_seconds()))


def check_code(
    state: OtpState, secret_key: str, contract_id: int, code: str, now: datetime
) -> Verdict:
    """Judge a normalised code against the stored state (constant-time comparison)."""
    if state.total_attempts >= MAX_TRIES_PER_CONTRACT:
        return Verdict.CONTRACT_LOCKED
    if state.otp_hash is None or state.expires_at is None:
        return Verdict.NO_CODE
    if state.attempts >= MAX_TRIES_PER_CODE:
        return Verdict.CODE_LOCKED
    if now >= state.expires_at:
        return Verdict.EXPIRED
    expected = code_hash(secret_key, contract_id, code)
    if hmac.compare_digest(expected, state.otp_hash):
        return Verdict.OK
    return Verdict.WRONG


REFUSALS = {
    Verdict.EXPIRED: "Срок действия кода истёк — отправьте клиенту новый код",
    Verdict.NO_CODE: "Действующего кода нет — отправьте клиенту новый код",
    Verdict.CODE_LOCKED: (
        f"Код заблокирован после {MAX_TRIES_PER_CODE} неверных попыток — "
        "отправьте клиенту новый код"
    ),
    Verdict.CONTRACT_LOCKED: (
        "Превышен лимит неверных кодов по договору — сформируйте договор заново"
    ),
}


def code_message(
    number: str,
    amount: Decimal,
    link: str | None,
    code: str,
    expires_at: datetime,
    zone: tzinfo,
) -> tuple[str, dict[str, Any]]:
    """The message body and payload that bring a code to the client's app; the expiry is
    told in the business `zone`."""
    minutes = int(VALIDITY.total_seconds() // 60)
    lines = [f"Договор № {number} готов к подписанию.", f"Сумма к оплате: {format_money(amount)}."]
    if link:
        lines.append(f"Прочитайте договор: {link}")
    lines += [
        f"Код для подписания: {code}",
        "Назовите код мастеру, только если согласны с условиями договора: ввод кода означает "
        "подписание договора простой электронной подписью. Никому больше код не сообщайте. "
        f"Код действует {minutes} минут, до {expires_at.astimezone(zone):%H:%M}.",
    ]
    payload: dict[str, Any] = {
        "type": "contract_otp",
        "contract_number": number,
        "code": code,
        "amount": str(amount),
        "pdf_url": link,
        "expires_at": expires_at.isoformat(),
    }
    return "\n".join(lines), payload
