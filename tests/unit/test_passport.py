"""Passport rules: fields, ages 14..120, issue date bounds, 20/45 replacement, masking."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from privet_tui.services.rules.passport import (
    FIRST_ISSUE_DATE,
    PassportData,
    PassportInput,
    age_on,
    mask_passport,
    passport_expired,
    validate_passport,
)
from privet_tui.services.rules.validation import FieldErrors, format_ru_date

TODAY = date(2024, 6, 15)

GOOD = PassportInput(
    series="45 10",
    number="123 456",
    issue_date="20.06.2004",
    issued_by="  ОВД  района Арбат г. Москвы ",
    department_code="772 053",
    birth_date="05.03.1984",
    birth_place="г. Москва",
    registration_address="г. Москва, ул. Арбат, д. 1, кв. 2",
)


def errors_of(inp: PassportInput, today: date = TODAY) -> dict[str, str]:
    with pytest.raises(FieldErrors) as info:
        validate_passport(inp, today=today)
    return info.value.errors


def test_good_passport_is_cleaned() -> None:
    assert validate_passport(GOOD, today=TODAY) == PassportData(
        series="4510",
        number="123456",
        issue_date=date(2004, 6, 20),
        issued_by="ОВД района Арбат г. Москвы",
        department_code="772-053",
        birth_date=date(1984, 3, 5),
        birth_place="г. Москва",
        registration_address="г. Москва, ул. Арбат, д. 1, кв. 2",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("series", "451"),
        ("series", "45100"),
        ("series", "45-10"),
        ("series", "4a10"),
        ("series", ""),
        ("number", "12345"),
        ("number", "1234567"),
        ("number", "12345б"),
        ("department_code", "12-3456"),
        ("department_code", "1234567"),
        ("department_code", "123_456"),
        ("department_code", ""),
        ("issued_by", "   "),
        ("issued_by", "ОВД\x07"),
        ("issued_by", "О" * 301),
        ("birth_place", ""),
        ("birth_place", "..."),
        ("registration_address", ""),
        ("registration_address", "1" * 10),
        ("issue_date", "2004-13-01"),
        ("birth_date", "31.02.1984"),
        ("birth_date", "05.03.84"),
    ],
)
def test_each_bad_field_is_reported_under_its_name(field: str, value: str) -> None:
    errors = errors_of(replace(GOOD, **{field: value}))
    assert list(errors) == [field]


@pytest.mark.parametrize(
    ("field", "typed", "clean"),
    [
        ("series", "4510", "4510"),
        ("number", "123456", "123456"),
        ("department_code", "772053", "772-053"),
        ("department_code", "772-053", "772-053"),
        ("department_code", " 772 - 053 ", "772-053"),
    ],
)
def test_typed_forms_are_accepted(field: str, typed: str, clean: str) -> None:
    data = validate_passport(replace(GOOD, **{field: typed}), today=TODAY)
    assert getattr(data, field) == clean


def test_all_errors_come_at_once_in_form_order() -> None:
    bad = PassportInput("1", "2", "", "", "3", "", "", "")
    with pytest.raises(FieldErrors) as info:
        validate_passport(bad, today=TODAY)
    assert list(info.value.errors) == [
        "series",
        "number",
        "issue_date",
        "issued_by",
        "department_code",
        "birth_date",
        "birth_place",
        "registration_address",
    ]
    assert info.value.field == "series"
    assert info.value.message == info.value.errors["series"]


# --- ages ------------------------------------------------------------------------------


def with_birth(born: date, issued: date | None = None) -> PassportInput:
    return replace(
        GOOD, birth_date=format_ru_date(born), issue_date=format_ru_date(issued or TODAY)
    )


def test_age_14_exactly_is_accepted_and_a_day_less_is_not() -> None:
    assert validate_passport(with_birth(date(2010, 6, 15)), today=TODAY).birth_date == date(
        2010, 6, 15
    )
    errors = errors_of(with_birth(date(2010, 6, 16)))
    assert list(errors) == ["birth_date"]
    assert "13" in errors["birth_date"]


def test_age_120_is_accepted_and_121_is_not() -> None:
    validate_passport(with_birth(date(1904, 6, 15)), today=TODAY)
    validate_passport(with_birth(date(1903, 6, 16)), today=TODAY)  # 121 tomorrow
    assert list(errors_of(with_birth(date(1903, 6, 15)))) == ["birth_date"]


def test_birth_in_the_future_is_refused() -> None:
    assert "будущем" in errors_of(with_birth(TODAY + timedelta(days=1)))["birth_date"]


def test_age_on_29_february_birthday() -> None:
    born = date(2008, 2, 29)
    assert age_on(born, date(2022, 2, 27)) == 13
    assert age_on(born, date(2022, 2, 28)) == 14
    assert age_on(born, date(2024, 2, 28)) == 15
    assert age_on(born, date(2024, 2, 29)) == 16


def test_29_february_birthday_reaches_14_on_28_february() -> None:
    born = date(2008, 2, 29)
    validate_passport(with_birth(born, date(2022, 2, 28)), today=date(2022, 2, 28))
    errors = errors_of(with_birth(born, date(2022, 2, 27)), today=date(2022, 2, 27))
    assert list(errors) == ["birth_date"]


# --- issue date ------------------------------------------------------------------------


def test_issue_date_on_the_14th_birthday_is_accepted() -> None:
    data = validate_passport(with_birth(date(2000, 5, 1), date(2014, 5, 1)), today=TODAY)
    assert data.issue_date == date(2014, 5, 1)


def test_issue_date_before_the_14th_birthday_is_refused() -> None:
    errors = errors_of(with_birth(date(2000, 5, 1), date(2014, 4, 30)))
    assert list(errors) == ["issue_date"]
    assert "01.05.2014" in errors["issue_date"]


def test_issue_date_for_29_february_birthday() -> None:
    born = date(2004, 2, 29)
    validate_passport(with_birth(born, date(2018, 2, 28)), today=TODAY)
    assert list(errors_of(with_birth(born, date(2018, 2, 27)))) == ["issue_date"]


def test_issue_date_today_is_accepted_and_tomorrow_is_not() -> None:
    validate_passport(with_birth(date(1990, 1, 1), TODAY), today=TODAY)
    errors = errors_of(with_birth(date(1990, 1, 1), TODAY + timedelta(days=1)))
    assert "будущем" in errors["issue_date"]


def test_issue_date_is_not_compared_with_a_wrong_birth_date() -> None:
    errors = errors_of(replace(GOOD, birth_date="нет", issue_date="01.01.2000"))
    assert list(errors) == ["birth_date"]


def test_passport_issued_before_1997_is_refused() -> None:
    """Issue 12, row 7: Russian internal passports exist since 01.10.1997."""
    errors = errors_of(with_birth(date(1940, 2, 1), date(1990, 5, 10)))
    assert list(errors) == ["issue_date"]
    assert "01.10.1997" in errors["issue_date"]


def test_first_day_of_russian_passports_is_accepted_and_the_day_before_is_not() -> None:
    born = date(1940, 2, 1)
    data = validate_passport(with_birth(born, date(1997, 10, 1)), today=TODAY)
    assert data.issue_date == FIRST_ISSUE_DATE == date(1997, 10, 1)
    assert list(errors_of(with_birth(born, date(1997, 9, 30)))) == ["issue_date"]


def test_1997_rule_comes_before_the_14th_birthday_rule() -> None:
    """Born 1990, «issued» 1995: both rules are broken; the one a master can act on is named."""
    errors = errors_of(with_birth(date(1990, 1, 1), date(1995, 1, 1)))
    assert "01.10.1997" in errors["issue_date"]


@pytest.mark.parametrize("region", ["00", "02", "06", "09", "13", "16", "31", "48", "51", "72"])
def test_series_outside_the_okato_regions_is_refused(region: str) -> None:
    errors = errors_of(replace(GOOD, series=f"{region} 10"))
    assert list(errors) == ["series"]
    assert f"«{region}»" in errors["series"]


@pytest.mark.parametrize("region", ["01", "35", "39", "40", "45", "46", "67", "71", "99"])
def test_series_of_real_regions_is_accepted(region: str) -> None:
    assert validate_passport(replace(GOOD, series=f"{region}10"), today=TODAY).series == (
        f"{region}10"
    )


@pytest.mark.parametrize("code", ["000-001", "960-001", "980-123"])
def test_division_code_outside_the_subject_codes_is_refused(code: str) -> None:
    errors = errors_of(replace(GOOD, department_code=code))
    assert list(errors) == ["department_code"]
    assert f"«{code[:2]}»" in errors["department_code"]


@pytest.mark.parametrize("code", ["010-001", "500-010", "772-053", "910-001", "920-001", "990-001"])
def test_division_codes_of_real_subjects_are_accepted(code: str) -> None:
    assert validate_passport(replace(GOOD, department_code=code), today=TODAY).department_code == (
        code
    )


@pytest.mark.parametrize(
    ("field", "typed", "clean"),
    [
        ("series", "45\u00a010", "4510"),
        ("series", "\uff14\uff15 \uff11\uff10", "4510"),
        ("number", "123\u202f456", "123456"),
        ("number", "\uff11\uff12\uff13\uff14\uff15\uff16", "123456"),
        ("department_code", "772\u2013053", "772-053"),
        ("department_code", "772\u2014053", "772-053"),
        ("department_code", "772\u2212053", "772-053"),
        ("department_code", "772\u2011053", "772-053"),
        ("department_code", "\uff17\uff17\uff12\uff0d\uff10\uff15\uff13", "772-053"),
        ("department_code", "772\u00a0\u2013\u00a0053", "772-053"),
    ],
)
def test_unicode_separators_and_digits_are_read_as_typed(
    field: str, typed: str, clean: str
) -> None:
    data = validate_passport(replace(GOOD, **{field: typed}), today=TODAY)
    assert getattr(data, field) == clean


def test_unicode_separators_in_dates_are_read_as_typed() -> None:
    data = validate_passport(
        replace(GOOD, issue_date="\uff12\uff10.06.2004", birth_date="1984\u201303\u201305"),
        today=TODAY,
    )
    assert (data.issue_date, data.birth_date) == (date(2004, 6, 20), date(1984, 3, 5))


def test_fancy_letters_in_the_registration_address_are_refused_by_name() -> None:
    """Issue 12, row 1: the PDF font has no maths-bold letters, so the field refuses them."""
    errors = errors_of(replace(GOOD, registration_address="г. 𝐌𝐨𝐬𝐜𝐨𝐰, ул. Мира, д. 1"))
    assert list(errors) == ["registration_address"]
    assert "«𝐌» (U+1D40C, особое начертание «M»)" in errors["registration_address"]


@pytest.mark.parametrize("field", ["issued_by", "birth_place", "registration_address"])
def test_every_passport_text_field_refuses_unprintable_characters(field: str) -> None:
    errors = errors_of(replace(GOOD, **{field: "г. Москва 🏠"}))
    assert list(errors) == [field]
    assert "U+1F3E0" in errors[field]


# --- replacement at 20 and 45 ----------------------------------------------------------


def passport(born: date, issued: date) -> PassportData:
    return PassportData("4510", "123456", issued, "ОВД", "772-053", born, "Москва", "Москва")


def test_passport_from_14_expires_90_days_after_the_20th_birthday() -> None:
    p = passport(date(2000, 1, 10), date(2014, 2, 1))
    assert not passport_expired(p, today=date(2020, 1, 9))
    assert not passport_expired(p, today=date(2020, 1, 10))
    assert not passport_expired(p, today=date(2020, 4, 9))  # 90th day after: still valid
    assert passport_expired(p, today=date(2020, 4, 10))
    assert passport_expired(p, today=date(2060, 1, 1))


def test_passport_issued_on_the_20th_birthday_expires_after_45() -> None:
    p = passport(date(2000, 1, 10), date(2020, 1, 10))
    assert not passport_expired(p, today=date(2030, 1, 1))
    assert not passport_expired(p, today=date(2045, 4, 10))
    assert passport_expired(p, today=date(2045, 4, 11))


def test_passport_issued_after_45_never_expires() -> None:
    p = passport(date(1950, 1, 10), date(1995, 1, 10))
    assert not passport_expired(p, today=date(2070, 1, 1))


def test_replaced_passport_within_grace_is_valid() -> None:
    p = passport(date(2000, 1, 10), date(2020, 3, 1))
    assert not passport_expired(p, today=date(2024, 6, 15))


def test_expiry_for_29_february_birthday_at_45() -> None:
    born = date(1976, 2, 29)  # the 45th birthday, 2021, has no 29 February: 28 February
    p = passport(born, date(1996, 3, 1))
    assert not passport_expired(p, today=date(2021, 5, 29))
    assert passport_expired(p, today=date(2021, 5, 30))
    assert not passport_expired(passport(born, date(2021, 2, 28)), today=date(2030, 1, 1))


# --- masking ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("series", "number", "masked"),
    [
        ("4510", "123678", "45 ** ***678"),
        ("45 10", "123 678", "45 ** ***678"),
        ("0001", "000001", "00 ** ***001"),
        ("451", "123678", "** ** ******"),
        ("4510", "12345", "** ** ******"),
        ("", "", "** ** ******"),
    ],
)
def test_mask_passport(series: str, number: str, masked: str) -> None:
    assert mask_passport(series, number) == masked


@given(st.from_regex(r"[0-9]{4}", fullmatch=True), st.from_regex(r"[0-9]{6}", fullmatch=True))
def test_mask_never_shows_the_hidden_digits(series: str, number: str) -> None:
    masked = mask_passport(series, number)
    assert masked == f"{series[:2]} ** ***{number[3:]}"


# --- properties ------------------------------------------------------------------------

text_fields = st.builds(
    PassportInput,
    st.text(max_size=12),
    st.text(max_size=12),
    st.text(max_size=12),
    st.text(max_size=20),
    st.text(max_size=10),
    st.text(max_size=12),
    st.text(max_size=20),
    st.text(max_size=20),
)


@given(text_fields)
def test_validate_passport_raises_only_field_errors(inp: PassportInput) -> None:
    try:
        validate_passport(inp, today=TODAY)
    except FieldErrors as exc:  # any other exception fails the test
        errors, first = exc.errors, exc.field
    else:
        return
    assert errors
    assert first in errors


@given(
    born=st.dates(min_value=date(1904, 6, 16), max_value=date(2010, 6, 15)),
    offset=st.integers(min_value=0, max_value=40_000),
)
def test_valid_passports_round_trip_and_respect_age_bounds(born: date, offset: int) -> None:
    first_issue = born.replace(year=born.year + 14) if (born.month, born.day) != (2, 29) else None
    earliest = first_issue or date(born.year + 14, 2, 28)
    issued = min(max(earliest, FIRST_ISSUE_DATE) + timedelta(days=offset), TODAY)
    data = validate_passport(with_birth(born, issued), today=TODAY)
    assert 14 <= age_on(data.birth_date, TODAY) <= 120
    again = PassportInput(
        series=data.series,
        number=data.number,
        issue_date=format_ru_date(data.issue_date),
        issued_by=data.issued_by,
        department_code=data.department_code,
        birth_date=format_ru_date(data.birth_date),
        birth_place=data.birth_place,
        registration_address=data.registration_address,
    )
    assert validate_passport(again, today=TODAY) == data
