"""Step 5 «Договор», its second half: the one-time code applied to a contract row — send and
resend it, check what the client read out, and sign (the signed PDF with the evidence block,
status `signed`).

A wrong code must count even though the call fails: `confirm_signature` records the try in
the session and raises `CodeRejected`, a `RecordedRefusal` that the transaction's owner
(`Database.transaction`, hence the gateway) commits before passing it on. Every other refusal
raises before anything is written.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from privet_tui.config import Settings
from privet_tui.db.models.billing import MasterContract
from privet_tui.db.models.clients import MasterClient
from privet_tui.errors import RecordedRefusal, StateError, ValidationError
from privet_tui.pdf.contract import render_contract
from privet_tui.pdf.documents import ContractDocument, SignatureEvidence
from privet_tui.pdf.seal import CompanySeal, seal_pdf
from privet_tui.seal_files import load_company_seal
from privet_tui.services import audit
from privet_tui.services.actor import Actor
from privet_tui.services.rules import otp
from privet_tui.services.rules.pricing import format_money
from privet_tui.services.support import document_fields, post_message
from privet_tui.services.workflow import (
    lock_client,
    require_status,
    touch,
    void_unsigned_contract,
)
from privet_tui.services.workflow import now as utc_now
from privet_tui.storage.base import ObjectStore
from privet_tui.storage.keys import PDF_TYPE, contract_key

__all__ = [
    "CodeRejected",
    "CodeSent",
    "SignatureInfo",
    "confirm_signature",
    "contract_otp_state",
    "live_contract",
    "record_wrong_code",
    "resend_code",
    "send_code",
]

#: What the client reads when too many wrong codes void the contract.
TOO_MANY_WRONG_CODES_FOR_CLIENT = (
    "мастеру назвали слишком много неверных кодов, мастер сформирует договор заново"
)


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


class CodeRejected(ValidationError, RecordedRefusal):
    """The typed code did not sign the contract; `recorded` says a wrong try was committed."""

    def __init__(self, message: str, *, tries_left: int, recorded: bool) -> None:
        super().__init__(message, field="code", title="Код не принят")
        self.tries_left = tries_left
        self.recorded = recorded


def contract_otp_state(contract: MasterContract) -> otp.OtpState:
    """The OTP columns of a contract row as plain data."""
    return otp.OtpState(
        otp_hash=contract.otp_hash,
        sent_at=contract.otp_sent_at,
        expires_at=contract.otp_expires_at,
        attempts=contract.otp_attempts,
        total_attempts=contract.otp_total_attempts,
    )


def send_code(
    session: Session,
    settings: Settings,
    client: MasterClient,
    contract: MasterContract,
    now: datetime,
    store: ObjectStore | None,
) -> int:
    """Issue a new code for the contract (voiding the old one) and post it to the client,
    with the draft as the client can reach it (`support.document_fields`)."""
    issued = otp.issue_code(settings.secret_key, contract.id, now)
    _shared, draft = document_fields(store, contract.draft_key)
    body, payload = otp.code_message(
        contract.number, contract.total_due, draft, issued.code, issued.expires_at, settings.zone
    )
    message_id = post_message(session, client.user_id, body, payload)
    contract.otp_hash = issued.hash
    contract.otp_sent_at = issued.sent_at
    contract.otp_expires_at = issued.expires_at
    contract.otp_attempts = 0
    contract.otp_message_id = message_id
    session.flush()
    return message_id


def record_wrong_code(
    session: Session, actor: Actor, client: MasterClient, contract: MasterContract
) -> CodeRejected:
    """Count a wrong try (voiding the contract at the per-contract cap); the caller raises the
    returned error, and the transaction's owner commits the try before passing it on."""
    contract.otp_attempts += 1
    contract.otp_total_attempts += 1
    state = contract_otp_state(contract)
    left = otp.tries_left(state)
    audit.record_event(
        session,
        client.id,
        actor,
        "contract.code_wrong",
        f"Неверный код подписи договора № {contract.number}",
        {"contract_id": contract.id, "attempts": state.attempts, "total": state.total_attempts},
    )
    if state.total_attempts >= otp.MAX_TRIES_PER_CONTRACT:
        void_unsigned_contract(
            session,
            client,
            actor,
            reason="превышен лимит неверных кодов",
            client_reason=TOO_MANY_WRONG_CODES_FOR_CLIENT,
        )
        message = (
            f"Неверный код. Превышен лимит неверных кодов — договор № {contract.number} "
            "аннулирован, сформируйте договор заново"
        )
    elif left == 0:
        post_message(
            session,
            client.user_id,
            f"Код для подписания договора № {contract.number} больше не действует: введено "
            "слишком много неверных кодов. Мастер отправит вам новый код.",
            {"type": "contract_code_revoked", "contract_number": contract.number},
        )
        message = "Неверный код. Попытки для этого кода исчерпаны — отправьте клиенту новый код"
    else:
        message = f"Неверный код. Осталось попыток: {left}"
    touch(session, client)
    return CodeRejected(message, tries_left=left, recorded=True)


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
    client, contract = signable(session, actor, client_id, "отправить код")
    state = contract_otp_state(contract)
    if state.total_attempts >= otp.MAX_TRIES_PER_CONTRACT:
        raise StateError("Превышен лимит неверных кодов по договору — сформируйте договор заново")
    wait = otp.resend_wait_seconds(state, moment)
    if wait > 0:
        raise StateError(f"Новый код можно отправить через {wait} с")
    message_id = send_code(session, settings, client, contract, moment, store)
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
        otp.tries_left(contract_otp_state(contract)),
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
    seal: CompanySeal | None = None,
) -> SignatureInfo:
    """Sign the contract with the client's code; a wrong code is committed, then refused.
    The signed PDF carries `seal` (default: the configured one; SealError before anything
    is written when there is none)."""
    company_seal = seal or load_company_seal(settings)
    moment = now or utc_now()
    client, contract = signable(session, actor, client_id, "подписать договор")
    typed = otp.normalize_code(code)
    if typed is None:
        raise ValidationError("Введите код из 6 цифр", field="code")
    state = contract_otp_state(contract)
    verdict = otp.check_code(state, settings.secret_key, contract.id, typed, moment)
    if verdict is otp.Verdict.WRONG:
        raise record_wrong_code(session, actor, client, contract)  # committed first
    if verdict is not otp.Verdict.OK:
        raise CodeRejected(otp.REFUSALS[verdict], tries_left=otp.tries_left(state), recorded=False)
    return _sign(
        session, actor, store, client, contract, moment, ssh_connection, settings.zone, company_seal
    )


def signable(
    session: Session, actor: Actor, client_id: int, action: str
) -> tuple[MasterClient, MasterContract]:
    """Lock the client and its contract awaiting signature, or refuse `action` clearly."""
    client = lock_client(session, client_id, actor)
    if client.status in ("signed", "paid", "processed"):
        raise StateError("Договор уже подписан")
    require_status(client, "awaiting_signature", action=action)
    contract = live_contract(session, client.id)
    if contract is None or contract.status != "awaiting_signature":
        raise StateError("Нет договора, ожидающего подписи: сформируйте договор")
    return client, contract


def live_contract(session: Session, client_id: int) -> MasterContract | None:
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
    zone: tzinfo,
    seal: CompanySeal,
) -> SignatureInfo:
    """Store the signed PDF with the evidence block (its time in the business `zone`)
    and move the client to `signed`."""
    ssh = ssh_connection if ssh_connection is not None else os.environ.get("SSH_CONNECTION")
    assert contract.otp_message_id is not None
    evidence = SignatureEvidence(
        signed_at=moment.astimezone(zone),
        document_sha256=contract.draft_sha256,
        otp_message_id=contract.otp_message_id,
        master_name=actor.name,
        ssh_connection=ssh,
    )
    rendered = render_contract(ContractDocument.from_dict(contract.snapshot), evidence)
    signed = seal_pdf(rendered, seal, reason=f"Договор № {contract.number}")
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
    _tell_signed(session, store, client, contract)
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


def _tell_signed(
    session: Session, store: ObjectStore, client: MasterClient, contract: MasterContract
) -> int:
    """Tell the client their contract is signed, with the signed PDF as they can reach it."""
    assert contract.signed_key is not None
    assert contract.signed_at is not None
    shared, fields = document_fields(store, contract.signed_key)
    where = (
        f"Подписанный договор: {shared.url}"
        if shared
        else "Экземпляр подписанного договора хранится у нас: мастер покажет его, "
        "а ссылку для скачивания пришлём в этот чат по вашей просьбе."
    )
    body = (
        f"Договор № {contract.number} подписан простой электронной подписью. "
        f"Сумма к оплате: {format_money(contract.total_due)}.\n{where}"
    )
    payload = {
        "type": "contract_signed",
        "contract_number": contract.number,
        "signed_at": contract.signed_at.isoformat(),
        "pdf_sha256": contract.signed_sha256,
        **fields,
    }
    return post_message(session, client.user_id, body, payload)
