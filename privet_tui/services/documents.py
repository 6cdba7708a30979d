"""The contract as a document: steps 1–4 snapshotted into `ContractDocument`, and the
company requisites in the form the PDFs print them."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from privet_tui.config import Settings
from privet_tui.db.models.billing import MasterClientTariff, MasterTariff
from privet_tui.db.models.clients import MasterClient, MasterDevice, MasterPassport
from privet_tui.errors import StateError
from privet_tui.pdf.documents import (
    ChargeLine,
    ClientData,
    CompanyRequisites,
    ContractDocument,
    DeviceLine,
    PassportDetails,
)
from privet_tui.services.actor import Actor
from privet_tui.services.rules import otp
from privet_tui.services.rules.catalog import category_label
from privet_tui.services.rules.passport import PassportData, passport_expired
from privet_tui.services.rules.pricing import Quote
from privet_tui.services.rules.validation import format_phone


def company_for_documents(settings: Settings) -> CompanyRequisites:
    """The configured requisites in the form the PDF documents print them."""
    return CompanyRequisites(
        **{f.name: getattr(settings.company, f.name) for f in fields(CompanyRequisites)}
    )


def build_contract_document(
    session: Session,
    client: MasterClient,
    actor: Actor,
    settings: Settings,
    number: str,
    moment: datetime,
) -> ContractDocument:
    """Snapshot steps 1–4 into the contract document, refusing while a step is missing."""
    passport = session.scalar(select(MasterPassport).where(MasterPassport.client_id == client.id))
    devices = session.scalars(
        select(MasterDevice).where(MasterDevice.client_id == client.id).order_by(MasterDevice.id)
    ).all()
    applied = session.scalar(
        select(MasterClientTariff).where(MasterClientTariff.client_id == client.id)
    )
    steps = {
        "Контакты": all((client.full_name, client.phone, client.email, client.address)),
        "Паспорт": passport is not None,
        "Устройства": bool(devices),
        "Тариф": applied is not None,
    }
    if missing := [label for label, done in steps.items() if not done]:
        raise StateError(f"Договор ещё нельзя сформировать: заполните шаги {', '.join(missing)}")
    assert passport is not None
    assert applied is not None
    held = PassportData(**{f.name: getattr(passport, f.name) for f in fields(PassportData)})
    if passport_expired(held, today=moment.astimezone(settings.zone).date()):
        raise StateError(
            "Договор нельзя сформировать: паспорт клиента просрочен (не заменён в 20 или 45 лет)"
            " — внесите на шаге «Паспорт» данные действующего паспорта"
        )
    assert client.full_name
    assert client.phone
    assert client.email
    assert client.address
    quote = Quote.from_dict(applied.breakdown)
    if quote.total != applied.surcharge:
        raise StateError("Расчёт тарифа не сходится с итогом — примените тариф заново")
    plan = applied.breakdown.get("tariff")
    tariff_name = plan.get("name") if isinstance(plan, dict) else None
    if not isinstance(tariff_name, str):
        tariff = session.get(MasterTariff, applied.tariff_id)
        tariff_name = tariff.name if tariff else "—"
    return ContractDocument(
        number=number,
        # The business zone, never the host's: the date printed is the same wherever it runs.
        created_at=moment.astimezone(settings.zone),
        city=settings.company.city,
        company=company_for_documents(settings),
        client=ClientData(
            full_name=client.full_name,
            phone=format_phone(client.phone),
            email=client.email,
            address=client.address,
            passport=PassportDetails(
                **{f.name: getattr(passport, f.name) for f in fields(PassportDetails)}
            ),
        ),
        master_name=actor.name,
        tariff_name=tariff_name,
        monthly_fee=applied.monthly_fee,
        devices=tuple(
            DeviceLine(category_label(d.category), d.brand, d.model, d.serial or "—")
            for d in devices
        ),
        charges=tuple(
            ChargeLine(line.label, line.quantity, line.unit_price, line.amount)
            for line in quote.lines
        ),
        total_due=applied.surcharge,
        otp_valid_minutes=int(otp.VALIDITY.total_seconds() // 60),
    )
