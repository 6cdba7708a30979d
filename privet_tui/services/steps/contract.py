"""Step 5 «Договор», its first half: generate the contract (number, snapshot, draft PDF, the
one-time code sent into the client's ticket) and show its state; signing it with the code
lives in `contract_signing`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from privet_tui.config import Settings
from privet_tui.db.models.billing import MasterContract, contract_number_seq
from privet_tui.errors import StateError
from privet_tui.pdf.contract import render_contract
from privet_tui.services import audit
from privet_tui.services.actor import Actor
from privet_tui.services.documents import build_contract_document
from privet_tui.services.rules import otp
from privet_tui.services.rules.pricing import format_money
from privet_tui.services.steps.contract_signing import contract_otp_state, live_contract, send_code
from privet_tui.services.workflow import lock_client, require_status, touch
from privet_tui.services.workflow import now as utc_now
from privet_tui.storage.base import ObjectStore
from privet_tui.storage.keys import PDF_TYPE, contract_key

__all__ = ["ContractInfo", "ContractState", "contract_state", "generate_contract"]


@dataclass(frozen=True)
class ContractInfo:
    """A generated contract awaiting the client's code."""

    contract_id: int
    number: str
    total_due: Decimal
    draft_key: str
    draft_sha256: str
    draft_link: str
    otp_message_id: int
    otp_sent_at: datetime
    otp_expires_at: datetime
    client_version: int


@dataclass(frozen=True)
class ContractState:
    """What the contract screen shows: the latest contract and its code's countdowns."""

    contract_id: int
    number: str
    status: str
    total_due: Decimal
    created_at: datetime
    otp_seconds_left: int
    resend_in_seconds: int
    tries_left: int
    code_usable: bool
    draft_key: str
    draft_sha256: str
    signed_key: str | None
    signed_sha256: str | None
    signed_at: datetime | None
    void_reason: str | None
    draft_link: str | None
    signed_link: str | None


def generate_contract(
    session: Session,
    actor: Actor,
    store: ObjectStore,
    settings: Settings,
    client_id: int,
    expected_version: int,
    *,
    now: datetime | None = None,
) -> ContractInfo:
    """Number, snapshot and draft PDF of the contract, and its code sent to the client."""
    moment = now or utc_now()
    client = lock_client(session, client_id, actor, expected_version=expected_version)
    if client.status == "awaiting_signature":
        live = live_contract(session, client.id)
        raise StateError(
            f"Договор № {live.number if live else '—'} уже отправлен клиенту на подпись: "
            "отправьте код повторно или измените данные клиента, чтобы сформировать новый"
        )
    require_status(client, "in_progress", action="сформировать договор")
    serial = session.scalar(select(contract_number_seq.next_value()))
    number = f"ПМ-{moment.astimezone(settings.zone).year}-{serial:06d}"
    doc = build_contract_document(session, client, actor, settings, number, moment)
    draft = render_contract(doc)
    draft_sha = hashlib.sha256(draft).hexdigest()
    key = contract_key(client.id, number, signed=False)
    store.put(key, draft, PDF_TYPE)
    link = store.link(key)
    contract = MasterContract(
        client_id=client.id,
        number=number,
        status="awaiting_signature",
        snapshot=doc.to_dict(),
        total_due=doc.total_due,
        draft_key=key,
        draft_sha256=draft_sha,
        otp_attempts=0,
        otp_total_attempts=0,
        created_by_id=actor.id,
    )
    session.add(contract)
    session.flush()
    message_id = send_code(session, settings, client, contract, moment, store)
    client.status = "awaiting_signature"
    client.current_step = max(client.current_step, 5)
    audit.record_event(
        session,
        client.id,
        actor,
        "contract.generated",
        f"Сформирован договор № {number} на {format_money(doc.total_due)}; "
        "код для подписи отправлен клиенту в чат",
        {
            "contract_id": contract.id,
            "number": number,
            "total_due": str(doc.total_due),
            "draft_sha256": draft_sha,
            "otp_message_id": message_id,
        },
    )
    touch(session, client)
    assert contract.otp_sent_at is not None
    assert contract.otp_expires_at is not None
    return ContractInfo(
        contract.id,
        number,
        doc.total_due,
        key,
        draft_sha,
        link,
        message_id,
        contract.otp_sent_at,
        contract.otp_expires_at,
        client.version,
    )


def contract_state(
    session: Session,
    actor: Actor,
    client_id: int,
    *,
    now: datetime | None = None,
    store: ObjectStore | None = None,
) -> ContractState | None:
    """The client's latest contract for the screen, or None when none was generated."""
    del actor  # any master may look; changes go through the guarded calls above
    moment = now or utc_now()
    contract = session.scalar(
        select(MasterContract)
        .where(MasterContract.client_id == client_id)
        .order_by((MasterContract.status == "voided").asc(), MasterContract.id.desc())
        .limit(1)
    )
    if contract is None:
        return None
    state = contract_otp_state(contract)
    signable = contract.status == "awaiting_signature"
    seconds_left = otp.validity_seconds_left(state, moment) if signable else 0
    tries = otp.tries_left(state) if signable else 0
    return ContractState(
        contract_id=contract.id,
        number=contract.number,
        status=contract.status,
        total_due=contract.total_due,
        created_at=contract.created_at,
        otp_seconds_left=seconds_left,
        resend_in_seconds=otp.resend_wait_seconds(state, moment) if signable else 0,
        tries_left=tries,
        code_usable=seconds_left > 0 and tries > 0,
        draft_key=contract.draft_key,
        draft_sha256=contract.draft_sha256,
        signed_key=contract.signed_key,
        signed_sha256=contract.signed_sha256,
        signed_at=contract.signed_at,
        void_reason=contract.void_reason,
        draft_link=store.link(contract.draft_key) if store else None,
        signed_link=store.link(contract.signed_key) if store and contract.signed_key else None,
    )
