"""Scanning for secrets: the forms a passport number may be written in, every OTP ever sent,
the audit tables and the log files as text, and which secrets occur in a text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select, text

from privet_tui.db.engine import Database
from privet_tui.db.models.support import SupportMessage
from tests.faults.workflow import PASSPORT_NUMBER, PASSPORT_SERIES


def passport_secrets() -> list[str]:
    """The forms the driven passport's number could be written in."""
    series, number = PASSPORT_SERIES, PASSPORT_NUMBER
    return [
        number,
        f"{series}{number}",
        f"{series} {number}",
        f"{series[:2]} {series[2:]} {number}",
    ]


def issued_codes(db: Database) -> list[str]:
    """Every OTP ever sent (from the client channel, where the codes belong)."""
    with db.reading() as session:
        payloads = session.scalars(
            select(SupportMessage.payload).where(
                SupportMessage.payload["type"].as_string() == "contract_otp"
            )
        ).all()
    return [str(p["code"]) for p in payloads if p]


def audit_text(db: Database) -> str:
    """The audit tables as text: the master-side log and the login attempts, every column."""
    with db.reading() as session:
        rows = [
            *session.scalars(text("SELECT row_to_json(t)::text FROM master_support_messages t")),
            *session.scalars(text("SELECT row_to_json(t)::text FROM master_support_threads t")),
            *session.scalars(text("SELECT row_to_json(t)::text FROM master_login_attempts t")),
        ]
    return "\n".join(rows)


def log_files_text(folder: Path) -> str:
    """Every log file in `folder` (rotated ones included)."""
    return "".join(p.read_text("utf-8", "replace") for p in sorted(folder.glob("*.log*")))


def secrets_in(haystack: str, secrets: Iterable[str]) -> list[str]:
    """The secrets that occur in `haystack` as whole numbers (not inside a longer one)."""
    return [s for s in secrets if re.search(rf"(?<![0-9]){re.escape(s)}(?![0-9])", haystack)]
