"""What a validator accepts, the document font prints (issue 12, row 1): one set of characters
(`privet_tui.pdf.glyphs.printable_chars`), checked in `require_printable` for every free-text
field, refused at the field with the character named."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from privet_tui.errors import ValidationError
from privet_tui.pdf.glyphs import first_unprintable, printable_chars
from privet_tui.services.rules.catalog import DeviceInput, validate_device
from privet_tui.services.rules.characters import require_printable
from privet_tui.services.rules.validation import (
    FieldErrors,
    clean_text,
    normalize_address,
    normalize_email,
    normalize_full_name,
)

FANCY_ADDRESS = "г. 𝐌𝐨𝐬𝐜𝐨𝐰, ул. Мира, д. 1"


def test_fancy_address_is_refused_naming_the_character() -> None:
    """Issue 12, row 1: the letters would vanish from the PDF, so the field refuses them."""
    with pytest.raises(ValidationError) as info:
        normalize_address(FANCY_ADDRESS)
    assert info.value.field == "address"
    assert "«𝐌» (U+1D40C, особое начертание «M»)" in info.value.message
    assert "«Адрес»" in info.value.message


def test_the_same_address_typed_plainly_is_accepted() -> None:
    assert normalize_address("г. Moscow, ул. Мира, д. 1") == "г. Moscow, ул. Мира, д. 1"


@pytest.mark.parametrize(
    "text",
    ["ОВД «Арбат» № 5 — г. Москва", "Ёлкино, ул. Мира, д. 1/2, кв. 3", "Café Zoë, 5 €", "₽ ½ °C"],
)
def test_ordinary_text_of_addresses_and_offices_is_accepted(text: str) -> None:
    assert clean_text(text, field="f", label="Поле", max_length=100) == text


@pytest.mark.parametrize(
    ("text", "code"),
    [("Дом 🏠", "«🏠» (U+1F3E0"), ("北京路 1", "«北» (U+5317"), ("Сервис ⓜ", "(U+24DC")],
)
def test_characters_without_a_glyph_are_refused(text: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        clean_text(text, field="f", label="Поле", max_length=100)
    assert code in info.value.message
    assert info.value.field == "f"


@pytest.mark.parametrize("field", ["brand", "model", "serial"])
def test_device_fields_refuse_unprintable_characters(field: str) -> None:
    good = {"category": "tv", "brand": "Samsung", "model": "UE55", "serial": "SN-1"}
    with pytest.raises(FieldErrors) as info:
        validate_device(DeviceInput(**{**good, field: "𝐒amsung"}))
    assert list(info.value.errors) == [field]
    assert "U+1D412" in info.value.errors[field]


def test_email_with_a_domain_the_font_cannot_print_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        normalize_email("ivan@例子.中国")
    assert "U+4F8B" in info.value.message
    assert normalize_email("ivan@пример.рф") == "ivan@пример.рф"


def test_require_printable_returns_printable_text_unchanged() -> None:
    assert require_printable("Мир\n", field="f", label="Поле") == "Мир\n"


def _device_brand(raw: str) -> str:
    return validate_device(DeviceInput(category="tv", brand=raw, model="M")).brand


FREE_TEXT_VALIDATORS: dict[str, Callable[[str], str]] = {
    "clean_text": lambda raw: clean_text(raw, field="f", label="Поле", max_length=300),
    "address": normalize_address,
    "full_name": normalize_full_name,
    "email": normalize_email,
    "device": _device_brand,
}

#: Text mixing what the font has with what it lacks, so both outcomes are exercised.
mixed_text = st.text(
    st.one_of(st.sampled_from(sorted(printable_chars())), st.characters()), max_size=40
)


@given(name=st.sampled_from(sorted(FREE_TEXT_VALIDATORS)), raw=mixed_text)
@example(name="address", raw=FANCY_ADDRESS)
@example(name="clean_text", raw="Дом 🏠")
def test_free_text_is_refused_or_printable(name: str, raw: str) -> None:
    """For any text, a free-text validator refuses it or returns only printable characters."""
    try:
        clean = FREE_TEXT_VALIDATORS[name](raw)
    except ValidationError:
        return
    assert first_unprintable(clean) is None
