"""Object keys: the only place they are built (`photo_key`, `contract_key`, `invoice_key`,
the phone-upload keys),
so every module agrees on them, and the rules a key must keep in both backends (Cyrillic is
fine: S3 URL-encodes it, the local store writes UTF-8 file names)."""

from __future__ import annotations

import unicodedata
import uuid
from typing import Final

__all__ = [
    "PDF_TYPE",
    "PHONE_FORM_ROOT",
    "PHONE_PAGE_KEY",
    "PHONE_UPLOAD_ROOT",
    "TEMP_PREFIX",
    "contract_key",
    "invoice_key",
    "phone_form_key",
    "phone_upload_prefix",
    "photo_key",
    "validate_key",
    "validate_prefix",
]

#: Content type of the contract and invoice documents.
PDF_TYPE: Final = "application/pdf"
#: Names of in-flight temporary files in the local store; keys may not use the prefix.
TEMP_PREFIX: Final = ".privet-tmp-"
_MAX_KEY_BYTES: Final = 1024
#: The upload page phones open: the only object besides the per-link forms that anyone may
#: read without credentials (one letter, to keep the link and its QR code small).
PHONE_PAGE_KEY: Final = "u"
#: Per-link form fields (`u/<token>`), readable by whoever holds the unguessable token.
PHONE_FORM_ROOT: Final = "u/"
#: Raw uploads from phones (`phone/{client_id}/{device_id}/{link_id}/…`): never public.
PHONE_UPLOAD_ROOT: Final = "phone/"


def photo_key(client_id: int, device_id: int, photo_uuid: str | uuid.UUID) -> str:
    """Key of a device photo: `clients/{client_id}/devices/{device_id}/{uuid}.jpg`."""
    canonical = photo_uuid if isinstance(photo_uuid, uuid.UUID) else uuid.UUID(photo_uuid)
    return f"clients/{_id(client_id)}/devices/{_id(device_id)}/{canonical}.jpg"


def phone_upload_prefix(client_id: int, device_id: int, link_id: str | None = None) -> str:
    """Where phones upload for a device: `phone/{client_id}/{device_id}/`, or one link's own
    folder below it when `link_id` (lowercase hex) is given."""
    prefix = f"{PHONE_UPLOAD_ROOT}{_id(client_id)}/{_id(device_id)}/"
    if link_id is None:
        return prefix
    if not link_id or not all(ch in "0123456789abcdef" for ch in link_id):
        raise ValueError(f"a phone link id is lowercase hex, got {link_id!r}")
    return f"{prefix}{link_id}/"


def phone_form_key(token: str) -> str:
    """Key of one link's public form fields: `u/<token>` (token: URL-safe base64)."""
    allowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    if len(token) < 22 or any(ch not in allowed for ch in token):
        raise ValueError("a phone link token is at least 22 URL-safe base64 characters")
    return f"{PHONE_FORM_ROOT}{token}"


def contract_key(client_id: int, number: str, *, signed: bool) -> str:
    """Key of a contract PDF: `clients/{id}/contracts/{number}-draft.pdf` or `-signed.pdf`."""
    kind = "signed" if signed else "draft"
    return f"clients/{_id(client_id)}/contracts/{_document_number(number)}-{kind}.pdf"


def invoice_key(client_id: int, number: str) -> str:
    """Key of an invoice PDF: `clients/{client_id}/invoices/{number}.pdf`."""
    return f"clients/{_id(client_id)}/invoices/{_document_number(number)}.pdf"


def _id(value: int) -> int:
    """A positive database id (bool is refused: `True` is no client)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"an object key needs a positive integer id, got {value!r}")
    return value


def _document_number(number: str) -> str:
    """A contract or invoice number fit for one key segment, in NFC so the same text is one key."""
    normalized = unicodedata.normalize("NFC", number)
    if (
        not normalized
        or normalized != normalized.strip()
        or normalized in (".", "..")
        or "/" in normalized
        or "\\" in normalized
        or any(not ch.isprintable() for ch in normalized)
        or len(normalized) > 100
    ):
        raise ValueError(f"document number unfit for an object key: {number!r}")
    return normalized


def validate_key(key: str) -> str:
    """Return `key` if it is a clean relative path (no `..`, `\\`, empty parts); else ValueError."""
    if not key:
        raise ValueError("object key is empty")
    _validate_parts(key, key.split("/"))
    return key


def validate_prefix(prefix: str) -> str:
    """Like `validate_key`, but empty or ending in `/` is fine for a listing prefix."""
    if prefix:
        parts = prefix.split("/")
        _validate_parts(prefix, parts[:-1] if parts[-1] == "" else parts)
    return prefix


def _validate_parts(text: str, parts: list[str]) -> None:
    """Shared rules of keys and prefixes, so both backends accept exactly the same names."""
    if text.startswith("/") or "\\" in text:
        raise ValueError(f"object key must be relative and use '/': {text!r}")
    if any(not ch.isprintable() for ch in text):
        raise ValueError(f"object key has control characters: {text!r}")
    if len(text.encode("utf-8", "surrogatepass")) > _MAX_KEY_BYTES:
        raise ValueError("object key is longer than 1024 bytes")
    for part in parts:
        if part in ("", ".", ".."):
            raise ValueError(f"object key has an empty, '.' or '..' part: {text!r}")
        if part.startswith(TEMP_PREFIX):
            raise ValueError(f"object key uses a reserved name: {text!r}")
