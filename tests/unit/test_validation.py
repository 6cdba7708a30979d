"""Contacts and dates validators: every rule and boundary by example, robustness by property."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from privet_tui.errors import ValidationError
from privet_tui.services.rules.validation import (
    ContactData,
    ContactInput,
    FieldErrors,
    anniversary,
    clean_text,
    format_phone,
    format_ru_date,
    normalize_address,
    normalize_email,
    normalize_full_name,
    normalize_phone,
    parse_ru_date,
    split_full_name,
    validate_contacts,
)

# --- phone ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "8 (916) 123-45-67",
        "+7 916 1234567",
        "9161234567",
        "7-916-123-45-67",
        "89161234567",
        "+7(916)123.45.67",
        "  +79161234567  ",
        "8\u00a0916\u00a0123\u00a045\u00a067",
    ],
)
def test_phone_forms_normalise_to_e164(raw: str) -> None:
    assert normalize_phone(raw) == "+79161234567"


def test_phone_landline_is_accepted() -> None:
    assert normalize_phone("8 (495) 123-45-67") == "+74951234567"


@pytest.mark.parametrize(
    "raw", ["+7 701 123 45 67", "87011234567", "+7 727 258 1234", "007 701 123 45 67"]
)
def test_kazakh_numbers_are_refused_by_name(raw: str) -> None:
    with pytest.raises(ValidationError, match="Казахстан") as info:
        normalize_phone(raw)
    assert info.value.field == "phone"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Введите номер"),
        ("   ", "Введите номер"),
        ("+1 202 555 0143", r"код страны \+1"),
        ("+44 20 7946 0958", r"код страны \+44"),
        ("8 800 555-35-35", "мобильный или городской"),
        ("916 123 45", "Неверный номер"),
        ("8 916 123 45 678", "Неверный номер"),
        ("8 916 ABC-DE-FG", "только цифры"),
        ("8 916 123-45-67 доб. 5", "только цифры"),
        ("+7 916 123+45-67", "только цифры"),
        ("٨٩١٦١٢٣٤٥٦٧", "только цифры"),
        ("1" * 60, "только цифры"),
    ],
)
def test_bad_phones_are_refused(raw: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        normalize_phone(raw)


def test_phone_field_name_can_be_chosen() -> None:
    with pytest.raises(ValidationError) as info:
        normalize_phone("", field="contact_phone")
    assert info.value.field == "contact_phone"


def test_format_phone_for_display() -> None:
    assert format_phone("+79161234567") == "+7 916 123-45-67"


@pytest.mark.parametrize("raw", ["", "89161234567", "+1 202", "+7916123456"])
def test_format_phone_shows_other_text_unchanged(raw: str) -> None:
    assert format_phone(raw) == raw


@given(st.text())
def test_normalize_phone_raises_only_validation_error(raw: str) -> None:
    with contextlib.suppress(ValidationError):
        normalize_phone(raw)


@given(st.text(alphabet="0123456789 +-()", max_size=20))
def test_normalize_phone_is_idempotent(raw: str) -> None:
    try:
        phone = normalize_phone(raw)
    except ValidationError:
        return
    assert normalize_phone(phone) == phone
    assert phone.startswith("+7")
    assert len(phone) == 12
    assert normalize_phone(format_phone(phone)) == phone


@given(st.from_regex(r"\+79(03|16|26|85)[0-9]{7}", fullmatch=True))
def test_every_ru_mobile_survives_format_and_normalise(phone: str) -> None:
    assert normalize_phone(format_phone(phone)) == phone


# --- email ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Ivan.Petrov@Example.COM ", "Ivan.Petrov@example.com"),
        ("a+tag@mail.ru", "a+tag@mail.ru"),
        ("user@ПРИМЕР.РФ", "user@пример.рф"),
        ("user@xn--e1afmkfd.xn--p1ai", "user@пример.рф"),
        ("o'neil@sub.domain.org", "o'neil@sub.domain.org"),
    ],
)
def test_emails_are_normalised(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Введите адрес"),
        ("ivan petrov@mail.ru", "пробелов"),
        ("ivan.mail.ru", "name@example.ru"),
        ("a@b@mail.ru", "name@example.ru"),
        ("@mail.ru", "до «@»"),
        ("ivan@", "name@example.ru"),
        ("ivan@localhost", "name@example.ru"),
        ("ivan@mail.r", "name@example.ru"),
        ("ivan@mail.123", "name@example.ru"),
        ("ivan@-mail.ru", "name@example.ru"),
        ("ivan@mail..ru", "name@example.ru"),
        ("ivan@mail.ru.", "name@example.ru"),
        ("ivan@ma_il.ru", "name@example.ru"),
        (".ivan@mail.ru", "до «@»"),
        ("iv..an@mail.ru", "до «@»"),
        ("иван@mail.ru", "до «@»"),
        ("a" * 65 + "@mail.ru", "до «@»"),
        ("a@" + "b" * 64 + ".ru", "name@example.ru"),
        ("a@" + ".".join(["b" * 60] * 5) + ".ru", "254"),
    ],
)
def test_bad_emails_are_refused(raw: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        normalize_email(raw)
    assert info.value.field == "email"


def test_email_length_limit_is_254() -> None:
    local = "a" * 64
    domain = "b" * 63 + "." + "c" * 61 + "." + "d" * 60 + ".ru"
    assert len(f"{local}@{domain}") == 254
    assert normalize_email(f"{local}@{domain}") == f"{local}@{domain}"
    longer = "b" * 63 + "." + "c" * 62 + "." + "d" * 60 + ".ru"
    with pytest.raises(ValidationError, match="254"):
        normalize_email(f"{local}@{longer}")


@given(st.text())
def test_normalize_email_raises_only_validation_error(raw: str) -> None:
    with contextlib.suppress(ValidationError):
        normalize_email(raw)


@given(st.one_of(st.emails(), st.text(max_size=30)))
def test_normalize_email_is_idempotent(raw: str) -> None:
    try:
        email = normalize_email(raw)
    except ValidationError:
        return
    assert normalize_email(email) == email
    assert len(email) <= 254


# --- full name ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  иванов   иван  иванович ", "Иванов Иван Иванович"),
        ("ПЕТРОВА АННА-МАРИЯ", "Петрова Анна-Мария"),
        ("ёлкин пётр", "Ёлкин Пётр"),
        ("o’brien john", "O'Brien John"),
        ("Салтыков-Щедрин Михаил Евграфович", "Салтыков-Щедрин Михаил Евграфович"),
        ("Smith\tJohn", "Smith John"),
        ("Иванов Ии\u0306", "Иванов Ий"),
    ],
)
def test_full_names_are_normalised(raw: str, expected: str) -> None:
    assert normalize_full_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Введите фамилию"),
        ("Иванов", "2 или 3 слова"),
        ("Мамедов Ильхам Гейдар оглы", "2 или 3 слова"),
        ("Иванов Иван2", "только русские или латинские"),
        ("Иванов -Иван", "только русские или латинские"),
        ("Иванов Иван-", "только русские или латинские"),
        ("Иванов Ив--ан", "только русские или латинские"),
        ("Иванов Ivan.", "только русские или латинские"),
        ("Ивaнов Иван", "смешаны"),  # a Latin "a" inside
        ("Ⅸ Иван", "только русские или латинские"),
    ],
)
def test_bad_full_names_are_refused(raw: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        normalize_full_name(raw)
    assert info.value.field == "full_name"


def test_full_name_length_limit() -> None:
    ok = "А" * 99 + " " + "Б" * 100
    assert len(normalize_full_name(ok)) == 200
    with pytest.raises(ValidationError, match="200"):
        normalize_full_name(ok + "б")


def test_split_full_name() -> None:
    assert split_full_name("иванов иван иванович") == ("Иванов", "Иван", "Иванович")
    assert split_full_name("Smith John") == ("Smith", "John", None)
    with pytest.raises(ValidationError):
        split_full_name("Иванов")


@given(st.text())
def test_normalize_full_name_is_idempotent_and_safe(raw: str) -> None:
    try:
        name = normalize_full_name(raw)
    except ValidationError:
        return
    assert normalize_full_name(name) == name
    assert 2 <= len(split_full_name(name)) <= 3


@given(
    st.lists(
        st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЁЯ-", min_size=1, max_size=12),
        min_size=1,
        max_size=4,
    )
)
def test_normalize_full_name_on_cyrillic_words(words: list[str]) -> None:
    try:
        name = normalize_full_name(" ".join(words))
    except ValidationError:
        return
    assert all(word[0].isupper() for word in name.split(" "))
    assert normalize_full_name(name) == name


# --- address and free text ------------------------------------------------------------


def test_address_is_collapsed_to_one_line() -> None:
    raw = "  г. Москва,\n ул. Ленина,\t д. 1, кв. 2  "
    assert normalize_address(raw) == "г. Москва, ул. Ленина, д. 1, кв. 2"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Заполните"),
        (" \n\t ", "Заполните"),
        ("ул. Ленина\x00 1", "управляющие"),
        ("ул. Ленина\u200b 1", "невидимые"),
        ("ул. Ленина\u202e 1", "невидимые"),
        ("12345", "буквы"),
        ("---", "буквы или цифры"),
    ],
)
def test_bad_addresses_are_refused(raw: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        normalize_address(raw)
    assert info.value.field == "address"


def test_address_length_limit() -> None:
    assert len(normalize_address("д" * 500)) == 500
    with pytest.raises(ValidationError, match="500"):
        normalize_address("д" * 501)


def test_clean_text_optional_may_be_empty() -> None:
    assert clean_text("  ", field="x", label="X", max_length=5, required=False) == ""


@given(st.text())
def test_normalize_address_is_idempotent_and_safe(raw: str) -> None:
    try:
        address = normalize_address(raw)
    except ValidationError:
        return
    assert normalize_address(address) == address
    assert address == address.strip()
    assert "\n" not in address
    assert "  " not in address


# --- dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("05.03.1990", date(1990, 3, 5)),
        ("5.3.1990", date(1990, 3, 5)),
        (" 29.02.2024 ", date(2024, 2, 29)),
        ("1990-03-05", date(1990, 3, 5)),
    ],
)
def test_dates_are_parsed(raw: str, expected: date) -> None:
    assert parse_ru_date(raw, field="birth_date") == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Укажите дату"),
        ("05/03/1990", "ДД.ММ.ГГГГ"),
        ("05.03.90", "ДД.ММ.ГГГГ"),
        ("1990-3-5", "ДД.ММ.ГГГГ"),
        ("пятое марта", "ДД.ММ.ГГГГ"),
        ("٠٥.٠٣.١٩٩٠", "ДД.ММ.ГГГГ"),
        ("29.02.2023", "не существует"),
        ("31.04.2020", "не существует"),
        ("00.01.2020", "не существует"),
        ("01.13.2020", "не существует"),
        ("01.01.0000", "не существует"),
        ("2020-02-30", "не существует"),
    ],
)
def test_bad_dates_are_refused(raw: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        parse_ru_date(raw, field="issue_date")
    assert info.value.field == "issue_date"


def test_format_ru_date() -> None:
    assert format_ru_date(date(2024, 2, 9)) == "09.02.2024"
    assert format_ru_date(date(1, 1, 1)) == "01.01.0001"


@given(st.dates())
def test_date_round_trips(d: date) -> None:
    assert parse_ru_date(format_ru_date(d), field="d") == d
    assert parse_ru_date(d.isoformat(), field="d") == d


@given(st.text())
def test_parse_ru_date_raises_only_validation_error(raw: str) -> None:
    with contextlib.suppress(ValidationError):
        parse_ru_date(raw, field="d")


def test_anniversary_of_29_february() -> None:
    assert anniversary(date(2008, 2, 29), 14) == date(2022, 2, 28)
    assert anniversary(date(2008, 2, 29), 16) == date(2024, 2, 29)
    assert anniversary(date(1990, 3, 5), 20) == date(2010, 3, 5)


# --- contacts and FieldErrors ---------------------------------------------------------


def test_validate_contacts_returns_clean_data() -> None:
    data = validate_contacts(
        ContactInput(
            full_name="иванов иван",
            phone="8 916 123 45 67",
            email="Ivan@Mail.RU",
            address=" Москва,  Тверская 1 ",
        )
    )
    assert data == ContactData(
        full_name="Иванов Иван",
        phone="+79161234567",
        email="Ivan@mail.ru",
        address="Москва, Тверская 1",
    )


def test_validate_contacts_reports_every_field() -> None:
    with pytest.raises(FieldErrors) as info:
        validate_contacts(
            ContactInput(full_name="Иванов", phone="+7 701 1234567", email="x", address="")
        )
    errors = info.value.errors
    assert list(errors) == ["full_name", "phone", "email", "address"]
    assert "Казахстан" in errors["phone"]
    assert info.value.field == "full_name"
    assert info.value.message == errors["full_name"]
    assert isinstance(info.value, ValidationError)


def test_field_errors_needs_an_error() -> None:
    with pytest.raises(ValueError, match="at least one"):
        FieldErrors({})
