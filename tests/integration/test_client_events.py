"""The client is told of every contract event in their ticket (issue 12): one system message
per event, in the event's transaction, each with a payload type the app renders, and links
the client can open — a presigned S3 link with its object key, never a `file://` path.

Real PostgreSQL; the document tests run against the local store and against moto's S3."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlalchemy import select
from test_contracts import (
    T0,
    confirm,
    contract_row,
    generate,
    latest_code,
    ready_client,
    version,
    wrong,
)
from test_storage import fetched_bytes

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.db.models.clients import MasterClient, MasterDevice
from privet_tui.db.models.support import SupportMessage, SupportTicket
from privet_tui.errors import ConflictError, StateError, ValidationError
from privet_tui.services import support, workflow
from privet_tui.services.actor import Actor
from privet_tui.services.client_view import render_client_view
from privet_tui.services.clients.claims import CANCELLED_MESSAGE, cancel_client
from privet_tui.services.rules import otp
from privet_tui.services.rules.validation import ContactInput
from privet_tui.services.steps import contract_signing
from privet_tui.services.steps import invoice as invoices
from privet_tui.services.steps import payment as payments
from privet_tui.services.steps.contacts import save_contacts
from privet_tui.storage.base import ObjectStore
from privet_tui.storage.factory import open_store
from privet_tui.storage.local import LocalStore
from privet_tui.storage.s3 import S3Store
from tests.conftest import attach_files

SEVEN_DAYS = 7 * 24 * 3600
CONTACTS = ContactInput(
    "Петров Иван Сергеевич",
    "+79161234567",
    "ivan.petrov@example.ru",
    "г. Москва, ул. Ленина, д. 1, кв. 3",  # was кв. 2: a real change of step 1
)
CASH = payments.PaymentInput(method="cash", amount=Decimal("1290.00"), receipt="A-17")


@pytest.fixture
def local(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "objects")


@pytest.fixture
def client_id(db: Database, master: Actor, user_id: int) -> int:
    return ready_client(db, master, user_id)


def ticket(db: Database, user_id: int) -> list[tuple[str, str, dict[str, Any] | None]]:
    """The client's messages as the app reads them: (author, body, payload), oldest first."""
    with db.reading() as s:
        rows = s.execute(
            select(SupportMessage.author, SupportMessage.body, SupportMessage.payload)
            .join(SupportTicket, SupportTicket.id == SupportMessage.ticket_id)
            .where(SupportTicket.user_id == user_id)
            .order_by(SupportMessage.id)
        ).all()
    return [(author, body, payload) for author, body, payload in rows]


def kinds(db: Database, user_id: int) -> list[str | None]:
    return [payload["type"] if payload else None for _, _, payload in ticket(db, user_id)]


def assert_told_void(
    message: tuple[str, str, dict[str, Any] | None], number: str, reason: str | None
) -> None:
    author, body, payload = message
    assert author == "system"
    assert payload is not None
    assert (payload["type"], payload["contract_number"], payload["reason"]) == (
        "contract_voided",
        number,
        reason,
    )
    assert datetime.fromisoformat(payload["voided_at"]).tzinfo is not None
    assert f"Договор № {number} аннулирован" in body
    assert "код больше не действует" in body


# --- contract voided -------------------------------------------------------------------------


def test_changed_contacts_void_the_contract_and_tell_the_client(
    db, master, local, settings, client_id, user_id
):
    info = generate(db, master, local, settings, client_id)
    code = latest_code(db, user_id)
    with db.transaction() as s:
        save_contacts(s, master, client_id, version(db, client_id), CONTACTS)
    assert kinds(db, user_id) == ["contract_otp", "contract_voided"]
    voided = ticket(db, user_id)[-1]
    assert_told_void(voided, info.number, workflow.DATA_CHANGED_FOR_CLIENT)
    assert code not in voided[1]
    assert contract_row(db, client_id).status == "voided"
    # Saving the same form again changes nothing, so it tells nothing.
    with db.transaction() as s:
        save_contacts(s, master, client_id, version(db, client_id), CONTACTS)
    again = generate(db, master, local, settings, client_id)
    assert kinds(db, user_id) == ["contract_otp", "contract_voided", "contract_otp"]
    assert again.number != info.number


def test_new_photo_voids_the_contract_and_tells_the_client(
    db, master, local, settings, client_id, user_id, tmp_path
):
    info = generate(db, master, local, settings, client_id)
    with db.reading() as s:
        device_id = s.scalars(
            select(MasterDevice.id).where(MasterDevice.client_id == client_id)
        ).first()
    assert device_id is not None
    photo = tmp_path / "tv.jpg"
    Image.new("RGB", (64, 48), (200, 30, 30)).save(photo, "JPEG")
    outcomes = attach_files(db, local, master, client_id, device_id, [photo])
    assert [o.ok for o in outcomes] == [True]
    assert kinds(db, user_id) == ["contract_otp", "contract_voided"]
    assert_told_void(ticket(db, user_id)[-1], info.number, workflow.DATA_CHANGED_FOR_CLIENT)


def test_a_refused_or_rolled_back_edit_tells_nothing(
    db, master, local, settings, client_id, user_id
):
    generate(db, master, local, settings, client_id)
    stale = version(db, client_id) - 1
    with pytest.raises(ConflictError), db.transaction() as s:
        save_contacts(s, master, client_id, stale, CONTACTS)

    def void_then_crash() -> None:
        with db.transaction() as s:
            workflow.begin_step_edit(s, master, client_id, version(db, client_id)).change()
            raise RuntimeError("crash after the void, before the commit")

    with pytest.raises(RuntimeError, match="crash"):
        void_then_crash()
    assert kinds(db, user_id) == ["contract_otp"]
    assert contract_row(db, client_id).status == "awaiting_signature"


def test_too_many_wrong_codes_end_the_chat_with_a_dead_code(
    db, master, local, settings, client_id, user_id
):
    """Today the chat ends with a live-looking code; now its last word is that the code is
    dead, told once, in the transaction that counts the last wrong try."""
    info = generate(db, master, local, settings, client_id)
    at = T0
    for attempt in range(1, otp.MAX_TRIES_PER_CONTRACT + 1):
        with pytest.raises(contract_signing.CodeRejected):
            confirm(db, master, local, settings, client_id, wrong(latest_code(db, user_id)), at)
        if attempt % otp.MAX_TRIES_PER_CODE == 0 and attempt < otp.MAX_TRIES_PER_CONTRACT:
            at += otp.RESEND_COOLDOWN + timedelta(seconds=1)
            with db.transaction() as s:
                contract_signing.resend_code(s, master, settings, client_id, now=at, store=local)
    revoked = ["contract_otp", "contract_code_revoked"]
    assert kinds(db, user_id) == [*revoked, *revoked, "contract_otp", "contract_voided"]
    dead_code = ticket(db, user_id)[1]
    assert "больше не действует" in dead_code[1]
    assert dead_code[2] == {"type": "contract_code_revoked", "contract_number": info.number}
    last = ticket(db, user_id)[-1]
    assert_told_void(last, info.number, contract_signing.TOO_MANY_WRONG_CODES_FOR_CLIENT)
    assert contract_row(db, client_id).status == "voided"


def test_cancelling_tells_the_client_but_not_the_masters_reason(
    db, master, local, settings, client_id, user_id
):
    info = generate(db, master, local, settings, client_id)
    with db.transaction() as s:
        cancel_client(s, master, client_id, "клиент грубил мастеру", version(db, client_id))
    assert kinds(db, user_id) == ["contract_otp", "contract_voided", "onboarding_cancelled"]
    voided, cancelled = ticket(db, user_id)[-2:]
    assert_told_void(voided, info.number, None)
    assert cancelled[1] == CANCELLED_MESSAGE
    for message in (voided, cancelled):
        assert "грубил" not in message[1] + json.dumps(message[2], ensure_ascii=False)


# --- signed, paid, invoiced: one message each, documents the client can open -----------------


def check_document(
    store: ObjectStore, body: str, payload: dict[str, Any], key: str, moment: datetime
) -> None:
    """The payload names the object; with S3 the link opens it for 7 days, locally there is
    no link at all and the text sends the client to the master."""
    assert payload["pdf_key"] == key
    if isinstance(store, S3Store):
        url = payload["pdf_url"]
        assert url in body
        assert f"X-Amz-Expires={SEVEN_DAYS}" in url
        assert fetched_bytes(url) == store.get(key)
        expires = datetime.fromisoformat(payload["pdf_url_expires_at"])
        assert abs(expires - (moment + timedelta(days=7))) < timedelta(minutes=1)
    else:
        assert (payload["pdf_url"], payload["pdf_url_expires_at"]) == (None, None)
        assert "у мастера" in body or "мастер покажет" in body
        assert "://" not in body


def test_every_event_is_told_once_with_links_the_client_can_open(
    db, master, store, settings, client_id, user_id
):
    started = datetime.now(UTC)
    info = generate(db, master, store, settings, client_id)
    signed = confirm(db, master, store, settings, client_id, latest_code(db, user_id), T0)
    with db.transaction() as s:
        payments.confirm_payment(
            s, master, settings, client_id, version(db, client_id), CASH, now=T0
        )
    with db.transaction() as s:
        bill = invoices.issue_invoice(
            s, master, store, settings, client_id, version(db, client_id), now=T0
        )
    messages = ticket(db, user_id)
    assert kinds(db, user_id) == ["contract_otp", "contract_signed", "payment_received", "invoice"]
    assert all(author == "system" for author, _, _ in messages)
    (_, otp_body, otp_payload), (_, signed_body, signed_payload) = messages[:2]
    (_, paid_body, paid_payload), (_, invoice_body, invoice_payload) = messages[2:]
    assert otp_payload is not None
    assert signed_payload is not None
    assert paid_payload is not None
    assert invoice_payload is not None

    check_document(store, otp_body, otp_payload, info.draft_key, started)

    assert signed_payload["contract_number"] == info.number
    assert datetime.fromisoformat(signed_payload["signed_at"]) == T0
    assert signed_payload["pdf_sha256"] == signed.signed_sha256
    assert hashlib.sha256(store.get(signed_payload["pdf_key"])).hexdigest() == signed.signed_sha256
    assert f"Договор № {info.number} подписан" in signed_body
    check_document(store, signed_body, signed_payload, signed.signed_key, started)

    assert (paid_payload["contract_number"], paid_payload["amount"]) == (info.number, "1290.00")
    assert "Оплата получена" in paid_body

    assert (invoice_payload["invoice_number"], invoice_payload["paid"]) == (bill.number, True)
    check_document(store, invoice_body, invoice_payload, bill.pdf_key, started)

    everything = "\n".join(
        body + json.dumps(payload, ensure_ascii=False) for _, body, payload in messages
    )
    assert "file:" not in everything
    assert set(kinds(db, user_id)) <= set(support.PAYLOAD_TYPES)


def test_refused_steps_tell_nothing(db, master, local, settings, client_id, user_id):
    generate(db, master, local, settings, client_id)
    code = latest_code(db, user_id)
    with pytest.raises(ValidationError, match="6 цифр"), db.transaction() as s:
        contract_signing.confirm_signature(s, master, local, settings, client_id, "12345x", now=T0)
    late = T0 + otp.VALIDITY
    with pytest.raises(contract_signing.CodeRejected, match="истёк"):
        confirm(db, master, local, settings, client_id, code, late)
    assert kinds(db, user_id) == ["contract_otp"]
    confirm(db, master, local, settings, client_id, latest_code(db, user_id), T0)
    told = len(ticket(db, user_id))
    short = payments.PaymentInput(method="card", amount=Decimal("1000.00"))
    with pytest.raises(ValidationError, match="причину"), db.transaction() as s:
        payments.confirm_payment(s, master, settings, client_id, version(db, client_id), short)
    with pytest.raises(StateError, match="подтвердите оплату"), db.transaction() as s:
        invoices.issue_invoice(s, master, local, settings, client_id, version(db, client_id))
    assert len(ticket(db, user_id)) == told
    with db.reading() as s:
        assert s.get_one(MasterClient, client_id).status == "signed"


def test_the_apps_store_links_last_seven_days_by_default(moto_endpoint, bucket_name, settings):
    """S3_LINK_EXPIRY_HOURS defaults to 168 h, the SigV4 ceiling: the longest a client's link
    can live."""
    assert Settings().s3_link_expiry_hours == 168
    on_s3 = replace(
        settings,
        s3_endpoint=moto_endpoint,
        s3_access_key="test-access",
        s3_secret_key="test-secret-key",
        s3_bucket=bucket_name(),
    )
    store = open_store(on_s3)
    key = "clients/1/contracts/ПМ-2026-000001-draft.pdf"
    store.put(key, b"%PDF-1.7 test", "application/pdf")
    before = datetime.now(UTC)
    shared = store.shareable_link(key)
    assert shared is not None
    assert f"X-Amz-Expires={SEVEN_DAYS}" in shared.url
    assert fetched_bytes(shared.url) == b"%PDF-1.7 test"
    assert abs(shared.expires_at - (before + timedelta(days=7))) < timedelta(minutes=1)
    assert LocalStore(settings.data_dir / "objects").shareable_link(key) is None


def test_client_view_shows_times_in_the_business_zone_and_the_document(
    db, master, local, settings, client_id, user_id
):
    info = generate(db, master, local, settings, client_id)
    far_east = ZoneInfo("Asia/Vladivostok")
    with db.reading() as s:
        sent = s.get_one(SupportMessage, info.otp_message_id).created_at
        view = render_client_view(s, user_id, far_east)
    assert f"[{sent.astimezone(far_east):%d.%m.%Y %H:%M}] Система:" in view
    assert f"    [документ {info.number}-draft.pdf]" in view
    assert "file:" not in view
