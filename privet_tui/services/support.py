"""The support bridge: messages from the masters' side into the client's ticket of the
«Привет Супер» app (`support_tickets`/`support_messages`, shared with the client app).

Messages go into the client's open ticket of channel 'master' (created when absent) as
author 'support' (a master's chat message, no payload) or 'system' (a contract event), with
a JSONB payload whose `type` the client app renders. The shared table may have no unique
index, so find-or-create serialises on an advisory lock keyed by the user id.

Every contract event posts exactly one system message, in the transaction of the event (a
refused or rolled-back step posts nothing). Payloads, by `type` (times are ISO 8601 with
offset, amounts decimal strings, `null` where a field does not apply):

- `contract_otp` — a code to sign a contract: `contract_number`, `code` (6 digits),
  `amount`, `expires_at`, and the draft: `pdf_key`, `pdf_url`, `pdf_url_expires_at`.
- `contract_voided` — the contract can no longer be signed and its code is dead (data
  changed after generation, too many wrong codes, the case cancelled): `contract_number`,
  `reason` (Russian, for the client; `null` when none is told), `voided_at`.
- `contract_signed` — the contract is signed: `contract_number`, `signed_at`,
  `pdf_sha256` (of the signed PDF), `pdf_key`, `pdf_url`, `pdf_url_expires_at`.
- `payment_received` — `contract_number`, `amount`, `method` (cash, card, transfer),
  `receipt`, `paid_at`.
- `invoice` — `invoice_number`, `contract_number`, `amount`, `due_date` (a date), `paid`
  (bool), `pdf_key`, `pdf_url`, `pdf_url_expires_at`.

Documents (`pdf_*`): `pdf_key` is the object key in the company's store, always set, so the
app can ask for a fresh link; `pdf_url` is a presigned S3 link valid until
`pdf_url_expires_at` (`S3_LINK_EXPIRY_HOURS`, 168 h = 7 days by default, the most S3
allows). With the local store there is no link a phone could open: `pdf_url` and
`pdf_url_expires_at` are `null` and the text says the master has the document — a
`file://` path never reaches a client. For the client app's developers: docs/client-messages.md.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from privet_tui.db.models.clients import MasterClient
from privet_tui.db.models.support import SupportMessage, SupportTicket
from privet_tui.errors import NotFoundError, ValidationError
from privet_tui.pdf.glyphs import describe_char, first_unprintable
from privet_tui.services import audit
from privet_tui.services.actor import Actor
from privet_tui.services.broadcast import notify
from privet_tui.services.channels import TICKETS_CHANNEL
from privet_tui.storage.base import ObjectStore, SharedLink

__all__ = [
    "CHANNEL",
    "MAX_MESSAGE_LENGTH",
    "PAYLOAD_TYPES",
    "TICKET_SUBJECT",
    "ChatMessage",
    "clean_message",
    "conversation",
    "document_fields",
    "open_ticket",
    "post_message",
    "post_support_reply",
    "tell_contract_voided",
]

CHANNEL = "master"
TICKET_SUBJECT = "Подключение к сервису «Привет»"
PAYLOAD_TYPES = (
    "contract_otp",
    "contract_code_revoked",
    "contract_voided",
    "contract_signed",
    "payment_received",
    "invoice",
    "onboarding_cancelled",
)
MAX_MESSAGE_LENGTH = 4000
#: What the master sees instead of a contract code in the conversation.
CODE_MASK = "••••••"
_ALLOWED_CONTROL = frozenset("\n")


@dataclass(frozen=True)
class ChatMessage:
    """One message of the client's conversation as the master's card shows it."""

    id: int
    ticket_id: int
    at: datetime
    author: str
    body: str
    payload_type: str | None


def open_ticket(session: Session, user_id: int) -> int:
    """Return the id of the user's open master-channel ticket, creating it if absent."""
    # A transaction-scoped lock: two masters posting at once create one ticket, not two.
    session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"privet_tui.support_ticket:{user_id}"},
    )
    found = session.scalar(
        select(SupportTicket.id)
        .where(
            SupportTicket.user_id == user_id,
            SupportTicket.channel == CHANNEL,
            SupportTicket.status == "open",
        )
        .order_by(SupportTicket.id.desc())
        .limit(1)
    )
    if found is not None:
        return found
    ticket = SupportTicket(user_id=user_id, subject=TICKET_SUBJECT, channel=CHANNEL, status="open")
    session.add(ticket)
    session.flush()
    return ticket.id


def post_message(
    session: Session,
    user_id: int,
    body: str,
    payload: dict[str, Any] | None,
    *,
    author: str = "system",
) -> int:
    """Append a support/system message to the user's ticket and wake live screens."""
    if author not in ("support", "system"):
        raise ValueError(f"author must be 'support' or 'system', not {author!r}")
    if payload is not None and payload.get("type") not in PAYLOAD_TYPES:
        raise ValueError(f"unknown payload type {payload.get('type')!r}")
    ticket_id = open_ticket(session, user_id)
    message = SupportMessage(ticket_id=ticket_id, author=author, body=body, payload=payload)
    session.add(message)
    session.flush()
    session.execute(
        update(SupportTicket).where(SupportTicket.id == ticket_id).values(updated_at=func.now())
    )
    notify(
        session,
        TICKETS_CHANNEL,
        {"ticket_id": ticket_id, "user_id": user_id, "message_id": message.id},
    )
    return message.id


def conversation(
    session: Session, user_id: int, *, after_id: int | None = None
) -> list[ChatMessage]:
    """The user's master-channel messages (client replies included), oldest first; contract
    codes are masked, as the master must never see them."""
    query = (
        select(SupportMessage)
        .join(SupportTicket, SupportTicket.id == SupportMessage.ticket_id)
        .where(SupportTicket.user_id == user_id, SupportTicket.channel == CHANNEL)
        .order_by(SupportMessage.id)
    )
    if after_id is not None:
        query = query.where(SupportMessage.id > after_id)
    return [
        ChatMessage(
            id=m.id,
            ticket_id=m.ticket_id,
            at=m.created_at,
            author=m.author,
            body=_masked_body(m.body, m.payload),
            payload_type=_payload_type(m.payload),
        )
        for m in session.scalars(query)
    ]


def post_support_reply(session: Session, actor: Actor, user_id: int, body: str) -> int:
    """Send a master's chat message to the client (author 'support') and log the action."""
    client_id = session.scalar(select(MasterClient.id).where(MasterClient.user_id == user_id))
    if client_id is None:
        raise NotFoundError("Клиент не найден: сначала возьмите его в работу")
    clean = clean_message(body)
    message_id = post_message(session, user_id, clean, None, author="support")
    audit.record_event(
        session,
        client_id,
        actor,
        "support.reply",
        "Сообщение клиенту в чат поддержки",
        {"message_id": message_id},
    )
    return message_id


def clean_message(raw: str) -> str:
    """Return a chat message trimmed, line breaks kept, tabs as spaces; control characters
    and characters the document font cannot print are refused (`ValidationError`, field
    "body"), as for every free text that reaches the client's chat or a PDF."""
    body = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\t", "    ").strip()
    if not body:
        raise ValidationError("Напишите сообщение", field="body")
    if len(body) > MAX_MESSAGE_LENGTH:
        raise ValidationError(
            f"Сообщение слишком длинное: не больше {MAX_MESSAGE_LENGTH} символов", field="body"
        )
    if any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in _ALLOWED_CONTROL for ch in body):
        raise ValidationError(
            "Сообщение содержит управляющие символы — наберите текст заново", field="body"
        )
    bad = first_unprintable(body)
    if bad is not None:
        raise ValidationError(
            f"Символ {describe_char(bad)} не поддерживается — замените его обычными буквами "
            "или удалите",
            field="body",
        )
    return body


def document_fields(
    store: ObjectStore | None, key: str
) -> tuple[SharedLink | None, dict[str, Any]]:
    """A stored document as a client's message refers to it: the link the client can open
    (None with the local store, or with no store at hand) and the payload fields `pdf_key`,
    `pdf_url`, `pdf_url_expires_at`."""
    shared = store.shareable_link(key) if store is not None else None
    return shared, {
        "pdf_key": key,
        "pdf_url": shared.url if shared else None,
        "pdf_url_expires_at": shared.expires_at.isoformat() if shared else None,
    }


def tell_contract_voided(
    session: Session, user_id: int, number: str, reason: str | None, at: datetime
) -> int:
    """Tell the client the contract `number` is void and its code dead («код больше не
    действует»); `reason` is what the client reads (None: no reason given)."""
    head = f"Договор № {number} аннулирован" + (f": {reason}." if reason else ".")
    body = f"{head}\nПрежний код больше не действует — не называйте его никому."
    payload = {
        "type": "contract_voided",
        "contract_number": number,
        "reason": reason,
        "voided_at": at.isoformat(),
    }
    return post_message(session, user_id, body, payload)


def _payload_type(payload: dict[str, Any] | None) -> str | None:
    kind = payload.get("type") if isinstance(payload, dict) else None
    return kind if isinstance(kind, str) else None


def _masked_body(body: str, payload: dict[str, Any] | None) -> str:
    """The body with a contract code replaced by a mask (the master never sees codes)."""
    if _payload_type(payload) != "contract_otp" or payload is None:
        return body
    code = payload.get("code")
    if isinstance(code, str) and code:
        return body.replace(code, CODE_MASK)
    return body
