"""Normalisation before validation (issue 12, rows 5 and 6): any dash, no-break or thin space
and full-width digits mean what they look like in every field with separators, and a phone's
country is judged only for a number that is otherwise valid."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from privet_tui.errors import ValidationError
from privet_tui.services.document_lookup import normalize_number
from privet_tui.services.rules.characters import normalize_separators
from privet_tui.services.rules.validation import normalize_phone, parse_ru_date

#: U+2010..2015, U+2212 and the small/full-width hyphens: what editors put for a hyphen.
DASHES = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe63", "\uff0d"]
#: No-break, narrow no-break, figure, thin, ideographic spaces and a tab.
SPACES = ["\u00a0", "\u202f", "\u2007", "\u2009", "\u3000", "\t"]
FULL_WIDTH = str.maketrans("0123456789+()", "０１２３４５６７８９＋（）")


def test_phone_with_en_dashes_is_accepted() -> None:
    """Issue 12, row 5."""
    assert normalize_phone("8 916 123–45–67") == "+79161234567"


@pytest.mark.parametrize("dash", DASHES)
def test_phone_with_any_dash_is_accepted(dash: str) -> None:
    assert normalize_phone(f"8 916 123{dash}45{dash}67") == "+79161234567"


@pytest.mark.parametrize("space", SPACES)
def test_phone_with_any_space_is_accepted(space: str) -> None:
    assert normalize_phone(f"+7{space}916{space}123{space}45{space}67") == "+79161234567"


def test_phone_in_full_width_digits_is_accepted() -> None:
    assert normalize_phone("+7 (916) 123-45-67".translate(FULL_WIDTH)) == "+79161234567"


def test_phone_pasted_with_direction_marks_is_accepted() -> None:
    assert normalize_phone("\u202a+7 916 123-45-67\u202c") == "+79161234567"


def test_phone_with_00_international_prefix_is_russian() -> None:
    """Issue 12, row 6: «00» is the international prefix, so this is +7 916 …, not Kazakh."""
    assert normalize_phone("007 916 123 45 67") == "+79161234567"
    assert normalize_phone("00 7 916 123-45-67") == "+79161234567"


@pytest.mark.parametrize("raw", ["+7 727 123 4567", "+7 600 123 4567", "007 777", "+7 7 916 1234"])
def test_impossible_number_is_wrong_not_kazakh(raw: str) -> None:
    """The country is decided only for a valid number: these fit no plan at all."""
    with pytest.raises(ValidationError) as info:
        normalize_phone(raw)
    assert "Казахстан" not in info.value.message
    assert info.value.message.startswith("Неверный номер телефона")


def test_impossible_foreign_number_is_wrong_not_foreign() -> None:
    with pytest.raises(ValidationError, match=r"^Неверный номер телефона"):
        normalize_phone("+44 12")


def test_valid_foreign_number_via_00_is_refused_as_foreign() -> None:
    with pytest.raises(ValidationError, match=r"код страны \+44"):
        normalize_phone("0044 20 7946 0958")


def test_phone_message_lists_what_is_allowed_truthfully() -> None:
    """The refusal lists dashes as allowed, and a dash is indeed accepted."""
    with pytest.raises(ValidationError) as info:
        normalize_phone("8 916 123_45_67")
    message = info.value.message
    assert "тире" in message
    assert "дефисы" in message
    assert "точки" in message
    assert normalize_phone("8.916.123—45—67") == "+79161234567"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("０５．０３．１９９０", date(1990, 3, 5)),
        ("\u00a005.03.1990\u202f", date(1990, 3, 5)),
        ("1990–03–05", date(1990, 3, 5)),
        ("1990\u221203\u221205", date(1990, 3, 5)),
        ("１９９０－０３－０５", date(1990, 3, 5)),
    ],
)
def test_dates_with_unicode_separators_and_digits(raw: str, expected: date) -> None:
    assert parse_ru_date(raw, field="d") == expected


def test_digits_of_other_scripts_are_not_taken_for_ascii() -> None:
    with pytest.raises(ValidationError, match="только цифры"):
        normalize_phone("٨٩١٦١٢٣٤٥٦٧")


@given(st.text())
def test_normalize_separators_leaves_no_unicode_dash_or_space(raw: str) -> None:
    clean = normalize_separators(raw)
    assert not any(ch in clean for ch in DASHES + SPACES)
    assert clean == clean.strip()
    assert "  " not in clean
    assert normalize_separators(clean) == clean


@given(st.sampled_from(DASHES), st.sampled_from(SPACES), st.booleans())
def test_any_mix_of_separators_gives_the_same_phone(dash: str, space: str, wide: bool) -> None:
    raw = f"8{space}916{space}123{dash}45{dash}67"
    assert normalize_phone(raw.translate(FULL_WIDTH) if wide else raw) == "+79161234567"


def test_a_document_number_is_read_as_people_type_it() -> None:
    """Lower case, pasted dashes, spaces and full-width digits: the same number as stored."""
    for typed in (" пм–2026—000001 ", "ПМ − 2026 − 000001", "пм-２０２６-000001"):
        assert normalize_number(typed) == "ПМ-2026-000001", typed
