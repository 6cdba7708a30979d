"""Demo clients in every status, driven through the real workflow services.

The first applicants of the demo are walked through the steps by the demo masters: one
just claimed, one at each later step, one awaiting signature, one signed, one paid, two
processed and one cancelled; the rest stay «Новые». The OTP is read back from the support
ticket, exactly as the client's app would show it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.db.legacy import LegacyUser
from privet_tui.db.models.masters import MasterUser
from privet_tui.db.models.support import SupportMessage, SupportTicket
from privet_tui.services.actor import Actor
from privet_tui.services.clients import claims as clients
from privet_tui.services.clients.card import client_card
from privet_tui.services.rules.catalog import DeviceInput
from privet_tui.services.rules.passport import PassportInput
from privet_tui.services.rules.validation import ContactInput
from privet_tui.services.steps import contacts, contract_signing, devices
from privet_tui.services.steps import contract as contracts
from privet_tui.services.steps import invoice as invoices
from privet_tui.services.steps import passport as passports
from privet_tui.services.steps import payment as payments
from privet_tui.services.steps import tariff as tariffs
from privet_tui.storage.base import ObjectStore
from privet_tui.storage.factory import open_store

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
    """Walk the first demo applicants through the workflow (called once, when seeding)."""
    store = open_store(settings)
    with db.reading() as session:
        masters = [
            Actor(id=m.id, email=m.email, name=m.name, role=m.role)
            for m in session.scalars(select(MasterUser).order_by(MasterUser.id))
        ]
        user_ids = list(session.scalars(select(LegacyUser.id).order_by(LegacyUser.id)))
        tariff_id = tariffs.list_tariffs(session)[1].id
    for index, (user_id, goal) in enumerate(zip(user_ids, PLAN, strict=False)):
        actor = masters[index % len(masters)]
        _walk(db, store, settings, actor, user_id, goal, tariff_id, index)


def _walk(
    db: Database,
    store: ObjectStore,
    settings: Settings,
    actor: Actor,
    user_id: int,
    goal: str,
    tariff_id: int,
    index: int,
) -> None:
    """Take one applicant as far as `goal`, one service call (one transaction) per step."""

    def step(action: Callable[..., object]) -> None:
        with db.transaction() as session:
            action(session)

    with db.transaction() as session:
        card = clients.claim_client(session, actor, user_id)
    client_id = card.client_id
    assert client_id is not None

    def version() -> int:
        with db.reading() as session:
            found = client_card(session, actor, client_id=client_id).version
        assert found is not None
        return found

    if goal == "cancelled":
        step(lambda s: clients.cancel_client(s, actor, client_id, "Клиент передумал", version()))
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
        step(lambda s: contacts.save_contacts(s, actor, client_id, version(), form))
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
        step(
            lambda s: passports.save_passport(
                s, actor, client_id, version(), passport, today=date.today()
            )
        )
    if reach >= 3:
        for device in _DEMO_DEVICES[: 1 + index % len(_DEMO_DEVICES)]:
            step(lambda s, d=device: devices.add_device(s, actor, client_id, version(), d))
    if reach >= 4:
        step(lambda s: tariffs.apply_tariff(s, actor, client_id, version(), tariff_id))
    if reach >= 5:
        step(lambda s: contracts.generate_contract(s, actor, store, settings, client_id, version()))
    if goal in _ORDER:
        return
    code = _code_from_ticket(db, user_id)
    step(lambda s: contract_signing.confirm_signature(s, actor, store, settings, client_id, code))
    if goal == "signed":
        return
    with db.reading() as session:
        card = client_card(session, actor, client_id=client_id)
    assert card.contract is not None
    due: Decimal = card.contract.total_due
    method = ("cash", "card", "transfer")[index % 3]
    pay = payments.PaymentInput(method=method, amount=due, receipt=f"ЧЕК-{1000 + index}")
    step(lambda s: payments.confirm_payment(s, actor, settings, client_id, version(), pay))
    if goal == "paid":
        return
    step(lambda s: invoices.issue_invoice(s, actor, store, settings, client_id, version()))


def _code_from_ticket(db: Database, user_id: int) -> str:
    """The newest OTP sent to the client, read from the ticket as the client app does."""
    with db.reading() as session:
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
