"""Every date, time and year on a document is in the business zone (`Settings.time_zone`),
never the host's: the same contract and invoice whatever the process's `TZ` says, on real
PostgreSQL and the local store, and the screens show the same times."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from test_contracts import add_user, latest_code, ready_client, version

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.db.models.billing import MasterContract
from privet_tui.db.models.clients import MasterClient
from privet_tui.db.models.support import SupportMessage
from privet_tui.errors import AuthError
from privet_tui.services import accounts
from privet_tui.services.actor import Actor
from privet_tui.services.client_view import render_client_view
from privet_tui.services.steps import contract as contracts
from privet_tui.services.steps import contract_signing
from privet_tui.services.steps import invoice as invoices
from privet_tui.services.steps import payment as payments
from privet_tui.storage.local import LocalStore
from privet_tui.tui.widgets.chat import business_time
from tests.conftest import log_in

needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler absent")

#: Issue 12, row 3: 22:30 UTC on New Year's Eve is already 01:30 on 1 January in Moscow.
NEW_YEAR_EVE = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)
#: Issue 12, row 4: 22:14 UTC on 29 November is 01:14 on the 30th in Moscow.
LATE_EVENING = datetime(2026, 11, 29, 22, 14, tzinfo=UTC)
MOSCOW = ZoneInfo("Europe/Moscow")
HOST_ZONES = ("UTC", "Asia/Vladivostok", "America/Los_Angeles")


@pytest.fixture
def host_zone() -> Iterator[object]:
    """A setter of the process's local zone (`TZ` + `time.tzset()`), restored afterwards."""
    mp = pytest.MonkeyPatch()

    def switch(name: str) -> None:
        mp.setenv("TZ", name)
        time.tzset()

    yield switch
    mp.undo()
    time.tzset()


def text_of(pdf: bytes, tmp_path: Path) -> str:
    """pdftotext's text, whitespace collapsed."""
    path = tmp_path / f"{hashlib.sha256(pdf).hexdigest()[:12]}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def _numberless(text: str, *serial: str) -> str:
    """The text with what differs between runs blanked: each zone's run is a new client with
    the next contract number, its draft's digest and its own code message."""
    for value in serial:
        text = text.replace(value, "#")
    return text


def generate_and_sign(
    db: Database,
    master: Actor,
    store: LocalStore,
    settings: Settings,
    generated: datetime,
    signed: datetime,
) -> tuple[int, contracts.ContractInfo, contract_signing.SignatureInfo]:
    """A fresh client taken through generation and signature at the given moments."""
    user_id = add_user(db, email=f"{uuid.uuid4().hex[:12]}@example.ru")
    client_id = ready_client(db, master, user_id)
    with db.transaction() as s:
        info = contracts.generate_contract(
            s, master, store, settings, client_id, version(db, client_id), now=generated
        )
    with db.transaction() as s:
        sig = contract_signing.confirm_signature(
            s, master, store, settings, client_id, latest_code(db, user_id), now=signed
        )
    return client_id, info, sig


@needs_pdftotext
def test_contract_of_new_year_eve_is_dated_in_the_business_zone_on_any_host(
    db, master, settings, tmp_path, host_zone
):
    store = LocalStore(tmp_path / "objects")
    assert settings.time_zone == "Europe/Moscow"
    drafts: dict[str, str] = {}
    for zone in HOST_ZONES:
        host_zone(zone)
        _, info, _ = generate_and_sign(
            db, master, store, settings, NEW_YEAR_EVE, NEW_YEAR_EVE + timedelta(minutes=2)
        )
        assert info.number.startswith("ПМ-2027-"), (zone, info.number)
        text = text_of(store.get(info.draft_key), tmp_path)
        assert "«01» января 2027 г." in text, zone
        assert "«31» декабря 2026 г." not in text, zone
        with db.reading() as s:
            snapshot = s.get(MasterContract, info.contract_id).snapshot
        assert snapshot["created_at"] == "2027-01-01T01:30:00+03:00", zone
        drafts[zone] = _numberless(text, info.number)
    assert len(set(drafts.values())) == 1  # the same document wherever it runs


@needs_pdftotext
def test_signed_contract_states_business_date_and_time_with_its_offset(
    db, master, settings, tmp_path, host_zone
):
    store = LocalStore(tmp_path / "objects")
    signed: dict[str, str] = {}
    for zone in HOST_ZONES:
        host_zone(zone)
        _, info, sig = generate_and_sign(
            db, master, store, settings, LATE_EVENING - timedelta(minutes=3), LATE_EVENING
        )
        text = text_of(store.get(sig.signed_key), tmp_path)
        assert "«30» ноября 2026 г." in text, zone
        assert "Дата и время подписания: 30.11.2026 01:14 UTC+03:00" in text, zone
        assert "UTC+00:00" not in text, zone
        signed[zone] = _numberless(
            text, info.number, sig.draft_sha256, f"сообщение № {sig.otp_message_id}"
        )
        # The screen shows the same time as the document, whatever the host's zone.
        assert business_time(sig.signed_at, settings.zone) == "30.11.2026 01:14", zone
    assert len(set(signed.values())) == 1


@needs_pdftotext
def test_the_business_zone_is_the_configured_one(db, master, settings, tmp_path, host_zone):
    store = LocalStore(tmp_path / "objects")
    host_zone("Europe/Moscow")  # the host's zone is not the configured one
    utc = dataclasses.replace(settings, time_zone="UTC")
    _, info, sig = generate_and_sign(
        db, master, store, utc, NEW_YEAR_EVE, NEW_YEAR_EVE + timedelta(minutes=1)
    )
    assert info.number.startswith("ПМ-2026-")
    text = text_of(store.get(sig.signed_key), tmp_path)
    assert "«31» декабря 2026 г." in text
    assert "Дата и время подписания: 31.12.2026 22:31 UTC+00:00" in text


@needs_pdftotext
def test_invoice_of_new_year_eve_is_numbered_dated_and_due_in_the_business_zone(
    db, master, settings, tmp_path, host_zone
):
    store = LocalStore(tmp_path / "objects")
    host_zone("America/Los_Angeles")  # still 14:30 on 31 December there
    client_id, contract, _ = generate_and_sign(
        db,
        master,
        store,
        settings,
        NEW_YEAR_EVE - timedelta(hours=2),  # 23:30 on 31 December in Moscow
        NEW_YEAR_EVE - timedelta(hours=2) + timedelta(minutes=1),
    )
    with db.transaction() as s:
        payments.confirm_payment(
            s,
            master,
            settings,
            client_id,
            version(db, client_id),
            payments.PaymentInput(method="cash", amount=contract.total_due, receipt="A-1"),
            now=NEW_YEAR_EVE,
        )
    with db.transaction() as s:
        info = invoices.issue_invoice(
            s, master, store, settings, client_id, version(db, client_id), now=NEW_YEAR_EVE
        )
    assert info.number.startswith("СЧ-2027-")
    due = date(2027, 1, 1) + timedelta(days=settings.invoice_due_days)
    assert info.due_date == due
    text = text_of(store.get(info.pdf_key), tmp_path)
    assert f"Счёт № {info.number} от 01.01.2027" in text
    # The contract was generated at 23:30 on 31 December in Moscow, and is cited so.
    assert f"Договор на сервисное обслуживание № {contract.number} от 31.12.2026" in text
    assert "Оплачен" in text  # issued after the payment: no «Оплатить до» on it
    assert "Оплатить до" not in text


def test_login_lockout_is_told_in_the_business_zone(db, host_zone):
    host_zone("Asia/Vladivostok")
    with db.transaction() as s:
        accounts.create_master(s, "tz@privet.local", "Иван Мастеров", "correct-horse-1")
    policy = accounts.LoginPolicy(max_failures=1, lockout=timedelta(minutes=15), zone=MOSCOW)
    with pytest.raises(AuthError) as refused:
        log_in(db, "tz@privet.local", "wrong-password", policy=policy, now=LATE_EVENING)
    # 22:14 UTC + 15 minutes is 01:29 in Moscow (and 08:29 on the host).
    assert refused.value.message.endswith("до 01:29")


def test_client_view_dates_messages_in_the_given_zone(db, master, settings, tmp_path, host_zone):
    host_zone("Asia/Vladivostok")
    store = LocalStore(tmp_path / "objects")
    client_id, _, _ = generate_and_sign(
        db, master, store, settings, LATE_EVENING, LATE_EVENING + timedelta(minutes=1)
    )
    with db.reading() as s:
        user_id = s.get(MasterClient, client_id).user_id
        first = s.scalars(select(SupportMessage.created_at).order_by(SupportMessage.id)).first()
        view = render_client_view(s, user_id, settings.zone)
    assert first is not None
    assert f"[{first.astimezone(MOSCOW):%d.%m.%Y %H:%M}]" in view
    assert f"[{first.astimezone(ZoneInfo('Asia/Vladivostok')):%d.%m.%Y %H:%M}]" not in view
