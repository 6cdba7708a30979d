"""A contract or an invoice by the number printed on it, for people who hold only the paper:
which object in the store is its PDF and the SHA-256 recorded when it was made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from privet_tui.db.models.billing import MasterContract, MasterInvoice
from privet_tui.services.rules.characters import normalize_separators

__all__ = ["StoredDocument", "find_document", "normalize_number"]


@dataclass(frozen=True)
class StoredDocument:
    """Where a document's PDF is: `kind` "contract" (the signed copy once signed, else the
    draft: `sealed` says which) or "invoice" (always sealed)."""

    kind: Literal["contract", "invoice"]
    number: str
    client_id: int
    key: str
    sha256: str
    sealed: bool
    #: The contract's status (`awaiting_signature`, `signed`, `paid`, `voided`) or "issued".
    status: str


def normalize_number(text: str) -> str:
    """The number as stored: separators made plain as every field makes them (pasted dashes
    become hyphens), no spaces, upper case."""
    return "".join(normalize_separators(text).split()).upper()


def find_document(session: Session, number: str) -> StoredDocument | None:
    """The contract or invoice numbered `number` (typed as people type it), or None."""
    wanted = normalize_number(number)
    contract = session.scalar(select(MasterContract).where(MasterContract.number == wanted))
    if contract is not None:
        key, sha, sealed = contract.draft_key, contract.draft_sha256, False
        if contract.signed_key is not None and contract.signed_sha256 is not None:
            key, sha, sealed = contract.signed_key, contract.signed_sha256, True
        return StoredDocument(
            "contract", contract.number, contract.client_id, key, sha, sealed, contract.status
        )
    invoice = session.scalar(select(MasterInvoice).where(MasterInvoice.number == wanted))
    if invoice is None:
        return None
    return StoredDocument(
        "invoice",
        invoice.number,
        invoice.client_id,
        invoice.pdf_key,
        invoice.pdf_sha256,
        True,
        "issued",
    )
