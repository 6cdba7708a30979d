"""Step 4 on a real PostgreSQL: tariff plans (defaults, import by code), the live quote and the
calculation fixed for a client, in Decimal to the kopeck."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from privet_tui.db.engine import Database
from privet_tui.db.models.billing import MasterClientTariff
from privet_tui.db.models.clients import MasterClient
from privet_tui.db.models.support import MasterSupportMessage
from privet_tui.errors import ConflictError, NotFoundError, StateError, ValidationError
from privet_tui.services.actor import Actor
from privet_tui.services.clients.card import client_card
from privet_tui.services.clients.claims import claim_client
from privet_tui.services.rules.catalog import DeviceInput
from privet_tui.services.rules.pricing import DEFAULT_TARIFFS, TariffPlan
from privet_tui.services.steps import tariff as tariffs
from privet_tui.services.steps.devices import add_device

ODD = TariffPlan(
    code="odd",
    name="Копеечный",
    monthly_fee=Decimal("100.50"),
    included_devices=0,
    extra_device_fee=Decimal("333.33"),
    category_fees={},
    activation_fee=Decimal("0.01"),
)


@pytest.fixture
def client_id(db: Database, master: Actor, user_id: int) -> int:
    with db.transaction() as s:
        found = claim_client(s, master, user_id).client_id
        tariffs.ensure_default_tariffs(s)
    assert found is not None
    return found


def _ids(db: Database) -> dict[str, int]:
    with db.reading() as s:
        return {row.plan.code: row.id for row in tariffs.list_tariffs(s, active_only=False)}


def _version(db: Database, client_id: int) -> int:
    with db.reading() as s:
        return s.scalar(select(MasterClient.version).where(MasterClient.id == client_id)) or 0


def _add_devices(db: Database, master: Actor, client_id: int, *categories: str) -> int:
    version = _version(db, client_id)
    with db.transaction() as s:
        for n, category in enumerate(categories):
            device = DeviceInput(category, "Марка", f"Модель {n}")
            version = add_device(s, master, client_id, version, device).version
    return version


def test_defaults_and_import_upsert_by_code(db: Database) -> None:
    with db.transaction() as s:
        assert tariffs.ensure_default_tariffs(s) == 3
        assert tariffs.ensure_default_tariffs(s) == 0
        listed = tariffs.list_tariffs(s)
    assert [r.plan.code for r in listed] == ["basic", "standard", "premium"]
    assert listed[0].plan == DEFAULT_TARIFFS[0]
    retired = replace(DEFAULT_TARIFFS[0], active=False, extra_device_fee=Decimal("350.00"))
    with db.transaction() as s:
        assert tariffs.import_tariffs(s, [retired, ODD]) == (1, 1)
        assert tariffs.ensure_default_tariffs(s) == 0  # never overwrites an operator's plan
    with db.reading() as s:
        active = tariffs.list_tariffs(s)
        everything = tariffs.list_tariffs(s, active_only=False)
    assert [r.plan.code for r in active] == ["odd", "standard", "premium"]
    assert active[0].plan == ODD
    basic = next(r.plan for r in everything if r.plan.code == "basic")
    assert (basic.active, basic.extra_device_fee) == (False, Decimal("350.00"))
    assert basic.category_fees == {"ac": Decimal("500.00")}
    with pytest.raises(ValidationError), db.transaction() as s:
        tariffs.import_tariffs(s, [ODD, ODD])


def test_quote_is_live_and_apply_fixes_totals_in_decimal(
    db: Database, master: Actor, client_id: int
) -> None:
    version = _add_devices(db, master, client_id, "tv", "fridge", "ac")
    ids = _ids(db)
    with db.reading() as s:
        quote = tariffs.quote_for_client(s, master, client_id, ids["basic"])
    assert _version(db, client_id) == version  # a quote writes nothing
    assert [(line.label, line.quantity, line.amount) for line in quote.lines] == [
        ("Подключение по тарифу «Базовый»", 1, Decimal("990.00")),
        ("Устройство в тарифе: Кондиционер", 1, Decimal("0.00")),
        ("Устройство в тарифе: Телевизор", 1, Decimal("0.00")),
        ("Дополнительное устройство: Холодильник", 1, Decimal("300.00")),
    ]
    with db.transaction() as s:
        applied = tariffs.apply_tariff(s, master, client_id, version, ids["basic"])
    assert applied == quote
    assert (applied.total, applied.monthly_fee) == (Decimal("1290.00"), Decimal("490.00"))
    with db.reading() as s:
        row = s.scalars(select(MasterClientTariff)).one()
        assert (row.surcharge, row.monthly_fee) == (Decimal("1290.00"), Decimal("490.00"))
        assert isinstance(row.surcharge, Decimal)
        assert row.breakdown["total"] == "1290.00"
        assert row.breakdown["tariff"]["code"] == "basic"
        assert row.breakdown["tariff"]["category_fees"] == {"ac": "500.00"}
        card = client_card(s, master, client_id=client_id)
        events = s.scalars(
            select(MasterSupportMessage.body).where(MasterSupportMessage.action == "tariff.applied")
        ).all()
    assert card.tariff is not None
    assert card.tariff.quote == quote
    assert card.tariff.name == "Базовый"
    assert card.steps[3].state == "done"
    assert card.version == version + 1
    assert [body.replace("\xa0", " ") for body in events] == [
        "Применён тариф «Базовый»: доплата 1 290,00 ₽, абонентская плата 490,00 ₽ в месяц"
    ]


def test_odd_kopecks_add_up_exactly(db: Database, master: Actor, client_id: int) -> None:
    with db.transaction() as s:
        tariffs.import_tariffs(s, [ODD])
    version = _add_devices(db, master, client_id, "tv", "tv", "router")
    with db.transaction() as s:
        quote = tariffs.apply_tariff(s, master, client_id, version, _ids(db)["odd"])
    assert quote.total == Decimal("1000.00")
    assert str(quote.total) == "1000.00"
    with db.reading() as s:
        stored = tariffs.applied_tariff(s, client_id)
    assert stored is not None
    assert stored.quote.total == Decimal("1000.00")
    assert stored.quote.monthly_fee == Decimal("100.50")


def test_apply_rules(db: Database, master: Actor, client_id: int) -> None:
    ids = _ids(db)
    with pytest.raises(StateError, match="устройство"), db.transaction() as s:
        tariffs.apply_tariff(s, master, client_id, 1, ids["basic"])
    version = _add_devices(db, master, client_id, "tv")
    with db.transaction() as s:
        tariffs.import_tariffs(s, [replace(DEFAULT_TARIFFS[2], active=False)])
    with pytest.raises(ValidationError, match="Премиум"), db.transaction() as s:
        tariffs.apply_tariff(s, master, client_id, version, ids["premium"])
    with pytest.raises(NotFoundError), db.transaction() as s:
        tariffs.apply_tariff(s, master, client_id, version, 999_999)
    with pytest.raises(ConflictError, match="обновите"), db.transaction() as s:
        tariffs.apply_tariff(s, master, client_id, version - 1, ids["basic"])
    assert _version(db, client_id) == version

    with db.transaction() as s:
        tariffs.apply_tariff(s, master, client_id, version, ids["basic"])
        again = tariffs.apply_tariff(s, master, client_id, version + 1, ids["basic"])
        assert again.total == Decimal("990.00")
    assert _version(db, client_id) == version + 1  # the same calculation again writes nothing
    with db.transaction() as s:
        tariffs.apply_tariff(s, master, client_id, version + 1, ids["standard"])
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(MasterClientTariff)) == 1
        stored = tariffs.applied_tariff(s, client_id)
    assert stored is not None
    assert (stored.code, stored.quote.total) == ("standard", Decimal("1490.00"))


def test_changing_a_plan_keeps_the_applied_snapshot(
    db: Database, master: Actor, client_id: int
) -> None:
    version = _add_devices(db, master, client_id, "ac", "ac", "ac")
    with db.transaction() as s:
        tariffs.apply_tariff(s, master, client_id, version, _ids(db)["basic"])
        dearer = replace(DEFAULT_TARIFFS[0], name="Базовый 2027", activation_fee=Decimal("5000"))
        tariffs.import_tariffs(s, [dearer])
    with db.reading() as s:
        stored = tariffs.applied_tariff(s, client_id)
    assert stored is not None
    assert (stored.name, stored.quote.total) == ("Базовый", Decimal("1490.00"))
