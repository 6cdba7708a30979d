"""Step 5 «Договор»: generate the contract (number, snapshot, draft PDF, one-time code sent
into the client's ticket), resend the code, and confirm the signature with the code the
client reads out (signed PDF with the evidence block, status `signed`).

A wrong code must count even though the call fails: `confirm_signature` records the failure,
COMMITS the caller's session and then raises `CodeRejected`. Call it in a transaction of its
own (`with db.transaction() as s: confirm_signature(s, …)`); nothing else may be pending in
that session. Every other refusal raises before anything is written.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from privet_tui import pdf
from privet_tui.config import Settings
from privet_tui.db.models import (
    MasterClient,
    MasterContract,
    contract_number_seq,
)
from privet_tui.errors import StateError, ValidationError
from privet_tui.services import audit, otp
from privet_tui.services.actor import Actor
from privet_tui.services.contract_document import build_contract_document
from privet_tui.services.pricing import format_money
from privet_tui.services.workflow import lock_client, require_status, touch
from privet_tui.services.workflow import now as utc_now
from privet_tui.storage import ObjectStore, contract_key

__all__ = [
    "CodeRejected",
    "CodeSent",
    "ContractInfo",
    "ContractState",
    "SignatureInfo",
    "confirm_signature",
    "contract_state",
    "generate_contract",
    "resend_code",
]

PDF_TYPE = "application/pdf"
CodeRejected = otp.CodeRejected


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
class CodeSent:
    """A new code sent for the same contract (the old one no longer works)."""

    contract_id: int
    number: str
    otp_message_id: int
    otp_sent_at: datetime
    otp_expires_at: datetime
    tries_left: int


@dataclass(frozen=True)
class SignatureInfo:
    """A signed contract with its evidence."""

    contract_id: int
    number: str
    signed_at: datetime
    signed_key: str
    signed_sha256: str
    draft_sha256: str
    otp_message_id: int
    ssh_connection: str | None
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
        live = _live_contract(session, client.id)
        raise StateError(
            f"Договор № {live.number if live else '—'} уже отправлен клиенту на подпись: "
            "отправьте код повторно или измените данные клиента, чтобы сформировать новый"
        )
    require_status(client, "in_progress", action="сформировать договор")
    serial = session.scalar(select(contract_number_seq.next_value()))
    number = f"ПМ-{moment.astimezone().year}-{serial:06d}"
    doc = build_contract_document(session, client, actor, settings, number, moment)
    draft = pdf.render_contract(doc)
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
    message_id = otp.send_code(session, settings, client, contract, moment, link)
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


def resend_code(
    session: Session,
    actor: Actor,
    settings: Settings,
    client_id: int,
    *,
    now: datetime | None = None,
    store: ObjectStore | None = None,
) -> CodeSent:
    """Send a new code for the unsigned contract; the old code stops working at once."""
    moment = now or utc_now()
    client, contract = _signable(session, actor, client_id, "отправить код")
    state = otp.contract_otp_state(contract)
    if state.total_attempts >= otp.MAX_TRIES_PER_CONTRACT:
        raise StateError("Превышен лимит неверных кодов по договору — сформируйте договор заново")
    wait = otp.resend_wait_seconds(state, moment)
    if wait > 0:
        raise StateError(f"Новый код можно отправить через {wait} с")
    link = store.link(contract.draft_key) if store is not None else None
    message_id = otp.send_code(session, settings, client, contract, moment, link)
    audit.record_event(
        session,
        client.id,
        actor,
        "contract.code_resent",
        f"Клиенту отправлен новый код для договора № {contract.number}",
        {"contract_id": contract.id, "otp_message_id": message_id},
    )
    touch(session, client)
    assert contract.otp_sent_at is not None
    assert contract.otp_expires_at is not None
    return CodeSent(
        contract.id,
        contract.number,
        message_id,
        contract.otp_sent_at,
        contract.otp_expires_at,
        otp.tries_left(otp.contract_otp_state(contract)),
    )


def confirm_signature(
    session: Session,
    actor: Actor,
    store: ObjectStore,
    settings: Settings,
    client_id: int,
    code: str,
    *,
    now: datetime | None = None,
    ssh_connection: str | None = None,
) -> SignatureInfo:
    """Sign the contract with the client's code; a wrong code is committed, then refused."""
    moment = now or utc_now()
    client, contract = _signable(session, actor, client_id, "подписать договор")
    typed = otp.normalize_code(code)
    if typed is None:
        raise ValidationError("Введите код из 6 цифр", field="code")
    state = otp.contract_otp_state(contract)
    verdict = otp.check_code(state, settings.secret_key, contract.id, typed, moment)
    if verdict is otp.Verdict.WRONG:
        raise otp.record_wrong_code(session, actor, client, contract)  # committed first
    if verdict is not otp.Verdict.OK:
        raise CodeRejected(otp.REFUSALS[verdict], tries_left=otp.tries_left(state), recorded=False)
    return _sign(session, actor, store, client, contract, moment, ssh_connection)


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
    state = otp.contract_otp_state(contract)
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


def _signable(
    session: Session, actor: Actor, client_id: int, action: str
) -> tuple[MasterClient, MasterContract]:
    """Lock the client and its contract awaiting signature, or refuse `action` clearly."""
    client = lock_client(session, client_id, actor)
    if client.status in ("signed", "paid", "processed"):
        raise StateError("Договор уже подписан")
    require_status(client, "awaiting_signature", action=action)
    contract = _live_contract(session, client.id)
    if contract is None or contract.status != "awaiting_signature":
        raise StateError("Нет договора, ожидающего подписи: сформируйте договор")
    return client, contract


def _live_contract(session: Session, client_id: int) -> MasterContract | None:
    """The client's contract that is not voided, locked for this transaction."""
    return session.scalar(
        select(MasterContract)
        .where(MasterContract.client_id == client_id, MasterContract.status != "voided")
        .with_for_update()
    )


def _sign(
    session: Session,
    actor: Actor,
    store: ObjectStore,
    client: MasterClient,
    contract: MasterContract,
    moment: datetime,
    ssh_connection: str | None,
) -> SignatureInfo:
    """Store the signed PDF with the evidence block and move the client to `signed`."""
    ssh = ssh_connection if ssh_connection is not None else os.environ.get("SSH_CONNECTION")
    assert contract.otp_message_id is not None
    evidence = pdf.SignatureEvidence(
        signed_at=moment.astimezone(),
        document_sha256=contract.draft_sha256,
        otp_message_id=contract.otp_message_id,
        master_name=actor.name,
        ssh_connection=ssh,
    )
    signed = pdf.render_contract(pdf.ContractDocument.from_dict(contract.snapshot), evidence)
    signed_sha = hashlib.sha256(signed).hexdigest()
    key = contract_key(client.id, contract.number, signed=True)
    store.put(key, signed, PDF_TYPE)
    otp_hmac = contract.otp_hash
    contract.signed_key = key
    contract.signed_sha256 = signed_sha
    contract.otp_entered_at = moment
    contract.signed_at = moment
    contract.signed_by_id = actor.id
    contract.ssh_connection = ssh
    contract.otp_hash = None
    contract.status = "signed"
    client.status = "signed"
    client.current_step = max(client.current_step, 6)
    audit.record_event(
        session,
        client.id,
        actor,
        "contract.signed",
        f"Договор № {contract.number} подписан клиентом простой электронной подписью",
        {
            "contract_id": contract.id,
            "draft_sha256": contract.draft_sha256,
            "signed_sha256": signed_sha,
            "otp_message_id": contract.otp_message_id,
            "otp_hmac": otp_hmac,
            "otp_sent_at": contract.otp_sent_at.isoformat() if contract.otp_sent_at else None,
            "otp_entered_at": moment.isoformat(),
            "wrong_attempts": contract.otp_total_attempts,
            "ssh_connection": ssh,
        },
    )
    touch(session, client)
    return SignatureInfo(
        contract.id,
        contract.number,
        moment,
        key,
        signed_sha,
        contract.draft_sha256,
        contract.otp_message_id,
        ssh,
        client.version,
    )
