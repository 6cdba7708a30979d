"""Fixed vocabularies of the workflow (device categories, payment methods, client statuses) with
their Russian labels, and device field validation, so codes stored in English read in Russian."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from privet_tui.errors import ValidationError
from privet_tui.services.rules.validation import ErrorCollector, clean_text

__all__ = [
    "CLIENT_STATUSES",
    "DEVICE_CATEGORIES",
    "PAYMENT_METHODS",
    "STATUS_LABELS",
    "DeviceInput",
    "category_label",
    "payment_method_label",
    "status_label",
    "validate_category",
    "validate_device",
    "validate_payment_method",
]

DEVICE_CATEGORIES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "tv": "Телевизор",
        "fridge": "Холодильник",
        "washer": "Стиральная машина",
        "dishwasher": "Посудомоечная машина",
        "oven": "Духовой шкаф / плита",
        "microwave": "Микроволновая печь",
        "ac": "Кондиционер",
        "boiler": "Водонагреватель",
        "computer": "Компьютер / ноутбук",
        "router": "Роутер",
        "vacuum": "Пылесос",
        "coffee": "Кофемашина",
        "other": "Другое",
    }
)

PAYMENT_METHODS: Final[Mapping[str, str]] = MappingProxyType(
    {"cash": "Наличные", "card": "Карта", "transfer": "Перевод"}
)

STATUS_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "new": "Новый",
        "in_progress": "В работе",
        "awaiting_signature": "Ждёт подписи",
        "signed": "Подписан",
        "paid": "Оплачен",
        "processed": "Обработан",
        "cancelled": "Отменён",
    }
)

CLIENT_STATUSES: Final[tuple[str, ...]] = tuple(STATUS_LABELS)


def category_label(code: str) -> str:
    """Return the Russian label of a device category; an unknown code is shown as is."""
    return DEVICE_CATEGORIES.get(code, code)


def validate_category(code: str) -> str:
    """Return the known category code (trimmed, lower-cased) or refuse it."""
    clean = code.strip().lower()
    if clean not in DEVICE_CATEGORIES:
        raise ValidationError("Выберите категорию устройства из списка", field="category")
    return clean


def payment_method_label(code: str) -> str:
    """Return the Russian label of a payment method; an unknown code is shown as is."""
    return PAYMENT_METHODS.get(code, code)


def validate_payment_method(code: str) -> str:
    """Return the known payment method code (trimmed, lower-cased) or refuse it."""
    clean = code.strip().lower()
    if clean not in PAYMENT_METHODS:
        raise ValidationError(
            "Выберите способ оплаты: наличные, карта или перевод", field="payment_method"
        )
    return clean


def status_label(code: str) -> str:
    """Return the Russian label of a client status; an unknown code is shown as is."""
    return STATUS_LABELS.get(code, code)


@dataclass(frozen=True)
class DeviceInput:
    """A device as typed on step 3 (and, after `validate_device`, as stored)."""

    category: str
    brand: str
    model: str
    serial: str | None = None


def validate_device(inp: DeviceInput) -> DeviceInput:
    """Return the device with clean fields (serial None when empty) or raise `FieldErrors`
    naming every wrong field: brand and model required, each field at most 100 characters."""
    check = ErrorCollector()
    category = check.check("category", lambda: validate_category(inp.category))
    brand = check.check(
        "brand", lambda: clean_text(inp.brand, field="brand", label="Марка", max_length=100)
    )
    model = check.check(
        "model", lambda: clean_text(inp.model, field="model", label="Модель", max_length=100)
    )
    serial = check.check(
        "serial",
        lambda: clean_text(
            inp.serial or "",
            field="serial",
            label="Серийный номер",
            max_length=100,
            required=False,
        ),
    )
    check.raise_if_any(order=("category", "brand", "model", "serial"))
    # FieldErrors was not raised, so every field has its value.
    assert category is not None
    assert brand is not None
    assert model is not None
    return DeviceInput(category=category, brand=brand, model=model, serial=serial or None)
