"""Brute force: guessing the signing code stops at 5 wrong tries per code and 15 per contract
(the contract is then voided), and guessing a password locks the account (an unknown email
exactly like a known one). Logs and audit tables are scanned afterwards: no code, no password
tried, no passport number in them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.db.models.billing import MasterContract
from privet_tui.db.models.masters import MasterLoginAttempt
from privet_tui.db.models.support import MasterSupportMessage
from privet_tui.errors import AuthError, StateError
from privet_tui.services import accounts
from privet_tui.services.actor import Actor
from privet_tui.services.rules import otp
from privet_tui.services.steps import contract_signing
from privet_tui.services.steps.contract_signing import CodeRejected
from privet_tui.storage.local import LocalStore
from tests.conftest import log_in
from tests.faults.secret_scan import (
    audit_text,
    issued_codes,
    log_files_text,
    passport_secrets,
    secrets_in,
)
from tests.faults.state import client_state, latest_code, wrong_code
from tests.faults.workflow import add_people, drive

pytestmark = pytest.mark.faults

EMAIL = "brute@privet.local"
PASSWORD = "correct-horse-battery-42"


def _confirm(
    db: Database,
    master: Actor,
    store: LocalStore,
    settings: Settings,
    client_id: int,
    code: str,
    at: datetime,
) -> contract_signing.SignatureInfo:
    with db.transaction() as session:
        return contract_signing.confirm_signature(
            session, master, store, settings, client_id, code, now=at
        )


def _resend(db: Database, master: Actor, settings: Settings, client_id: int, at: datetime) -> None:
    with db.transaction() as session:
        contract_signing.resend_code(session, master, settings, client_id, now=at)


def _contract(db: Database, client_id: int) -> MasterContract:
    with db.reading() as session:
        row = session.scalars(
            select(MasterContract)
            .where(MasterContract.client_id == client_id)
            .order_by(MasterContract.id.desc())
        ).first()
        assert row is not None
        session.expunge(row)
        return row


def _count_events(db: Database, action: str) -> int:
    with db.reading() as session:
        return (
            session.scalar(select(func.count()).where(MasterSupportMessage.action == action)) or 0
        )


def test_otp_guessing_stops_at_five_per_code_and_voids_at_fifteen(
    db: Database,
    settings: Settings,
    store: LocalStore,
    master: Actor,
    app_log: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    (user_id,) = add_people(db, 1)
    client_id = drive(db, store, settings, master, user_id, "contract")
    sent = _contract(db, client_id).otp_sent_at
    assert sent is not None
    at = sent + timedelta(seconds=1)
    guesses = 0
    for round_number in range(3):  # the first code, then two resends
        code = latest_code(db, user_id)
        for shift in range(1, otp.MAX_TRIES_PER_CODE + 1):
            guesses += 1
            with pytest.raises(CodeRejected) as rejected:
                _confirm(db, master, store, settings, client_id, wrong_code(code, shift), at)
            assert rejected.value.recorded  # the wrong try was committed before the refusal
            assert code not in rejected.value.message
            if guesses == otp.MAX_TRIES_PER_CONTRACT:
                break
        state = _contract(db, client_id)
        assert state.otp_total_attempts == guesses
        if guesses == otp.MAX_TRIES_PER_CONTRACT:
            assert "аннулирован" in rejected.value.message
            break
        # Five wrong: even the right code is refused now, and nothing is counted for it.
        assert state.otp_attempts == otp.MAX_TRIES_PER_CODE
        with pytest.raises(CodeRejected) as locked:
            _confirm(db, master, store, settings, client_id, code, at)
        assert not locked.value.recorded
        assert _contract(db, client_id).status == "awaiting_signature"
        at += otp.RESEND_COOLDOWN + timedelta(seconds=1 + round_number)
        _resend(db, master, settings, client_id, at)  # a new code; the per-contract count stays
        assert _contract(db, client_id).otp_total_attempts == guesses

    voided = _contract(db, client_id)
    assert (voided.status, voided.otp_hash, voided.otp_total_attempts) == ("voided", None, 15)
    assert client_state(db, client_id).status == "in_progress"
    last = latest_code(db, user_id)
    with pytest.raises(StateError):  # the last code the client got is dead with the contract
        _confirm(db, master, store, settings, client_id, last, at)
    with pytest.raises(StateError):
        _resend(db, master, settings, client_id, at + timedelta(minutes=5))
    assert _count_events(db, "contract.code_wrong") == otp.MAX_TRIES_PER_CONTRACT
    assert _count_events(db, "contract.voided") == 1

    # The master carries on: a new contract, and the code the client reads out signs it.
    drive(db, store, settings, master, user_id, "signed", start="tariff")
    assert client_state(db, client_id).status == "signed"

    codes = issued_codes(db)
    assert len(codes) == 4
    for where, haystack in (
        ("log files", log_files_text(app_log)),
        ("log records", caplog.text),
        ("audit tables", audit_text(db)),
    ):
        assert secrets_in(haystack, codes) == [], f"an OTP code in the {where}"
        assert secrets_in(haystack, passport_secrets()) == [], f"a passport number in the {where}"
    # The statements that carried the codes were logged, their values were not.
    assert "INSERT INTO support_messages" in caplog.text
    assert "SQL parameters hidden due to hide_parameters=True" in caplog.text


def test_login_guessing_locks_the_account_and_unknown_emails_alike(
    db: Database, app_log: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with db.transaction() as session:
        accounts.create_master(session, EMAIL, "Перебор Паролей", PASSWORD)
    policy = accounts.LoginPolicy(max_failures=5, lockout=timedelta(minutes=15))
    t0 = datetime.now(UTC)
    tried = [f"guess-{n:03d}-пароль" for n in range(6)]

    def attempt(email: str, password: str, at: datetime) -> str:
        with pytest.raises(AuthError) as refused:
            log_in(db, email, password, policy=policy, now=at)
        return refused.value.message

    known = [attempt(EMAIL, p, t0 + timedelta(seconds=i)) for i, p in enumerate(tried[:5])]
    unknown = [
        attempt("nobody@privet.local", p, t0 + timedelta(seconds=i))
        for i, p in enumerate(tried[:5])
    ]
    assert known == unknown  # the answers do not tell which accounts exist
    assert "Осталось попыток: 4" in known[0]
    assert "заблокирован" in known[4]
    # Locked: the right password is refused too, for the lockout time.
    assert "заблокирован" in attempt(EMAIL, PASSWORD, t0 + timedelta(minutes=1))
    assert "заблокирован" in attempt(EMAIL, tried[5], t0 + timedelta(minutes=2))
    actor = log_in(db, EMAIL, PASSWORD, policy=policy, now=t0 + timedelta(minutes=16))
    assert actor.email == EMAIL

    with db.reading() as session:
        attempts = session.scalars(select(MasterLoginAttempt.succeeded)).all()
    assert attempts.count(False) == 12
    assert attempts.count(True) == 1
    for where, haystack in (
        ("log files", log_files_text(app_log)),
        ("log records", caplog.text),
        ("audit tables", audit_text(db)),
    ):
        assert not [p for p in [*tried, PASSWORD] if p in haystack], f"a password in the {where}"
