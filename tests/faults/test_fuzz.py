"""Property-based fuzzing (hypothesis) of everything that reads what people or files give the
app: the form validators, money, tariff files of random content, and the photo pipeline on
random and mutated image bytes. The one rule: the answer is a value or a domain error
(`PrivetError`, whose message is shown to a master) — never another exception.

Where a validator's output is fed back to it (a saved phone is validated again when the form
is re-opened), the second pass must accept it unchanged.

    PRIVET_FUZZ_EXAMPLES=5000 .venv/bin/pytest tests/faults/test_fuzz.py   # a longer hunt
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from privet_tui import photos
from privet_tui.errors import PrivetError
from privet_tui.services import accounts, support
from privet_tui.services.rules import catalog, otp, passport, pricing, validation
from privet_tui.services.rules.tariff_files import parse_tariffs_file

pytestmark = pytest.mark.faults

T = TypeVar("T")
#: Examples per property: 200 in the suite; PRIVET_FUZZ_EXAMPLES=5000 for a long hunt.
EXAMPLES = int(os.environ.get("PRIVET_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
TODAY = date(2026, 1, 15)

#: Text as people type and paste it: anything, plus near-misses of the valid forms.
ANY_TEXT = st.text(max_size=300)
LONG_TEXT = st.text(min_size=250, max_size=3000)
PHONEISH = st.from_regex(r"[+]?[78 ]?[ (]?[0-9]{0,4}[) -]?[0-9 ().-]{0,14}", fullmatch=True)
PAST_DATES = st.dates(min_value=date(1890, 1, 1), max_value=date(2026, 1, 15)).map(
    lambda d: f"{d.day:02d}.{d.month:02d}.{d.year:04d}"
)
EMAILISH = st.from_regex(r"[A-Za-z0-9._%+\-А-я]{0,70}@[A-Za-z0-9.\-а-я]{0,70}", fullmatch=True)
NAMEISH = st.from_regex(r"[А-яЁёA-z'’ʼ\- ]{0,60}", fullmatch=True)
DATEISH = st.one_of(
    st.from_regex(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,5}", fullmatch=True),
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
    st.dates().map(lambda d: f"{d.day:02d}.{d.month:02d}.{d.year:04d}"),
)
DIGITISH = st.from_regex(r"[0-9 \-]{0,14}", fullmatch=True)
SEPARATOR = st.sampled_from(["", " ", "-", "  ", "\u00a0"])
# Near-valid forms, so the checks on accepted values run often, not by luck.
GOOD_PHONES = st.builds(
    lambda prefix, code, digits, sep, paren: (
        f"{prefix}{sep}{'(' if paren else ''}{code}{')' if paren else ''}{sep}"
        f"{digits[:3]}{sep}{digits[3:5]}{sep}{digits[5:]}"
    ),
    st.sampled_from(["8", "+7", "7", "", "+8", "007"]),
    st.sampled_from(["916", "903", "925", "495", "812", "800", "701", "999", "000", "383"]),
    st.from_regex(r"[0-9]{7}", fullmatch=True),
    SEPARATOR,
    st.booleans(),
)
GOOD_EMAILS = st.builds(
    lambda local, domain, tld, case: (
        f"{local}@{domain}.{tld}".upper() if case else (f"{local}@{domain}.{tld}")
    ),
    st.from_regex(r"[a-z0-9][a-z0-9._+\-]{0,20}", fullmatch=True),
    st.from_regex(r"[a-zа-я0-9][a-zа-я0-9\-]{0,12}", fullmatch=True),
    st.sampled_from(["ru", "рф", "com", "xn--p1ai", "r", "москва"]),
    st.booleans(),
)
NAME_WORDS = st.sampled_from(
    ["петров", "ИВАН", "Сергеевич", "д'артаньян", "Римский-Корсаков", "o'neil", "Ёлкин", "x", "Ли"]
)
GOOD_NAMES = st.lists(NAME_WORDS, min_size=1, max_size=4).map(" ".join)
TEXTS = {
    "any": ANY_TEXT,
    "long": LONG_TEXT,
    "phone": PHONEISH,
    "email": EMAILISH,
    "name": NAMEISH,
    "date": DATEISH,
    "digits": DIGITISH,
}
FIELD = st.one_of(*TEXTS.values())


def outcome(call: Callable[[], T]) -> T | PrivetError:
    """The value, or the domain error; any other exception fails the test."""
    try:
        value = call()
    except PrivetError as exc:
        error = exc
    else:
        event("accepted")
        return value
    event(f"refused: {type(error).__name__}")
    assert error.message, "a domain error without a message"
    return error


# --- form validators ----------------------------------------------------------------------


@FUZZ
@given(raw=st.one_of(GOOD_PHONES, PHONEISH, ANY_TEXT))
@example(raw="8 (916) 123-45-67")
@example(raw="+7 7012 345678")  # Kazakhstan
@example(raw="8-800-555-35-35")
def test_phone(raw: str) -> None:
    result = outcome(lambda: validation.normalize_phone(raw))
    if isinstance(result, str):
        assert validation.normalize_phone(result) == result
        assert validation.format_phone(result).startswith("+7 ")


@FUZZ
@given(raw=st.one_of(GOOD_EMAILS, EMAILISH, ANY_TEXT))
@example(raw="почта@пример.рф")
@example(raw="a@xn--e1afmkfd.xn--p1ai")
@example(raw="a@xn--.ru")
def test_email(raw: str) -> None:
    result = outcome(lambda: validation.normalize_email(raw))
    if isinstance(result, str):
        assert validation.normalize_email(result) == result


@FUZZ
@given(raw=st.one_of(GOOD_NAMES, NAMEISH, ANY_TEXT, LONG_TEXT))
@example(raw="д'артаньян шарль-ог")
def test_full_name(raw: str) -> None:
    result = outcome(lambda: validation.normalize_full_name(raw))
    if isinstance(result, str):
        assert validation.normalize_full_name(result) == result
        parts = validation.split_full_name(result)
        assert " ".join(p for p in parts if p) == result


@FUZZ
@given(raw=FIELD, max_length=st.integers(1, 600), required=st.booleans())
def test_free_text_and_address(raw: str, max_length: int, required: bool) -> None:
    cleaned = outcome(
        lambda: validation.clean_text(
            raw, field="f", label="Поле", max_length=max_length, required=required
        )
    )
    if isinstance(cleaned, str):
        assert len(cleaned) <= max_length
    outcome(lambda: validation.normalize_address(raw))
    outcome(lambda: support.clean_message(raw))


@FUZZ
@given(raw=st.one_of(DATEISH, ANY_TEXT))
@example(raw="29.02.2023")
@example(raw="31.04.2020")
@example(raw="0.0.0000")
def test_date(raw: str) -> None:
    result = outcome(lambda: validation.parse_ru_date(raw, field="d"))
    if isinstance(result, date):
        assert validation.parse_ru_date(validation.format_ru_date(result), field="d") == result


@st.composite
def mutated_form(draw: st.DrawFn, valid: dict[str, str], fields: dict[str, Any]) -> dict[str, str]:
    """A valid form with zero, one or two fields replaced by fuzz."""
    form = dict(valid)
    for name in draw(st.lists(st.sampled_from(sorted(fields)), max_size=2, unique=True)):
        form[name] = draw(fields[name])
    return form


VALID_CONTACTS = {
    "full_name": "петров иван сергеевич",
    "phone": "8 916 123-45-67",
    "email": "ivan@example.ru",
    "address": "г. Москва, ул. Ленина, д. 1",
}
CONTACT_FIELDS = {
    "full_name": st.one_of(GOOD_NAMES, FIELD),
    "phone": st.one_of(GOOD_PHONES, FIELD),
    "email": st.one_of(GOOD_EMAILS, FIELD),
    "address": FIELD,
}


@FUZZ
@given(form=mutated_form(VALID_CONTACTS, CONTACT_FIELDS))
def test_contacts_form(form: dict[str, str]) -> None:
    result = outcome(lambda: validation.validate_contacts(validation.ContactInput(**form)))
    if isinstance(result, validation.ContactData):
        again = validation.ContactInput(**vars(result))
        assert validation.validate_contacts(again) == result


VALID_PASSPORT = {
    "series": "46 08",
    "number": "739146",
    "issue_date": "15.06.2015",
    "issued_by": "ОВД района Хамовники г. Москвы",
    "department_code": "770-001",
    "birth_date": "05.03.1990",
    "birth_place": "г. Москва",
    "registration_address": "г. Москва, ул. Ленина, д. 1, кв. 2",
}
PASSPORT_FIELDS = {
    "series": st.one_of(st.from_regex(r"[0-9]{2} ?[0-9]{2}", fullmatch=True), FIELD),
    "number": st.one_of(st.from_regex(r"[0-9]{6}", fullmatch=True), DIGITISH, FIELD),
    "issue_date": st.one_of(PAST_DATES, DATEISH, FIELD),
    "issued_by": FIELD,
    "department_code": st.one_of(st.from_regex(r"[0-9]{3} ?-? ?[0-9]{3}", fullmatch=True), FIELD),
    "birth_date": st.one_of(PAST_DATES, DATEISH, FIELD),
    "birth_place": FIELD,
    "registration_address": FIELD,
}


@FUZZ
@given(
    form=mutated_form(VALID_PASSPORT, PASSPORT_FIELDS),
    today=st.one_of(st.just(TODAY), st.dates(min_value=date(1900, 1, 1))),
)
def test_passport_form(form: dict[str, str], today: date) -> None:
    result = outcome(
        lambda: passport.validate_passport(passport.PassportInput(**form), today=today)
    )
    if isinstance(result, passport.PassportData):
        assert result.issue_date <= today
        assert passport.MIN_AGE <= passport.age_on(result.birth_date, today) <= passport.MAX_AGE
        assert isinstance(passport.passport_expired(result, today=today), bool)


@FUZZ
@given(series=FIELD, number=FIELD)
def test_passport_mask_never_shows_more_than_five_digits(series: str, number: str) -> None:
    masked = passport.mask_passport(series, number)
    assert sum(ch.isdigit() for ch in masked) <= 5


@FUZZ
@given(
    category=st.one_of(st.sampled_from(sorted(catalog.DEVICE_CATEGORIES)), FIELD),
    brand=st.one_of(st.just("LG"), FIELD),
    model=st.one_of(st.just("OLED55"), FIELD),
    serial=st.one_of(st.none(), st.just(""), FIELD),
)
@example(category="TV ", brand="LG", model="X", serial="")
def test_device_form(category: str, brand: str, model: str, serial: str | None) -> None:
    result = outcome(
        lambda: catalog.validate_device(catalog.DeviceInput(category, brand, model, serial))
    )
    if isinstance(result, catalog.DeviceInput):
        assert catalog.validate_device(result) == result
    outcome(lambda: catalog.validate_payment_method(category))


@FUZZ
@given(raw=FIELD)
@example(raw="12 34 56")
@example(raw="١٢٣٤٥٦")  # Arabic-Indic digits are not the code's digits
def test_otp_code_as_typed(raw: str) -> None:
    typed = otp.normalize_code(raw)
    assert typed is None or (len(typed) == otp.CODE_LENGTH and typed.isascii() and typed.isdigit())


@FUZZ
@given(email=st.one_of(GOOD_EMAILS, FIELD), password=FIELD)
def test_login_fields(email: str, password: str) -> None:
    outcome(lambda: accounts.normalize_login_email(email))
    outcome(lambda: accounts.check_password_rules(password))


# --- money ----------------------------------------------------------------------------------

AMOUNTS: st.SearchStrategy[Any] = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.from_regex(r" ?-?[0-9 \u00a0]{0,16}([.,][0-9]{0,5})? ?", fullmatch=True),
    ANY_TEXT,
    st.floats(),
    st.booleans(),
    st.none(),
)


@FUZZ
@given(value=AMOUNTS)
@example(value=Decimal("9999999999.995"))
@example(value="1e3")
@example(value=Decimal("-0.001"))
def test_money(value: Any) -> None:
    result = outcome(lambda: pricing.money(value, field="amount"))
    if isinstance(result, Decimal):
        assert result == result.quantize(Decimal("0.01"))
        assert abs(result) <= pricing.MAX_AMOUNT
        assert not isinstance(value, float | bool)  # floats are never money
        assert pricing.format_money(result).endswith("₽")


# --- tariff files -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="privet-fuzz-") as folder:
        yield Path(folder)


TOML_VALUES = st.one_of(
    st.integers(-10, 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda f: repr(f).lower()),
    st.text(max_size=20).map(lambda t: '"' + t.replace("\\", "").replace('"', "") + '"'),
    st.sampled_from(["true", "false", "[]", "{}", '"490,50"', '"1e3"', "-0", "0.125"]),
)
TOML_KEYS = st.sampled_from(
    [
        "code",
        "name",
        "monthly_fee",
        "included_devices",
        "extra_device_fee",
        "activation_fee",
        "active",
        "description",
        "unknown",
    ]
)
TOML_DOCS = st.lists(
    st.dictionaries(TOML_KEYS, TOML_VALUES, max_size=9), min_size=0, max_size=3
).map(
    lambda tables: "\n".join(
        "[[tariff]]\n" + "\n".join(f"{k} = {v}" for k, v in t.items()) for t in tables
    )
)
CSV_DOCS = st.lists(
    st.lists(st.one_of(st.text(max_size=12), TOML_VALUES), max_size=10).map(",".join),
    max_size=5,
).map(
    lambda rows: "\n".join(
        [
            "code,name,monthly_fee,included_devices,extra_device_fee,activation_fee,active,"
            "description,category_fees",
            *rows,
        ]
    )
)


@FUZZ
@given(
    suffix=st.sampled_from([".toml", ".csv", ".TOML", ".txt"]),
    content=st.one_of(st.binary(max_size=600), st.text(max_size=600).map(str.encode)),
)
def test_tariff_file_of_random_bytes(scratch: Path, suffix: str, content: bytes) -> None:
    path = scratch / f"random{suffix}"
    path.write_bytes(content)
    outcome(lambda: parse_tariffs_file(path))


VALID_TARIFF = {
    "code": '"base"',
    "name": '"Базовый"',
    "monthly_fee": '"490.00"',
    "included_devices": "2",
    "extra_device_fee": "150",
    "activation_fee": "490.5",
    "active": "true",
    "description": '"Два устройства"',
}
TARIFF_FIELDS = dict.fromkeys(VALID_TARIFF, TOML_VALUES)
MUTATED_TOML = mutated_form(VALID_TARIFF, TARIFF_FIELDS).map(
    lambda t: "[[tariff]]\n" + "\n".join(f"{k} = {v}" for k, v in t.items())
)


@FUZZ
@given(document=st.one_of(MUTATED_TOML, TOML_DOCS, CSV_DOCS))
def test_tariff_file_of_near_valid_content(scratch: Path, document: str) -> None:
    suffix = ".csv" if document.startswith("code,") else ".toml"
    path = scratch / f"near{suffix}"
    path.write_text(document, encoding="utf-8")
    plans = outcome(lambda: parse_tariffs_file(path))
    if isinstance(plans, list):
        for plan in plans:
            quote = pricing.calculate_surcharge(plan, ["tv", "fridge", "tv"])
            assert quote.total >= 0


# --- photos -----------------------------------------------------------------------------------


def _image_bytes(fmt: str, mode: str, size: tuple[int, int] = (48, 32), **options: Any) -> bytes:
    picture = Image.new(mode, size)
    for x in range(size[0]):  # some structure, so the encoders have something to encode
        single = mode in ("L", "P", "1", "I;16")
        picture.putpixel((x, x % size[1]), 255 if single else (255,) * len(mode))
    buffer = io.BytesIO()
    picture.save(buffer, fmt, **options)
    return buffer.getvalue()


SEEDS = {
    "jpeg": _image_bytes("JPEG", "RGB", quality=80),
    "progressive-jpeg": _image_bytes("JPEG", "RGB", progressive=True),
    "cmyk-jpeg": _image_bytes("JPEG", "CMYK"),
    "png-alpha": _image_bytes("PNG", "RGBA"),
    "png-16bit": _image_bytes("PNG", "I;16"),
    "gif": _image_bytes("GIF", "P"),
    "bmp": _image_bytes("BMP", "RGB"),
    "tiff": _image_bytes("TIFF", "RGB", compression="tiff_lzw"),
    "webp": _image_bytes("WEBP", "RGB"),
}


@st.composite
def mutated_images(draw: st.DrawFn) -> bytes:
    """A valid image of some format with bytes overwritten, cut, duplicated or inserted."""
    data = bytearray(SEEDS[draw(st.sampled_from(sorted(SEEDS)))])
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "dup", "header"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at : at + draw(st.integers(1, 400))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "dup":
            data += data[at : at + draw(st.integers(1, 2000))]
        elif kind == "header" and len(data) > 32:  # dimensions and lengths live up front
            spot = draw(st.integers(0, 31))
            data[spot] = draw(st.sampled_from([0x00, 0x7F, 0x80, 0xFF]))
    return bytes(data)


def _prepare_bytes(scratch: Path, data: bytes) -> photos.PreparedPhoto | PrivetError:
    path = scratch / "photo.bin"
    path.write_bytes(data)
    result = outcome(lambda: photos.prepare(path, max_pixels=4_000_000))
    if isinstance(result, photos.PreparedPhoto):
        assert 0 < result.width <= 1200
        assert 0 < result.height <= 1200
        assert result.data[:3] == b"\xff\xd8\xff"
    else:
        assert isinstance(result, photos.PhotoError)
    return result


@FUZZ
@given(data=st.binary(max_size=4096))
@example(data=b"")
@example(data=b"\xff\xd8\xff")
@example(data=b"\x89PNG\r\n\x1a\n")
def test_prepare_random_bytes(scratch: Path, data: bytes) -> None:
    _prepare_bytes(scratch, data)


@pytest.mark.filterwarnings("ignore::UserWarning:PIL.TiffImagePlugin")  # damaged EXIF: noted
@FUZZ
@given(data=mutated_images())
def test_prepare_mutated_images(scratch: Path, data: bytes) -> None:
    _prepare_bytes(scratch, data)
    preview = outcome(lambda: photos.make_preview(data, max_pixels=4_000_000))
    if not isinstance(preview, PrivetError):
        assert preview.width <= 64


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_every_seed_image_is_accepted(scratch: Path, name: str) -> None:
    """The unmutated seeds are good photos: the fuzzing starts from files that pass."""
    path = scratch / f"seed-{name}"
    path.write_bytes(SEEDS[name])
    assert photos.prepare(path).width == 48
