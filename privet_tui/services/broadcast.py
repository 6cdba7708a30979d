"""Live-update NOTIFY sent inside a transaction, below every service room that changes rows
(workflow, support), so each can wake the screens without importing the others."""

from __future__ import annotations

import json

from sqlalchemy import text
from sqlalchemy.orm import Session

from privet_tui.services.channels import ORIGIN_KEY

__all__ = ["notify"]


def notify(session: Session, channel: str, payload: dict[str, object]) -> None:
    """`pg_notify` inside the transaction: delivered only if it commits; the payload carries
    the transaction's `origin` when the gateway set one."""
    origin = session.info.get(ORIGIN_KEY)
    body = {**payload, "origin": origin} if origin else payload
    session.execute(
        text("SELECT pg_notify(:channel, :payload)"),
        {"channel": channel, "payload": json.dumps(body)},
    )
