"""The data side of the step-screen tests: a claimed client, people and tariff plans put in as
the client app and `privet-tui demo` would, rows and messages read back as the client app
reads them, and JPEG files for the photo inbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import func, select, text

from privet_tui.db.engine import Database
from privet_tui.db.legacy import LegacyUser
from privet_tui.db.models.clients import MasterClient
from privet_tui.db.models.support import SupportMessage, SupportTicket
from privet_tui.services.actor import Actor
from privet_tui.services.gateway import Gateway
from privet_tui.services.steps.tariff import ensure_default_tariffs


def claimed_client(gateway: Gateway, master: Actor, user_id: int) -> int:
    """Claim the person for `master` and return the client id."""
    card = gateway.claim_client(master, user_id)
    assert card.client_id is not None
    return card.client_id


def add_person(db: Database, last: str, first: str, middle: str | None = None) -> int:
    """A person in the legacy `users` table, as the client app would add them."""
    with db.transaction() as session:
        user = LegacyUser(
            last_name=last,
            first_name=first,
            middle_name=middle,
            phone="+79161234567",
            email="person@example.ru",
        )
        session.add(user)
        session.flush()
        return int(user.id)


def seed_tariffs(db: Database) -> None:
    """The built-in tariff plans, as `privet-tui demo` adds them."""
    with db.transaction() as session:
        ensure_default_tariffs(session)


def client_row(db: Database, client_id: int) -> MasterClient:
    """The stored client row (detached, read-only)."""
    with db.reading() as session:
        row = session.get(MasterClient, client_id)
        assert row is not None
        session.expunge(row)
        return row


def latest_payload(db: Database, user_id: int) -> dict[str, Any]:
    """The payload of the newest message in the person's ticket, as the client app reads it."""
    with db.reading() as session:
        payload = session.scalar(
            select(SupportMessage.payload)
            .join(SupportTicket, SupportTicket.id == SupportMessage.ticket_id)
            .where(SupportTicket.user_id == user_id)
            .order_by(SupportMessage.id.desc())
            .limit(1)
        )
    assert isinstance(payload, dict)
    return payload


def latest_code(db: Database, user_id: int) -> str:
    """The contract code exactly as the client sees it in the «Привет Супер» app."""
    payload = latest_payload(db, user_id)
    assert payload["type"] == "contract_otp"
    return str(payload["code"])


def count_rows(db: Database, model: Any, **where: Any) -> int:
    """How many rows of `model` match the equality filters."""
    with db.reading() as session:
        stmt = select(func.count()).select_from(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return int(session.scalar(stmt) or 0)


def make_jpeg(path: Path, size: tuple[int, int] = (320, 200), colour: str = "red") -> Path:
    """Write a small JPEG with a gradient so that two colours give two different photos."""
    image = Image.new("RGB", size, colour)
    for x in range(size[0]):
        image.putpixel((x, 0), (x % 256, 0, 0))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG")
    return path


def demo_client(db: Database, where: str) -> tuple[int, Actor]:
    """The first demo client matching `where` (on `c`, the client) and its master."""
    with db.reading() as s:
        row = s.execute(
            text(
                "SELECT c.id, u.id, u.email, u.name, u.role FROM master_clients c"
                " JOIN master_users u ON u.id = c.assigned_master_id"
                f" WHERE {where} ORDER BY c.id LIMIT 1"
            )
        ).one()
    return row[0], Actor(id=row[1], email=row[2], name=row[3], role=row[4])


#: The demo's client with a tariff applied and no contract yet: ready for step 5.
READY_FOR_CONTRACT = (
    "c.status = 'in_progress'"
    " AND EXISTS (SELECT 1 FROM master_client_tariffs t WHERE t.client_id = c.id)"
    " AND NOT EXISTS (SELECT 1 FROM master_contracts k WHERE k.client_id = c.id)"
)
