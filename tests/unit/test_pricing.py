"""Money, tariff plans and the surcharge: exact Decimal arithmetic and the included-device rule."""

from __future__ import annotations

import contextlib
import itertools
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from privet_tui.errors import ValidationError
from privet_tui.services.rules.catalog import DEVICE_CATEGORIES
from privet_tui.services.rules.pricing import (
    DEFAULT_TARIFFS,
    MAX_AMOUNT,
    Quote,
    QuoteLine,
    TariffPlan,
    calculate_surcharge,
    device_fee,
    format_money,
    money,
)

NBSP = "\u00a0"

# --- money ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1490, "1490.00"),
        ("1490", "1490.00"),
        (" 1490.5 ", "1490.50"),
        ("1490,5", "1490.50"),
        ("1 490,50", "1490.50"),
        (f"1{NBSP}490,50", "1490.50"),
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        ("-0.005", "-0.01"),
        ("-0.004", "0.00"),
        (Decimal("2.675"), "2.68"),
        (Decimal("1E+3"), "1000.00"),
        (Decimal("-0"), "0.00"),
        (MAX_AMOUNT, "9999999999.99"),
    ],
)
def test_money_rounds_half_up_to_kopecks(value: Decimal | int | str, expected: str) -> None:
    result = money(value)
    assert str(result) == expected
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "value",
    [1.5, True, None, "NaN", "inf", "-Infinity", "sNaN", "1e3", "abc", "", "1.2.3", "1,2,3",
     "١٢", "+5", Decimal("NaN"), Decimal("Infinity"), Decimal("sNaN")],
)  # fmt: skip
def test_money_refuses_non_numbers(value: object) -> None:
    with pytest.raises(ValidationError, match="числом"):
        money(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value", ["10000000000", Decimal("9999999999.995"), 10**30, "-1" + "0" * 12]
)
def test_money_refuses_amounts_beyond_numeric_12_2(value: Decimal | int | str) -> None:
    with pytest.raises(ValidationError, match="большая"):
        money(value)


def test_money_field_is_reported() -> None:
    with pytest.raises(ValidationError) as info:
        money("x", field="amount")
    assert info.value.field == "amount"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("12345.5"), f"12{NBSP}345,50{NBSP}₽"),
        (Decimal("0"), f"0,00{NBSP}₽"),
        (Decimal("999"), f"999,00{NBSP}₽"),
        (Decimal("1000"), f"1{NBSP}000,00{NBSP}₽"),
        (Decimal("1234567.555"), f"1{NBSP}234{NBSP}567,56{NBSP}₽"),
        (Decimal("-1000.1"), f"-1{NBSP}000,10{NBSP}₽"),
        (Decimal("-0.001"), f"0,00{NBSP}₽"),
    ],
)
def test_format_money(value: Decimal, text: str) -> None:
    assert format_money(value) == text


def test_formatted_money_is_single_width_in_a_terminal() -> None:
    text = format_money(Decimal("12345.5"))
    assert cell_len(text) == len(text)
    assert cell_len("₽") == 1


@given(st.text())
def test_money_raises_only_validation_error_on_text(value: str) -> None:
    with contextlib.suppress(ValidationError):
        money(value)


@given(
    st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False),
        st.integers(),
        st.decimals(allow_nan=False, allow_infinity=False).map(str),
    )
)
def test_money_is_idempotent_with_two_decimals(value: Decimal | int | str) -> None:
    try:
        result = money(value)
    except ValidationError:
        return
    assert result.as_tuple().exponent == -2
    assert money(result) == result
    assert str(money(result)) == str(result)
    assert abs(result - Decimal(value)) <= Decimal("0.005")
    assert money(format_money(result).replace("₽", "")) == result


# --- tariff plans ---------------------------------------------------------------------


def plan(**overrides: object) -> TariffPlan:
    fields: dict[str, object] = {
        "code": "test",
        "name": "Тест",
        "monthly_fee": Decimal("100"),
        "included_devices": 1,
        "extra_device_fee": Decimal("300"),
        "category_fees": {"ac": Decimal("500"), "router": Decimal("50")},
        "activation_fee": Decimal("990"),
    }
    fields.update(overrides)
    return TariffPlan(**fields)  # type: ignore[arg-type]


def test_plan_amounts_are_quantized_and_fees_frozen() -> None:
    p = plan(monthly_fee=Decimal("100"), category_fees={"router": "50", "ac": 500})
    assert str(p.monthly_fee) == "100.00"
    assert list(p.category_fees) == ["ac", "router"]  # catalog order
    assert p.category_fees["ac"] == Decimal("500.00")
    with pytest.raises(TypeError):
        p.category_fees["tv"] = Decimal(1)  # type: ignore[index]
    assert hash(p) == hash(plan())
    assert p == plan()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"code": ""}, "code"),
        ({"code": "has space"}, "code"),
        ({"name": " "}, "name"),
        ({"included_devices": -1}, "included_devices"),
        ({"included_devices": True}, "included_devices"),
        ({"monthly_fee": Decimal("-1")}, "negative"),
        ({"activation_fee": Decimal("1.005")}, "decimal places"),
        ({"extra_device_fee": 1.5}, "числом"),
        ({"category_fees": {"toaster": Decimal(1)}}, "unknown device category"),
        ({"category_fees": {"ac": Decimal("-5")}}, "negative"),
        ({"active": "yes"}, "active"),
    ],
)
def test_plan_invariants(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        plan(**overrides)


def test_default_tariffs() -> None:
    assert [p.name for p in DEFAULT_TARIFFS] == ["Базовый", "Стандарт", "Премиум"]
    assert len({p.code for p in DEFAULT_TARIFFS}) == 3
    assert all(p.active for p in DEFAULT_TARIFFS)
    fees = [p.monthly_fee for p in DEFAULT_TARIFFS]
    assert fees == sorted(fees)


# --- the surcharge --------------------------------------------------------------------


def test_surcharge_lines_and_labels() -> None:
    basic = DEFAULT_TARIFFS[0]
    quote = calculate_surcharge(basic, ["tv", "ac", "tv", "fridge", "ac"])
    assert [(line.label, line.quantity, str(line.unit_price), str(line.amount))
            for line in quote.lines] == [
        ("Подключение по тарифу «Базовый»", 1, "990.00", "990.00"),
        ("Устройство в тарифе: Кондиционер", 2, "0.00", "0.00"),
        ("Дополнительное устройство: Телевизор", 2, "300.00", "600.00"),
        ("Дополнительное устройство: Холодильник", 1, "300.00", "300.00"),
    ]  # fmt: skip
    assert quote.total == Decimal("1890.00")
    assert quote.monthly_fee == Decimal("490.00")


def test_most_expensive_devices_are_included() -> None:
    quote = calculate_surcharge(plan(included_devices=1), ["router", "tv", "ac"])
    assert quote.total == Decimal("990.00") + Decimal("300.00") + Decimal("50.00")
    assert quote.lines[1].label == "Устройство в тарифе: Кондиционер"
    assert [line.label for line in quote.lines[2:]] == [
        "Дополнительное устройство: Телевизор",
        "Дополнительное устройство: Роутер",
    ]


def test_equal_fees_are_included_in_catalog_order() -> None:
    quote = calculate_surcharge(plan(included_devices=1, category_fees={}), ["coffee", "tv"])
    assert quote.lines[1].label == "Устройство в тарифе: Телевизор"
    assert quote.lines[2].label == "Дополнительное устройство: Кофемашина"


def test_no_devices_means_activation_only() -> None:
    quote = calculate_surcharge(plan(activation_fee=Decimal(0)), [])
    assert len(quote.lines) == 1
    assert quote.total == Decimal("0.00")


def test_devices_within_the_plan_cost_nothing_extra() -> None:
    quote = calculate_surcharge(DEFAULT_TARIFFS[2], ["tv"] * 10)
    assert quote.total == Decimal("0.00")
    assert calculate_surcharge(DEFAULT_TARIFFS[2], ["tv"] * 11).total == Decimal("200.00")


def test_unknown_category_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        calculate_surcharge(plan(), ["tv", "toaster"])
    assert info.value.field == "category"


def test_quote_round_trips_through_json() -> None:
    quote = calculate_surcharge(DEFAULT_TARIFFS[1], ["ac"] * 4 + ["boiler", "tv", "tv"])
    stored = json.loads(json.dumps(quote.to_dict()))
    assert stored["total"] == str(quote.total)
    assert all(isinstance(line["amount"], str) for line in stored["lines"])
    assert Quote.from_dict(stored) == quote


@pytest.mark.parametrize(
    "broken",
    [
        {},
        {"lines": "x", "total": "0.00", "monthly_fee": "0.00"},
        {"lines": [], "total": "1.00", "monthly_fee": "0.00"},
        {"lines": [], "total": 0, "monthly_fee": "0.00"},
        {"lines": [], "total": "0.001", "monthly_fee": "0.00"},
        {"lines": [{"label": "x", "quantity": 1, "unit_price": "1.00"}], "total": "1.00",
         "monthly_fee": "0.00"},
        {"lines": [{"label": "x", "quantity": 2, "unit_price": "1.00", "amount": "1.00"}],
         "total": "1.00", "monthly_fee": "0.00"},
        {"lines": [{"label": "x", "quantity": 0, "unit_price": "1.00", "amount": "0.00"}],
         "total": "0.00", "monthly_fee": "0.00"},
        {"lines": [{"label": "", "quantity": 1, "unit_price": "1.00", "amount": "1.00"}],
         "total": "1.00", "monthly_fee": "0.00"},
    ],
)  # fmt: skip
def test_broken_stored_quotes_are_refused(broken: dict[str, object]) -> None:
    with pytest.raises(ValidationError, match="повреждён"):
        Quote.from_dict(broken)


def test_quote_line_amount_must_match() -> None:
    assert QuoteLine.of("x", 3, Decimal("0.10")).amount == Decimal("0.30")
    with pytest.raises(ValidationError):
        QuoteLine("x", 3, Decimal("0.10"), Decimal("0.31"))


# --- properties -----------------------------------------------------------------------

categories = st.sampled_from(list(DEVICE_CATEGORIES))
fees = st.decimals(min_value=0, max_value=100_000, places=2)
plans = st.builds(
    TariffPlan,
    code=st.just("p"),
    name=st.just("План"),
    monthly_fee=fees,
    included_devices=st.integers(min_value=0, max_value=6),
    extra_device_fee=fees,
    category_fees=st.dictionaries(categories, fees, max_size=5),
    activation_fee=fees,
)


@given(plans, st.lists(categories, max_size=12))
def test_total_is_the_sum_of_lines_and_never_negative(p: TariffPlan, devices: list[str]) -> None:
    quote = calculate_surcharge(p, devices)
    assert quote.total == sum(line.amount for line in quote.lines)
    assert quote.total >= 0
    assert sum(line.quantity for line in quote.lines[1:]) == len(devices)
    assert all(line.amount == line.unit_price * line.quantity for line in quote.lines)
    assert Quote.from_dict(json.loads(json.dumps(quote.to_dict()))) == quote


@given(plans, st.lists(categories, max_size=10), categories)
def test_adding_a_device_never_lowers_the_total(
    p: TariffPlan, devices: list[str], extra: str
) -> None:
    before = calculate_surcharge(p, devices).total
    assert calculate_surcharge(p, [*devices, extra]).total >= before


@given(plans, st.lists(categories, max_size=8), st.randoms())
def test_order_of_devices_does_not_matter(p: TariffPlan, devices: list[str], rnd: object) -> None:
    shuffled = list(devices)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert calculate_surcharge(p, shuffled) == calculate_surcharge(p, devices)


@given(plans, st.lists(categories, max_size=7))
def test_included_choice_is_the_cheapest_for_the_client(p: TariffPlan, devices: list[str]) -> None:
    charged = [device_fee(p, code) for code in devices]
    free = min(p.included_devices, len(devices))
    best = min(
        sum(charged) - sum(charged[i] for i in chosen)
        for chosen in itertools.combinations(range(len(devices)), free)
    )
    assert calculate_surcharge(p, devices).total == p.activation_fee + best
