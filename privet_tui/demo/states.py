"""Demo clients in every status, driven through the gateway the TUI uses.

The first applicants of the demo are walked through the steps by the demo masters: one
just claimed, one at each later step, one awaiting signature, one signed, one paid, two
processed and one cancelled; the rest stay «Новые». The OTP is read back from the support
ticket, exactly as the client's app would show it.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.db.legacy import LegacyUser
from privet_tui.db.models.masters import MasterUser
from privet_tui.db.models.support import SupportMessage, SupportTicket
from privet_tui.seal_files import ensure_seal
from privet_tui.services.actor import Actor
from privet_tui.services.clients import claims
from privet_tui.services.gateway import Gateway, open_gateway
from privet_tui.services.rules.catalog import DeviceInput
from privet_tui.services.rules.passport import PassportInput
from privet_tui.services.rules.validation import ContactInput
from privet_tui.services.steps.payment import PaymentInput

#: How far each demo client goes, in order of the seeded users.
PLAN = (
    "contacts",
    "passport",
    "devices",
    "tariff",
    "awaiting_signature",
    "signed",
    "paid",
    "processed",
    "processed",
    "cancelled",
    "claimed",
)
_ORDER = ("claimed", "contacts", "passport", "devices", "tariff", "awaiting_signature")
_ADDRESSES = (
    "г. Москва, ул. Лесная, д. 12, кв. 34",
    "г. Москва, Ленинградский пр-т, д. 80, корп. 2, кв. 7",
    "г. Химки, ул. Московская, д. 5, кв. 101",
    "г. Москва, ул. Профсоюзная, д. 43, кв. 18",
)
_DEMO_DEVICES = (
    DeviceInput("tv", "Samsung", "UE55AU7100", "SN0455120"),
    DeviceInput("fridge", "Атлант", "ХМ-4626", None),
    DeviceInput("ac", "Haier", "AS25S2SF1FA", "HR-77120"),
)


def seed_states(db: Database, settings: Settings) -> None:
    """Walk the first demo applicants through the workflow (called once, when seeding).

    The demo seals its documents as production does: with the configured seal, else the
    data dir's self-signed one, made here when there is none yet."""
    ensure_seal(settings)
    door = open_gateway(settings, database=db)
    with db.reading() as session:
        masters = [
            Actor(id=m.id, email=m.email, name=m.name, role=m.role)
            for m in session.scalars(
                select(MasterUser).where(MasterUser.role == "master").order_by(MasterUser.id)
            )
        ]
        user_ids = list(session.scalars(select(LegacyUser.id).order_by(LegacyUser.id)))
    tariff_id = door.list_tariffs()[1].id
    for index, (user_id, goal) in enumerate(zip(user_ids, PLAN, strict=False)):
        actor = masters[index % len(masters)]
        _walk(door, actor, user_id, goal, tariff_id, index)


def _walk(door: Gateway, actor: Actor, user_id: int, goal: str, tariff_id: int, index: int) -> None:
    """Take one applicant as far as `goal` through the gateway, one transaction per step, as
    a master at the TUI would."""
    card = door.claim_client(actor, user_id)
    client_id = card.client_id
    assert client_id is not None

    def version() -> int:
        found = door.client_card_by_id(actor, client_id).version
        assert found is not None
        return found

    if goal == "cancelled":
        door.call(claims.cancel_client, actor, client_id, "Клиент передумал", version())
        return
    reach = _ORDER.index(goal) if goal in _ORDER else len(_ORDER)
    if reach >= 1:
        name = card.app_full_name or "Клиент Демо"
        form = ContactInput(
            full_name=name if len(name.split()) >= 2 else f"{name} Демо",
            phone=card.app_phone or "+79160000000",
            email=card.app_email or f"client{user_id}@example.ru",
            address=_ADDRESSES[index % len(_ADDRESSES)],
        )
        door.save_contacts(actor, client_id, version(), form)
    if reach >= 2:
        passport = PassportInput(
            series=f"45 {10 + index:02d}",
            number=f"{123456 + index * 7919:06d}"[-6:],
            issue_date="15.03.2015",
            issued_by="ГУ МВД России по г. Москве",
            department_code="770-001",
            birth_date=f"{1 + index % 27:02d}.0{1 + index % 9}.198{index % 10}",
            birth_place="г. Москва",
            registration_address=_ADDRESSES[index % len(_ADDRESSES)],
        )
        door.save_passport(actor, client_id, version(), passport)
    if reach >= 3:
        for device in _DEMO_DEVICES[: 1 + index % len(_DEMO_DEVICES)]:
            door.add_device(actor, client_id, version(), device)
    if reach >= 4:
        door.apply_tariff(actor, client_id, version(), tariff_id)
    if reach >= 5:
        door.generate_contract(actor, client_id, version())
    if goal in _ORDER:
        return
    door.confirm_signature(actor, client_id, door.read(_code_from_ticket, user_id))
    if goal == "signed":
        return
    contract = door.client_card_by_id(actor, client_id).contract
    assert contract is not None
    method = ("cash", "card", "transfer")[index % 3]
    receipt = f"ЧЕК-{1000 + index}"
    door.confirm_payment(
        actor,
        client_id,
        version(),
        PaymentInput(method=method, amount=contract.total_due, receipt=receipt),
    )
    if goal == "paid":
        return
    door.issue_invoice(actor, client_id, version())


def _code_from_ticket(session: Session, user_id: int) -> str:
    """The newest OTP sent to the client, read from the ticket as the client app does."""
    payload = session.scalar(
        select(SupportMessage.payload)
        .join(SupportTicket, SupportTicket.id == SupportMessage.ticket_id)
        .where(
            SupportTicket.user_id == user_id,
            func.jsonb_extract_path_text(SupportMessage.payload, "type") == "contract_otp",
        )
        .order_by(SupportMessage.id.desc())
        .limit(1)
    )
    assert payload is not None
    return str(payload["code"])
