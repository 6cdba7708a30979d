"""The pure OTP rules: code shape, HMAC binding, tries, expiry, resend cooldown, texts."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from privet_tui.services.rules import otp

KEY = "unit-test-secret-key-0123456789"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
MOSCOW = ZoneInfo("Europe/Moscow")


def state(code: str = "123456", *, attempts: int = 0, total: int = 0, contract_id: int = 7):
    return otp.OtpState(
        otp_hash=otp.code_hash(KEY, contract_id, code),
        sent_at=T0,
        expires_at=T0 + otp.VALIDITY,
        attempts=attempts,
        total_attempts=total,
    )


def test_new_code_is_six_digits_with_leading_zeros(monkeypatch):
    codes = {otp.new_code() for _ in range(200)}
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) > 190
    monkeypatch.setattr(otp.secrets, "randbelow", lambda n: 42)
    assert otp.new_code() == "000042"


def test_hash_is_hmac_bound_to_contract_and_key():
    expected = hmac.new(KEY.encode(), b"7:123456", hashlib.sha256).hexdigest()
    assert otp.code_hash(KEY, 7, "123456") == expected
    assert otp.code_hash(KEY, 8, "123456") != expected
    assert otp.code_hash(KEY + "x", 7, "123456") != expected


def test_issue_code_hides_the_code_from_repr():
    issued = otp.issue_code(KEY, 7, T0)
    assert issued.code not in repr(issued)
    assert issued.hash == otp.code_hash(KEY, 7, issued.code)
    assert issued.expires_at - issued.sent_at == timedelta(minutes=10)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("123456", "123456"), (" 123 456 ", "123456"), ("123-456", "123456"), ("012345", "012345")],
)
def test_normalize_accepts_spaced_codes(raw, clean):
    assert otp.normalize_code(raw) == clean


@pytest.mark.parametrize("raw", ["", "12345", "1234567", "12345a", "١٢٣٤٥٦", "12 34 5"])
def test_normalize_refuses_other_input(raw):
    assert otp.normalize_code(raw) is None


def test_check_code_verdicts():
    s = state()
    assert otp.check_code(s, KEY, 7, "123456", T0) is otp.Verdict.OK
    assert otp.check_code(s, KEY, 7, "123457", T0) is otp.Verdict.WRONG
    assert otp.check_code(s, KEY, 8, "123456", T0) is otp.Verdict.WRONG  # another contract
    last = T0 + otp.VALIDITY - timedelta(seconds=1)
    assert otp.check_code(s, KEY, 7, "123456", last) is otp.Verdict.OK
    assert otp.check_code(s, KEY, 7, "123456", T0 + otp.VALIDITY) is otp.Verdict.EXPIRED
    locked = state(attempts=5, total=5)
    assert otp.check_code(locked, KEY, 7, "123456", T0) is otp.Verdict.CODE_LOCKED
    capped = state(attempts=0, total=15)
    assert otp.check_code(capped, KEY, 7, "123456", T0) is otp.Verdict.CONTRACT_LOCKED
    none = otp.OtpState(None, T0, None, 0, 0)
    assert otp.check_code(none, KEY, 7, "123456", T0) is otp.Verdict.NO_CODE


def test_check_code_compares_in_constant_time(monkeypatch):
    calls: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(otp.hmac, "compare_digest", spy)
    assert otp.check_code(state(), KEY, 7, "123456", T0) is otp.Verdict.OK
    assert len(calls) == 1


def test_tries_left_takes_the_stricter_limit():
    assert otp.tries_left(state()) == 5
    assert otp.tries_left(state(attempts=3, total=3)) == 2
    assert otp.tries_left(state(attempts=0, total=12)) == 3
    assert otp.tries_left(state(attempts=5, total=15)) == 0


def test_countdowns():
    s = state()
    assert otp.validity_seconds_left(s, T0) == 600
    assert otp.validity_seconds_left(s, T0 + timedelta(seconds=599.5)) == 1
    assert otp.validity_seconds_left(s, T0 + timedelta(minutes=11)) == 0
    assert otp.resend_wait_seconds(s, T0) == 60
    assert otp.resend_wait_seconds(s, T0 + timedelta(seconds=59.2)) == 1
    assert otp.resend_wait_seconds(s, T0 + timedelta(seconds=60)) == 0
    assert otp.resend_wait_seconds(otp.OtpState(None, None, None, 0, 0), T0) == 0


MOSCOW = ZoneInfo("Europe/Moscow")
DRAFT_KEY = "clients/7/contracts/ПМ-2026-000123-draft.pdf"


def test_code_message_carries_code_amount_and_link():
    draft = {
        "pdf_key": DRAFT_KEY,
        "pdf_url": "https://s3/x.pdf",
        "pdf_url_expires_at": "2026-03-08T12:00:00+00:00",
    }
    body, payload = otp.code_message(
        "ПМ-2026-000123", Decimal("1290.50"), draft, "004711", T0 + otp.VALIDITY, MOSCOW
    )
    assert "до 15:10." in body  # the business zone, whatever the host's
    assert "ПМ-2026-000123" in body
    assert "004711" in body
    assert "1\u00a0290,50\u00a0₽" in body
    assert "Прочитайте договор: https://s3/x.pdf" in body
    assert payload == {
        "type": "contract_otp",
        "contract_number": "ПМ-2026-000123",
        "code": "004711",
        "amount": "1290.50",
        "expires_at": (T0 + otp.VALIDITY).isoformat(),
        "pdf_key": DRAFT_KEY,
        "pdf_url": "https://s3/x.pdf",
        "pdf_url_expires_at": "2026-03-08T12:00:00+00:00",
    }


def test_code_message_without_a_link_sends_the_client_to_the_master():
    """The local store has no link a phone opens: the text names the master, the payload
    keeps the key so the app can ask for the document, and no URL of any kind is sent."""
    draft = {"pdf_key": DRAFT_KEY, "pdf_url": None, "pdf_url_expires_at": None}
    body, payload = otp.code_message(
        "ПМ-2026-000123", Decimal("1290.50"), draft, "004711", T0 + otp.VALIDITY, MOSCOW
    )
    assert "Текст договора — у мастера" in body
    assert "://" not in body
    assert (payload["pdf_key"], payload["pdf_url"], payload["pdf_url_expires_at"]) == (
        DRAFT_KEY,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("zone", "shown"),
    [("Europe/Moscow", "до 15:10"), ("UTC", "до 12:10"), ("Asia/Vladivostok", "до 22:10")],
)
def test_code_message_tells_the_expiry_in_the_business_zone(zone: str, shown: str) -> None:
    """12:10 UTC is told in the zone passed in, whatever the host's zone is."""
    draft = {"pdf_key": DRAFT_KEY, "pdf_url": None, "pdf_url_expires_at": None}
    body, _ = otp.code_message(
        "ПМ-2026-000123", Decimal("1"), draft, "004711", T0 + otp.VALIDITY, ZoneInfo(zone)
    )
    assert f"{shown}." in body


def test_refusals_never_mention_digits():
    for verdict, text in otp.REFUSALS.items():
        assert verdict is not otp.Verdict.OK
        assert not any(ch.isdigit() for ch in text.replace(str(otp.MAX_TRIES_PER_CODE), ""))
