"""Steps 6–7 and the whole 5–7 flow on real PostgreSQL: the code read back from the ticket as
the client app does, payment, the invoice that closes the case, and the client's view."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from test_contracts import T0, add_user, confirm, generate, latest_code, ready_client, version

from privet_tui.db.models.billing import MasterContract, MasterInvoice
from privet_tui.db.models.clients import MasterClient
from privet_tui.db.models.support import SupportMessage
from privet_tui.errors import StateError, ValidationError
from privet_tui.services import support
from privet_tui.services.client_view import render_client_view
from privet_tui.services.steps import invoice as invoices
from privet_tui.services.steps import payment as payments
from privet_tui.storage.local import LocalStore

CASH = payments.PaymentInput(method="cash", amount=Decimal("1290.00"), receipt="A-17")
MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture
def store(tmp_path):
    return LocalStore(tmp_path / "objects")


@pytest.fixture
def client_id(db, master, user_id):
    return ready_client(db, master, user_id)


def sign(db, master, store, settings, client_id, user_id):
    generate(db, master, store, settings, client_id)
    confirm(db, master, store, settings, client_id, latest_code(db, user_id), T0)


def pay(db, master, settings, client_id, payment=CASH):
    with db.transaction() as s:
        return payments.confirm_payment(
            s, master, settings, client_id, version(db, client_id), payment, now=T0
        )


def invoice(db, master, store, settings, client_id):
    with db.transaction() as s:
        return invoices.issue_invoice(
            s, master, store, settings, client_id, version(db, client_id), now=T0
        )


def test_full_flow_to_processed(db, master, store, settings, client_id, user_id):
    contract = generate(db, master, store, settings, client_id)
    code = latest_code(db, user_id)  # as the client app reads it: the message payload
    confirm(db, master, store, settings, client_id, code, T0 + timedelta(minutes=1))
    paid = pay(db, master, settings, client_id)
    assert (paid.amount, paid.method, paid.reason) == (Decimal("1290.00"), "cash", None)
    info = invoice(db, master, store, settings, client_id)
    assert re.fullmatch(r"СЧ-\d{4}-\d{6}", info.number)
    assert info.amount == Decimal("1290.00")
    due = T0.astimezone(settings.zone).date() + timedelta(days=settings.invoice_due_days)
    assert info.due_date == due
    assert info.paid
    assert hashlib.sha256(store.get(info.pdf_key)).hexdigest() == info.pdf_sha256
    assert info.pdf_key == f"clients/{client_id}/invoices/{info.number}.pdf"
    with db.reading() as s:
        client = s.get(MasterClient, client_id)
        assert client is not None
        assert client.status == "processed"
        assert client.finished_at is not None
        row = s.scalar(select(MasterInvoice))
        assert row is not None
        assert (row.number, row.amount, row.message_id) == (
            info.number,
            Decimal("1290.00"),
            info.message_id,
        )
        kinds = [p["type"] for p in s.scalars(select(SupportMessage.payload).order_by("id"))]
        assert kinds == ["contract_otp", "contract_signed", "payment_received", "invoice"]
        last = s.get(SupportMessage, info.message_id)
        assert last is not None
        assert last.payload is not None
        assert last.payload["amount"] == "1290.00"
        assert last.payload["due_date"] == info.due_date.isoformat()
        assert last.payload["pdf_key"] == info.pdf_key
        assert "file:" not in last.body  # a local path is for the master's screen only
        chat = support.conversation(s, user_id)
        view = render_client_view(s, user_id, MOSCOW)
    assert [m.payload_type for m in chat] == [
        "contract_otp",
        "contract_signed",
        "payment_received",
        "invoice",
    ]
    assert code not in chat[0].body
    assert f"Код для подписания: {code}" in view
    assert "Система:" in view
    assert "Оплата получена: 1 290,00" in view.replace("\u00a0", " ")
    assert f"Счёт № {info.number}" in view
    assert contract.number in view
    with pytest.raises(StateError, match="уже выставлен"):
        invoice(db, master, store, settings, client_id)
    with db.reading() as s:
        again = invoices.invoice_for_client(s, store, client_id)
    assert again is not None
    assert (again.number, again.amount, again.paid, again.pdf_sha256) == (
        info.number,
        info.amount,
        True,
        info.pdf_sha256,
    )


def test_payment_amount_mismatch_needs_reason(db, master, store, settings, client_id, user_id):
    sign(db, master, store, settings, client_id, user_id)
    short = payments.PaymentInput(method="card", amount=Decimal("1000.00"), receipt=None)
    with pytest.raises(ValidationError, match="укажите причину") as caught:
        pay(db, master, settings, client_id, short)
    assert caught.value.field == "reason"
    with pytest.raises(ValidationError):
        pay(db, master, settings, client_id, payments.PaymentInput("bitcoin", Decimal("1290")))
    with pytest.raises(ValidationError):
        pay(db, master, settings, client_id, payments.PaymentInput("cash", 1290.0))  # type: ignore[arg-type]
    reason = "Скидка 290 ₽ согласована с офисом"
    paid = pay(
        db, master, settings, client_id, payments.PaymentInput("card", short.amount, None, reason)
    )
    assert paid.reason == reason
    with db.reading() as s:
        row = s.scalar(select(MasterContract))
        assert row is not None
        assert (row.status, row.payment_amount, row.payment_reason) == (
            "paid",
            Decimal("1000.00"),
            reason,
        )
    info = invoice(db, master, store, settings, client_id)
    assert not info.paid  # underpaid: the invoice is not marked paid


def test_steps_6_and_7_out_of_order(db, master, store, settings, client_id, user_id):
    with pytest.raises(StateError, match="подтвердить оплату"):
        pay(db, master, settings, client_id)
    with pytest.raises(StateError, match="выставить счёт"):
        invoice(db, master, store, settings, client_id)
    generate(db, master, store, settings, client_id)
    with pytest.raises(StateError, match="Ждёт подписи"):
        pay(db, master, settings, client_id)
    confirm(db, master, store, settings, client_id, latest_code(db, user_id), T0)
    with pytest.raises(StateError, match="Подписан"):
        invoice(db, master, store, settings, client_id)
    pay(db, master, settings, client_id)
    with pytest.raises(StateError, match="уже подтверждена"):
        pay(db, master, settings, client_id)


def test_invoice_numbers_are_consecutive(db, master, store, settings, client_id, user_id):
    other_user = add_user(db, first="Мария", email="maria@example.ru")
    other = ready_client(db, master, other_user)
    sign(db, master, store, settings, client_id, user_id)
    sign(db, master, store, settings, other, other_user)
    pay(db, master, settings, client_id)
    pay(db, master, settings, other)
    first = invoice(db, master, store, settings, client_id)
    second = invoice(db, master, store, settings, other)
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1
