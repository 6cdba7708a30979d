"""Step 7 «Счёт»: the invoice for the paid contract (number, amount, due date, company
requisites) as a PDF in the store and a message with the link in the client's ticket.

Issuing it closes the case: the client becomes `processed` (finished). The order is
signed → paid → invoice, so the invoice is issued with the payment already marked on it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from privet_tui.config import Settings
from privet_tui.db.models.billing import MasterContract, MasterInvoice, invoice_number_seq
from privet_tui.db.models.clients import MasterClient
from privet_tui.errors import StateError
from privet_tui.pdf.documents import ContractDocument, InvoiceDocument
from privet_tui.pdf.invoice import render_invoice
from privet_tui.pdf.layout import format_date
from privet_tui.pdf.seal import CompanySeal, seal_pdf
from privet_tui.seal_files import load_company_seal
from privet_tui.services import audit
from privet_tui.services.actor import Actor
from privet_tui.services.documents import company_for_documents
from privet_tui.services.rules.pricing import format_money
from privet_tui.services.support import document_fields, post_message
from privet_tui.services.workflow import lock_client, require_status, touch
from privet_tui.services.workflow import now as utc_now
from privet_tui.storage.base import ObjectStore
from privet_tui.storage.keys import PDF_TYPE, invoice_key

__all__ = ["InvoiceInfo", "invoice_for_client", "issue_invoice"]


@dataclass(frozen=True)
class InvoiceInfo:
    """An issued invoice and the client's new version (the case is now closed)."""

    invoice_id: int
    number: str
    contract_number: str
    amount: Decimal
    due_date: date
    paid: bool
    pdf_key: str
    pdf_sha256: str
    pdf_link: str
    message_id: int
    client_version: int


def issue_invoice(
    session: Session,
    actor: Actor,
    store: ObjectStore,
    settings: Settings,
    client_id: int,
    expected_version: int,
    *,
    now: datetime | None = None,
    seal: CompanySeal | None = None,
) -> InvoiceInfo:
    """Issue the invoice for the paid contract, send it to the client and close the case.
    The PDF carries `seal` (default: the configured one; SealError before anything is
    written, the invoice number included, when there is none)."""
    company_seal = seal or load_company_seal(settings)
    moment = now or utc_now()
    local = moment.astimezone(settings.zone)  # the business zone, never the host's
    client = lock_client(session, client_id, actor, expected_version=expected_version)
    if client.status == "processed":
        raise StateError("Счёт уже выставлен: клиент обработан")
    require_status(client, "paid", action="выставить счёт (сначала подтвердите оплату)")
    contract = session.scalar(
        select(MasterContract)
        .where(MasterContract.client_id == client.id, MasterContract.status == "paid")
        .with_for_update()
    )
    if contract is None or contract.payment_amount is None:
        raise StateError("Оплаченный договор не найден")
    serial = session.scalar(select(invoice_number_seq.next_value()))
    number = f"СЧ-{local.year}-{serial:06d}"
    due = local.date() + timedelta(days=settings.invoice_due_days)
    snapshot = ContractDocument.from_dict(contract.snapshot)
    paid = contract.payment_amount >= contract.total_due
    doc = InvoiceDocument(
        number=number,
        issued_at=local,
        due_date=due,
        company=company_for_documents(settings),
        client_name=snapshot.client.full_name,
        client_address=snapshot.client.address,
        contract_number=contract.number,
        contract_date=snapshot.created_at.date(),  # as dated on the contract itself
        lines=snapshot.charges,
        total=contract.total_due,
        paid=paid,
    )
    data = seal_pdf(render_invoice(doc), company_seal, reason=f"Счёт № {number}")
    sha = hashlib.sha256(data).hexdigest()
    key = invoice_key(client.id, number)
    store.put(key, data, PDF_TYPE)
    link = store.link(key)
    invoice = MasterInvoice(
        client_id=client.id,
        contract_id=contract.id,
        number=number,
        amount=contract.total_due,
        due_date=due,
        pdf_key=key,
        pdf_sha256=sha,
        sent_at=moment,
        paid_at=contract.paid_at if paid else None,
        created_by_id=actor.id,
    )
    session.add(invoice)
    session.flush()
    state = "Оплачен." if paid else f"Оплачено {format_money(contract.payment_amount)}."
    shared, fields = document_fields(store, key)
    where = (
        f"Счёт: {shared.url}"
        if shared
        else "Экземпляр счёта — у мастера, ссылку для скачивания пришлём в этот чат "
        "по вашей просьбе."
    )
    body = (
        f"Счёт № {number} по договору № {contract.number} на сумму "
        f"{format_money(contract.total_due)}, срок оплаты до {format_date(due)}. {state}\n"
        f"{where}"
    )
    payload = {
        "type": "invoice",
        "invoice_number": number,
        "contract_number": contract.number,
        "amount": str(contract.total_due),
        "due_date": due.isoformat(),
        "paid": paid,
        **fields,
    }
    invoice.message_id = post_message(session, client.user_id, body, payload)
    client.status = "processed"
    client.finished_at = moment
    client.current_step = max(client.current_step, 7)
    audit.record_event(
        session,
        client.id,
        actor,
        "invoice.issued",
        f"Выставлен счёт № {number} на {format_money(contract.total_due)}; клиент обработан",
        {
            "invoice_id": invoice.id,
            "number": number,
            "contract_id": contract.id,
            "amount": str(contract.total_due),
            "due_date": due.isoformat(),
            "pdf_sha256": sha,
            "message_id": invoice.message_id,
        },
    )
    touch(session, client)
    return _info(invoice, contract.number, link, client.version)


def invoice_for_client(session: Session, store: ObjectStore, client_id: int) -> InvoiceInfo | None:
    """The client's latest invoice, for showing it again after the case is closed."""
    found = session.execute(
        select(MasterInvoice, MasterContract.number, MasterClient.version)
        .join(MasterContract, MasterContract.id == MasterInvoice.contract_id)
        .join(MasterClient, MasterClient.id == MasterInvoice.client_id)
        .where(MasterInvoice.client_id == client_id)
        .order_by(MasterInvoice.id.desc())
        .limit(1)
    ).first()
    if found is None:
        return None
    invoice, contract_number, version = found
    return _info(invoice, contract_number, store.link(invoice.pdf_key), version)


def _info(invoice: MasterInvoice, contract_number: str, link: str, version: int) -> InvoiceInfo:
    assert invoice.message_id is not None
    return InvoiceInfo(
        invoice.id,
        invoice.number,
        contract_number,
        invoice.amount,
        invoice.due_date,
        invoice.paid_at is not None,
        invoice.pdf_key,
        invoice.pdf_sha256,
        link,
        invoice.message_id,
        version,
    )
