"""Vocabularies and device validation."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from privet_tui.errors import ValidationError
from privet_tui.services.rules.catalog import (
    CLIENT_STATUSES,
    DEVICE_CATEGORIES,
    PAYMENT_METHODS,
    STATUS_LABELS,
    DeviceInput,
    category_label,
    payment_method_label,
    status_label,
    validate_category,
    validate_device,
    validate_payment_method,
)
from privet_tui.services.rules.validation import FieldErrors


def test_device_categories_are_the_agreed_ones() -> None:
    assert list(DEVICE_CATEGORIES) == [
        "tv",
        "fridge",
        "washer",
        "dishwasher",
        "oven",
        "microwave",
        "ac",
        "boiler",
        "computer",
        "router",
        "vacuum",
        "coffee",
        "other",
    ]
    assert DEVICE_CATEGORIES["ac"] == "Кондиционер"
    assert DEVICE_CATEGORIES["oven"] == "Духовой шкаф / плита"
    assert DEVICE_CATEGORIES["other"] == "Другое"
    assert all(label.strip() for label in DEVICE_CATEGORIES.values())


def test_vocabularies_are_read_only() -> None:
    with pytest.raises(TypeError):
        DEVICE_CATEGORIES["toaster"] = "Тостер"  # type: ignore[index]


def test_statuses_in_workflow_order() -> None:
    assert CLIENT_STATUSES == (
        "new",
        "in_progress",
        "awaiting_signature",
        "signed",
        "paid",
        "processed",
        "cancelled",
    )
    assert STATUS_LABELS["awaiting_signature"] == "Ждёт подписи"
    assert status_label("cancelled") == "Отменён"
    assert status_label("weird") == "weird"


def test_payment_methods() -> None:
    assert dict(PAYMENT_METHODS) == {"cash": "Наличные", "card": "Карта", "transfer": "Перевод"}
    assert validate_payment_method(" Card ") == "card"
    assert payment_method_label("transfer") == "Перевод"
    with pytest.raises(ValidationError) as info:
        validate_payment_method("crypto")
    assert info.value.field == "payment_method"


def test_category_label_and_validation() -> None:
    assert category_label("fridge") == "Холодильник"
    assert category_label("unknown") == "unknown"
    assert validate_category(" TV ") == "tv"
    with pytest.raises(ValidationError) as info:
        validate_category("toaster")
    assert info.value.field == "category"


def test_validate_device_cleans_fields() -> None:
    device = validate_device(DeviceInput(" ac ", "  LG ", " S12 \t PQ ", "  "))
    assert device == DeviceInput(category="ac", brand="LG", model="S12 PQ", serial=None)
    device = validate_device(DeviceInput("tv", "Samsung", "UE55", " SN-001 "))
    assert device.serial == "SN-001"


def test_validate_device_reports_every_field() -> None:
    with pytest.raises(FieldErrors) as info:
        validate_device(DeviceInput("toaster", "", " ", "x\x00y"))
    assert list(info.value.errors) == ["category", "brand", "model", "serial"]


@pytest.mark.parametrize("field", ["brand", "model", "serial"])
def test_device_fields_limit_100_characters(field: str) -> None:
    base = DeviceInput(category="tv", brand="LG", model="OLED55", serial=None)
    validate_device(replace(base, **{field: "x" * 100}))
    with pytest.raises(FieldErrors) as info:
        validate_device(replace(base, **{field: "x" * 101}))
    assert list(info.value.errors) == [field]


@given(st.text(), st.text(), st.text(), st.one_of(st.none(), st.text()))
def test_validate_device_raises_only_validation_error(
    category: str, brand: str, model: str, serial: str | None
) -> None:
    try:
        device = validate_device(DeviceInput(category, brand, model, serial))
    except ValidationError:
        return
    assert validate_device(device) == device
    assert device.category in DEVICE_CATEGORIES
    assert all(ch.isprintable() for ch in device.brand + device.model + (device.serial or ""))
