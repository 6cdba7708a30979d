"""Driving one client through the workflow with the real services, one transaction per step
as the gateway runs them: the applicants and masters, the data every driven client gets, and
`drive()`, which walks a client from one step to another."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import insert

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.db.legacy import LegacyUser
from privet_tui.db.models.masters import MasterUser
from privet_tui.services.actor import Actor
from privet_tui.services.rules.catalog import DeviceInput
from privet_tui.services.rules.passport import PassportInput
from privet_tui.services.rules.validation import ContactInput
from privet_tui.services.steps import contract_signing
from privet_tui.storage.base import ObjectStore
from tests.faults.state import client_id_of, client_version, latest_code, total_due

#: The passport every driven client gets; the log scan looks for these digits (a number
#: unlikely to occur by chance in a log line).
PASSPORT_SERIES = "4608"
PASSPORT_NUMBER = "739146"
CONTACTS = ContactInput(
    "петров иван сергеевич", "8 916 123-45-67", "ivan@example.ru", "г. Москва, ул. Ленина, д. 1"
)
PASSPORT = PassportInput(
    series="46 08",
    number=PASSPORT_NUMBER,
    issue_date="15.06.2015",
    issued_by="ОВД района Хамовники г. Москвы",
    department_code="770-001",
    birth_date="05.03.1990",
    birth_place="г. Москва",
    registration_address="г. Москва, ул. Ленина, д. 1, кв. 2",
)
DEVICE = DeviceInput(category="tv", brand="LG", model="OLED55", serial="SN-0001")

#: The steps `drive()` knows, in workflow order.
STEPS = (
    "claimed",
    "contacts",
    "passport",
    "devices",
    "tariff",
    "contract",
    "signed",
    "paid",
    "invoiced",
)


# --- people ------------------------------------------------------------------------------


def add_people(db: Database, count: int, *, tag: str = "Тестов") -> list[int]:
    """Insert `count` applicants into the legacy `users` table in one statement."""
    rows = [
        {
            "last_name": f"{tag}{n}",
            "first_name": "Иван",
            "middle_name": "Петрович",
            "phone": f"+7916{n:07d}",
            "email": f"user{n}@example.ru",
        }
        for n in range(count)
    ]
    with db.transaction() as session:
        return list(session.scalars(insert(LegacyUser).returning(LegacyUser.id), rows))


def add_masters(
    db: Database,
    count: int,
    *,
    role: str = "master",
    tag: str = "m",
    password_hash: str | None = None,
) -> list[Actor]:
    """Insert `count` masters directly (without `password_hash`: no usable password)."""
    rows = [
        {
            "email": f"{tag}{n}@privet.local",
            "name": f"Мастер {tag.upper()}{n}",
            "password_hash": password_hash or "!",
            "role": role,
        }
        for n in range(count)
    ]
    with db.transaction() as session:
        found = session.execute(
            insert(MasterUser).returning(
                MasterUser.id, MasterUser.email, MasterUser.name, MasterUser.role
            ),
            rows,
        ).all()
    return [Actor(id=r.id, email=r.email, name=r.name, role=r.role) for r in found]


# --- driving a client through the workflow -------------------------------------------------


def first_tariff_id(session: Any) -> int:
    """The id of the first active built-in tariff (created when missing), in `session`."""
    from privet_tui.services.steps import tariff as tariffs

    tariffs.ensure_default_tariffs(session)
    return int(tariffs.list_tariffs(session)[0].id)


def default_tariff_id(db: Database) -> int:
    """`first_tariff_id` in a transaction of its own."""
    with db.transaction() as session:
        return first_tariff_id(session)


def step_action(
    step: str,
    db: Database,
    store: ObjectStore,
    settings: Settings,
    actor: Actor,
    user_id: int,
    *,
    tariff_id: int | None = None,
) -> None:
    """Do the one step that reaches `step` (from the step before it), in its own transaction."""
    from privet_tui.services.clients import claims as clients
    from privet_tui.services.steps import contacts, devices
    from privet_tui.services.steps import contract as contracts
    from privet_tui.services.steps import invoice as invoices
    from privet_tui.services.steps import passport as passports
    from privet_tui.services.steps import payment as payments
    from privet_tui.services.steps import tariff as tariffs

    if step == "claimed":
        with db.transaction() as s:
            clients.claim_client(s, actor, user_id)
        return
    client_id = client_id_of(db, user_id)
    version = client_version(db, client_id)
    with db.transaction() as s:
        if step == "contacts":
            contacts.save_contacts(s, actor, client_id, version, CONTACTS)
        elif step == "passport":
            passports.save_passport(s, actor, client_id, version, PASSPORT, today=date.today())
        elif step == "devices":
            devices.add_device(s, actor, client_id, version, DEVICE)
        elif step == "tariff":
            tariffs.apply_tariff(s, actor, client_id, version, tariff_id or first_tariff_id(s))
        elif step == "contract":
            contracts.generate_contract(s, actor, store, settings, client_id, version)
        elif step == "signed":
            code = latest_code(db, user_id)
            contract_signing.confirm_signature(s, actor, store, settings, client_id, code)
        elif step == "paid":
            due = total_due(db, client_id)
            payment = payments.PaymentInput(method="cash", amount=due, receipt="A-1")
            payments.confirm_payment(s, actor, settings, client_id, version, payment)
        elif step == "invoiced":
            invoices.issue_invoice(s, actor, store, settings, client_id, version)
        else:
            raise ValueError(f"unknown step {step!r}")


def drive(
    db: Database,
    store: ObjectStore,
    settings: Settings,
    actor: Actor,
    user_id: int,
    to: str,
    *,
    start: str | None = None,
    tariff_id: int | None = None,
) -> int:
    """Walk the user from after `start` (None: not claimed yet) up to step `to`; the client id."""
    first = 0 if start is None else STEPS.index(start) + 1
    for step in STEPS[first : STEPS.index(to) + 1]:
        step_action(step, db, store, settings, actor, user_id, tariff_id=tariff_id)
    return client_id_of(db, user_id)
