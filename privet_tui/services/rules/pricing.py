"""Money and the one-time tariff surcharge, all in `Decimal` rounded ROUND_HALF_UP to kopecks,
so what the master shows, the contract states and the client pays are the same figures.

Surcharge rule (`calculate_surcharge`): activation fee + a fee for every device beyond the
plan's `included_devices`. A device's fee is its category fee when the plan sets one, else the
plan's `extra_device_fee`. The included (free) slots go to the most expensive devices first —
the cheapest ones are charged, which is the best the client can get — with ties broken by the
catalog order of categories, so the result never depends on the order devices were added.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any

from privet_tui.errors import ValidationError
from privet_tui.services.rules.catalog import DEVICE_CATEGORIES, category_label, validate_category

__all__ = [
    "DEFAULT_TARIFFS",
    "MAX_AMOUNT",
    "Quote",
    "QuoteLine",
    "TariffPlan",
    "calculate_surcharge",
    "device_fee",
    "format_money",
    "money",
]

_CENT = Decimal("0.01")
_ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("9999999999.99")  # the largest NUMERIC(12,2)
_AMOUNT_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_THIN_SPACES = str.maketrans("", "", " \u00a0\u202f")
_NBSP = "\u00a0"
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,49}")


def _parse_amount(value: Decimal | int | str, field: str | None) -> Decimal:
    """Return `value` as a finite, unrounded Decimal or refuse it."""
    wrong = ValidationError("Сумма должна быть числом, например 1490 или 1490,50", field=field)
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise wrong
    if isinstance(value, str):
        text = value.strip().translate(_THIN_SPACES)
        if "," in text and "." not in text:
            text = text.replace(",", ".", 1)
        if not _AMOUNT_TEXT.fullmatch(text):
            raise wrong
        amount = Decimal(text)
    else:
        amount = Decimal(value)
    if not amount.is_finite():
        raise wrong
    if abs(amount) > MAX_AMOUNT:
        raise ValidationError("Слишком большая сумма", field=field)
    return amount


def money(value: Decimal | int | str, *, field: str | None = None) -> Decimal:
    """Return `value` as roubles with exactly two decimals (ROUND_HALF_UP); refuse float, bool,
    NaN, infinity, text that is not a plain number and anything beyond NUMERIC(12,2)."""
    rounded = _parse_amount(value, field).quantize(_CENT, rounding=ROUND_HALF_UP)
    if abs(rounded) > MAX_AMOUNT:
        raise ValidationError("Слишком большая сумма", field=field)
    return rounded if rounded != 0 else _ZERO  # never "-0.00"


def format_money(d: Decimal) -> str:
    """Return `12 345,50 ₽` (no-break spaces), the form used on screens and in documents."""
    amount = money(d)
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{_NBSP.join(groups)},{cents}{_NBSP}₽"


def _exact_fee(value: Any, what: str) -> Decimal:
    """Return a non-negative amount that already has at most two decimals (no silent rounding)."""
    exact = _parse_amount(value, None)
    amount = money(exact)
    if exact != amount:
        raise ValidationError(f"{what}: more than two decimal places: {value}")
    if amount < 0:
        raise ValidationError(f"{what}: must not be negative: {value}")
    return amount


@dataclass(frozen=True)
class TariffPlan:
    """A tariff: monthly fee, devices included, per-device extra (by category) and activation."""

    code: str
    name: str
    monthly_fee: Decimal
    included_devices: int
    extra_device_fee: Decimal
    category_fees: Mapping[str, Decimal] = field(hash=False)
    activation_fee: Decimal
    active: bool = True
    description: str = ""

    def __post_init__(self) -> None:
        """Check the invariants and freeze `category_fees`, so a plan in hand is always sane."""
        where = f"tariff {self.code!r}"
        if not isinstance(self.code, str) or not _CODE.fullmatch(self.code):
            raise ValidationError(f"{where}: code must be 1-50 latin letters, digits, _ . -")
        if not isinstance(self.name, str) or not self.name.strip() or len(self.name) > 100:
            raise ValidationError(f"{where}: name must be 1-100 characters")
        if (
            isinstance(self.included_devices, bool)
            or not isinstance(self.included_devices, int)
            or not 0 <= self.included_devices <= 1000
        ):
            raise ValidationError(f"{where}: included_devices must be an integer 0..1000")
        for name in ("monthly_fee", "extra_device_fee", "activation_fee"):
            object.__setattr__(self, name, _exact_fee(getattr(self, name), f"{where}: {name}"))
        fees: dict[str, Decimal] = {}
        for category, fee in self.category_fees.items():
            if category not in DEVICE_CATEGORIES:
                known = ", ".join(DEVICE_CATEGORIES)
                raise ValidationError(
                    f"{where}: unknown device category {category!r} (known: {known})"
                )
            fees[category] = _exact_fee(fee, f"{where}: category_fees.{category}")
        ordered = {code: fees[code] for code in DEVICE_CATEGORIES if code in fees}
        object.__setattr__(self, "category_fees", MappingProxyType(ordered))
        if not isinstance(self.active, bool):
            raise ValidationError(f"{where}: active must be true or false")
        if not isinstance(self.description, str) or len(self.description) > 1000:
            raise ValidationError(f"{where}: description must be text of at most 1000 characters")


def device_fee(plan: TariffPlan, category: str) -> Decimal:
    """Return what one extra device of `category` costs on `plan`."""
    return plan.category_fees.get(category, plan.extra_device_fee)


_BROKEN = "Сохранённый расчёт тарифа повреждён"


@dataclass(frozen=True)
class QuoteLine:
    """One line of the breakdown: `amount` is exactly `unit_price × quantity`."""

    label: str
    quantity: int
    unit_price: Decimal
    amount: Decimal

    def __post_init__(self) -> None:
        """Refuse a line whose figures do not add up, so a breakdown can be trusted as stored."""
        if not isinstance(self.label, str) or not self.label.strip():
            raise ValidationError(f"{_BROKEN}: пустое название строки")
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int):
            raise ValidationError(f"{_BROKEN}: количество не целое")
        if self.quantity < 1:
            raise ValidationError(f"{_BROKEN}: количество меньше 1")
        unit_price = _exact_fee(self.unit_price, _BROKEN)
        amount = money(self.amount)
        if amount != money(unit_price * self.quantity):
            raise ValidationError(f"{_BROKEN}: сумма строки «{self.label}» не сходится")
        object.__setattr__(self, "unit_price", unit_price)
        object.__setattr__(self, "amount", amount)

    @classmethod
    def of(cls, label: str, quantity: int, unit_price: Decimal) -> QuoteLine:
        """Return a line with its amount computed and rounded to kopecks."""
        return cls(label, quantity, unit_price, money(unit_price * quantity))


@dataclass(frozen=True)
class Quote:
    """An itemised one-time surcharge; `total` is exactly the sum of the lines."""

    lines: tuple[QuoteLine, ...]
    total: Decimal
    monthly_fee: Decimal

    def __post_init__(self) -> None:
        """Refuse a quote whose total is not the sum of its lines."""
        object.__setattr__(self, "lines", tuple(self.lines))
        total = money(self.total)
        if total != sum((line.amount for line in self.lines), _ZERO):
            raise ValidationError(f"{_BROKEN}: итог не равен сумме строк")
        object.__setattr__(self, "total", total)
        object.__setattr__(self, "monthly_fee", _exact_fee(self.monthly_fee, _BROKEN))

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (amounts as strings like "1490.00") for JSONB snapshots."""
        return {
            "lines": [
                {
                    "label": line.label,
                    "quantity": line.quantity,
                    "unit_price": str(line.unit_price),
                    "amount": str(line.amount),
                }
                for line in self.lines
            ],
            "total": str(self.total),
            "monthly_fee": str(self.monthly_fee),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Quote:
        """Return the quote stored by `to_dict`, refusing anything malformed."""
        try:
            raw_lines = data["lines"]
            if not isinstance(raw_lines, list):
                raise TypeError
            lines = tuple(
                QuoteLine(
                    label=item["label"],
                    quantity=item["quantity"],
                    unit_price=_stored_amount(item["unit_price"]),
                    amount=_stored_amount(item["amount"]),
                )
                for item in raw_lines
            )
            return cls(
                lines=lines,
                total=_stored_amount(data["total"]),
                monthly_fee=_stored_amount(data["monthly_fee"]),
            )
        except (KeyError, TypeError):
            raise ValidationError(f"{_BROKEN}: не хватает полей") from None


def _stored_amount(value: Any) -> Decimal:
    """Return an amount stored as a string with at most two decimals."""
    if not isinstance(value, str):
        raise TypeError
    exact = _parse_amount(value, None)
    amount = money(exact)
    if exact != amount:
        raise ValidationError(f"{_BROKEN}: сумма {value!r} не в копейках")
    return amount


def calculate_surcharge(plan: TariffPlan, device_categories: Sequence[str]) -> Quote:
    """Return the itemised one-time surcharge for `plan` and the client's devices.

    Lines: the activation (always, even at 0), then the included devices per category at
    0.00, then the extra devices per category at their fee; whether the plan is active is the
    caller's business.
    """
    rank = {code: index for index, code in enumerate(DEVICE_CATEGORIES)}
    categories = [validate_category(code) for code in device_categories]
    ordered = sorted(categories, key=lambda code: (-device_fee(plan, code), rank[code]))
    included = Counter(ordered[: plan.included_devices])
    extra = Counter(ordered[plan.included_devices :])
    lines = [QuoteLine.of(f"Подключение по тарифу «{plan.name}»", 1, plan.activation_fee)]
    lines.extend(
        QuoteLine.of(f"Устройство в тарифе: {category_label(code)}", count, _ZERO)
        for code, count in included.items()
    )
    lines.extend(
        QuoteLine.of(
            f"Дополнительное устройство: {category_label(code)}", count, device_fee(plan, code)
        )
        for code, count in extra.items()
    )
    total = sum((line.amount for line in lines), _ZERO)
    return Quote(lines=tuple(lines), total=total, monthly_fee=plan.monthly_fee)


DEFAULT_TARIFFS: tuple[TariffPlan, ...] = (
    TariffPlan(
        code="basic",
        name="Базовый",
        monthly_fee=Decimal("490.00"),
        included_devices=2,
        extra_device_fee=Decimal("300.00"),
        category_fees={"ac": Decimal("500.00")},
        activation_fee=Decimal("990.00"),
        description="Два устройства в тарифе, остальные — по 300 ₽, кондиционер — 500 ₽.",
    ),
    TariffPlan(
        code="standard",
        name="Стандарт",
        monthly_fee=Decimal("990.00"),
        included_devices=5,
        extra_device_fee=Decimal("250.00"),
        category_fees={"ac": Decimal("500.00"), "boiler": Decimal("400.00")},
        activation_fee=Decimal("1490.00"),
        description="Пять устройств в тарифе; кондиционер — 500 ₽, водонагреватель — 400 ₽.",
    ),
    TariffPlan(
        code="premium",
        name="Премиум",
        monthly_fee=Decimal("1990.00"),
        included_devices=10,
        extra_device_fee=Decimal("200.00"),
        category_fees={"ac": Decimal("400.00")},
        activation_fee=Decimal("0.00"),
        description="Десять устройств в тарифе и подключение без доплаты.",
    ),
)
