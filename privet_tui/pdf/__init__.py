"""PDF documents of the workflow (service contract, invoice), rendered with fpdf2 from plain
data in the bundled DejaVu fonts; this package knows nothing of the database or the UI."""

from __future__ import annotations

from privet_tui.pdf.contract import contract_title, render_contract
from privet_tui.pdf.documents import (
    SCHEMA_VERSION,
    ChargeLine,
    ClientData,
    Company,
    ContractDocument,
    DeviceLine,
    InvoiceDocument,
    PassportData,
    SignatureEvidence,
)
from privet_tui.pdf.invoice import VAT_NOTE, invoice_title, render_invoice
from privet_tui.pdf.layout import FontError, check_fonts, font_paths
from privet_tui.pdf.words import amount_in_words

__all__ = [
    "SCHEMA_VERSION",
    "VAT_NOTE",
    "ChargeLine",
    "ClientData",
    "Company",
    "ContractDocument",
    "DeviceLine",
    "FontError",
    "InvoiceDocument",
    "PassportData",
    "SignatureEvidence",
    "amount_in_words",
    "check_fonts",
    "contract_title",
    "font_paths",
    "invoice_title",
    "render_contract",
    "render_invoice",
]
