"""Pure validators for what a master types (phone, email, name, address, dates), so every
screen and the CLI accept and refuse exactly the same input with the same Russian message.

Every validator returns the clean value or raises `ValidationError` (never anything else).
Two rules of `privet_tui.services.rules.characters` hold for every field:

- free text that reaches a document or the client's chat passes `require_printable`: every
  character is one the document font prints (`privet_tui.pdf.glyphs`), so nothing typed is
  silently lost in the PDF;
- a field with separators (phone, passport series and number, division code, dates) goes
  through `normalize_separators` before its format is checked, so Unicode dashes, no-break
  spaces and full-width digits pasted from elsewhere mean what they look like.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import phonenumbers

from privet_tui.errors import ValidationError
from privet_tui.services.rules.characters import normalize_separators, require_printable

__all__ = [
    "ContactData",
    "ContactInput",
    "ErrorCollector",
    "FieldErrors",
    "anniversary",
    "clean_text",
    "format_phone",
    "format_ru_date",
    "normalize_address",
    "normalize_email",
    "normalize_full_name",
    "normalize_phone",
    "parse_ru_date",
    "split_full_name",
    "validate_contacts",
]

T = TypeVar("T")


class FieldErrors(ValidationError):
    """Several field errors at once, so a form can show each next to its field."""

    def __init__(self, errors: Mapping[str, str], *, title: str | None = None) -> None:
        if not errors:
            raise ValueError("FieldErrors needs at least one error")
        self.errors: dict[str, str] = dict(errors)
        first_field, first_message = next(iter(self.errors.items()))
        super().__init__(first_message, field=first_field, title=title)


class ErrorCollector:
    """Runs field validators and remembers the first error of each field."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def check(self, field: str, validate: Callable[[], T]) -> T | None:
        """Return the validator's result, or None after recording its error under `field`."""
        try:
            return validate()
        except ValidationError as exc:
            self.errors.setdefault(field, exc.message)
            return None

    def raise_if_any(self, *, order: Sequence[str] = ()) -> None:
        """Raise `FieldErrors` when any field failed, fields listed in `order` first."""
        if self.errors:
            ranked = sorted(
                self.errors.items(),
                key=lambda item: order.index(item[0]) if item[0] in order else len(order),
            )
            raise FieldErrors(dict(ranked))


# --- free text ------------------------------------------------------------------------

_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def clean_text(raw: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    """Return `raw` NFC-normalised with whitespace collapsed, refusing control/invisible
    characters, characters the document font lacks (`require_printable`) and text over
    `max_length` characters, so stored text prints the same everywhere."""
    text = " ".join(unicodedata.normalize("NFC", raw).split())
    if not text:
        if required:
            raise ValidationError(f"Заполните поле «{label}»", field=field)
        return ""
    if any(unicodedata.category(ch) in _INVISIBLE_CATEGORIES for ch in text):
        raise ValidationError(
            f"Поле «{label}» содержит управляющие или невидимые символы — наберите текст заново",
            field=field,
        )
    require_printable(text, field=field, label=label)
    if len(text) > max_length:
        raise ValidationError(
            f"Поле «{label}» слишком длинное: не больше {max_length} символов", field=field
        )
    if not any(ch.isalnum() for ch in text):
        raise ValidationError(f"Поле «{label}» должно содержать буквы или цифры", field=field)
    return text


def normalize_address(raw: str, *, field: str = "address", label: str = "Адрес") -> str:
    """Return a one-line address (≤ 500 characters, with at least one letter)."""
    text = clean_text(raw, field=field, label=label, max_length=500)
    if not any(ch.isalpha() for ch in text):
        raise ValidationError(f"Поле «{label}» должно содержать буквы", field=field)
    return text


# --- phone ----------------------------------------------------------------------------

_PHONE_CHARS = re.compile(r"\+?[0-9 ().\-]+")
_RU_PHONE_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
)
_E164_RU = re.compile(r"\+7([0-9]{3})([0-9]{3})([0-9]{2})([0-9]{2})")


def normalize_phone(raw: str, *, field: str = "phone") -> str:
    """Return a Russian mobile or landline number as E.164 `+7XXXXXXXXXX`.

    The text is normalised first (`normalize_separators`: any dash, no-break spaces,
    full-width digits). A leading «00» is the international call prefix (ITU-T E.164), read as
    «+»: no Russian number begins with 0, so `007 916 …` can only mean `+7 916 …`. The country
    is judged only for a number valid in its own plan: an impossible number is "wrong", never
    "foreign"; a valid Kazakh `+7 6xx/7xx`, a foreign, toll-free or premium number is refused
    by name.
    """
    text = normalize_separators(raw)
    if not text:
        raise ValidationError("Введите номер телефона", field=field)
    if text.startswith("00") and len(text) > 2:
        text = "+" + text[2:]
    if len(text) > 40 or not _PHONE_CHARS.fullmatch(text):
        raise ValidationError(
            "Номер телефона может содержать только цифры, пробелы, скобки, точки, дефисы или "
            "тире и «+» (или «00») в начале",
            field=field,
        )
    wrong = ValidationError(
        "Неверный номер телефона: нужно 10 цифр после +7 или 8, например 8 916 123-45-67",
        field=field,
    )
    try:
        number = phonenumbers.parse(text, "RU")
    except phonenumbers.NumberParseException:
        raise wrong from None
    if not phonenumbers.is_valid_number(number):
        raise wrong
    if number.country_code != 7:
        raise ValidationError(
            f"Номер не российский (код страны +{number.country_code}) — укажите российский номер",
            field=field,
        )
    region = phonenumbers.region_code_for_number(number)
    if region == "KZ":
        raise ValidationError(
            "Номер не российский (Казахстан, +7 6xx/7xx) — укажите российский номер", field=field
        )
    if region != "RU" or phonenumbers.number_type(number) not in _RU_PHONE_TYPES:
        raise ValidationError(
            "Нужен мобильный или городской номер (не 8-800 и не платный)", field=field
        )
    return f"+7{number.national_number}"


def format_phone(e164: str) -> str:
    """Return `+7XXXXXXXXXX` as `+7 916 123-45-67` for display; anything else is shown as is."""
    match = _E164_RU.fullmatch(e164)
    if match is None:
        return e164
    code, first, second, third = match.groups()
    return f"+7 {code} {first}-{second}-{third}"


# --- email ----------------------------------------------------------------------------

_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_DOMAIN_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def normalize_email(raw: str, *, field: str = "email") -> str:
    """Return a trimmed email with its domain lower-cased and in Unicode form.

    Deliberately simple: an ASCII dot-atom local part (≤ 64), one `@`, a domain of at least
    two labels whose IDNA (punycode) form is valid — so `почта@пример.рф` is accepted and
    `…@xn--e1afmkfd.xn--p1ai` becomes `…@пример.рф`; total length ≤ 254.
    """
    text = unicodedata.normalize("NFC", raw.strip())
    example = "Адрес почты должен выглядеть как name@example.ru"
    label = "Электронная почта"
    if not text:
        raise ValidationError("Введите адрес электронной почты", field=field)
    if any(ch.isspace() for ch in text):
        raise ValidationError("В адресе почты не должно быть пробелов", field=field)
    if len(text) > 254:
        raise ValidationError("Слишком длинный адрес почты (больше 254 символов)", field=field)
    if text.count("@") != 1:
        raise ValidationError(example, field=field)
    local, domain = text.split("@")
    if not local or len(local) > 64 or not _LOCAL_PART.fullmatch(local):
        raise ValidationError(
            "Часть адреса почты до «@» может содержать только латинские буквы, цифры и . _ - +",
            field=field,
        )
    try:
        ascii_domain = domain.lower().encode("idna").decode("ascii")
        unicode_domain = ascii_domain.encode("ascii").decode("idna").lower()
    except UnicodeError:
        raise ValidationError(example, field=field) from None
    labels = ascii_domain.split(".")
    if (
        len(labels) < 2
        or len(ascii_domain) > 253
        or not all(_DOMAIN_LABEL.fullmatch(label) for label in labels)
        or labels[-1].isdigit()
        or len(labels[-1]) < 2
    ):
        raise ValidationError(example, field=field)
    email = f"{local}@{unicode_domain}"
    if len(email) > 254 or len(local) + 1 + len(ascii_domain) > 254:
        raise ValidationError("Слишком длинный адрес почты (больше 254 символов)", field=field)
    return require_printable(email, field=field, label=label)


# --- full name ------------------------------------------------------------------------

_NAME_WORD = re.compile(r"[A-Za-zА-Яа-яЁё]+(?:['-][A-Za-zА-Яа-яЁё]+)*")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_LATIN = re.compile(r"[A-Za-z]")
_NAME_SEGMENT_SPLIT = re.compile(r"(['-])")


def _capitalise_word(word: str) -> str:
    """Upper-case the first letter of each hyphen/apostrophe segment and lower the rest."""
    parts = _NAME_SEGMENT_SPLIT.split(word)
    return "".join(part[:1].upper() + part[1:].lower() for part in parts)


def normalize_full_name(raw: str, *, field: str = "full_name") -> str:
    """Return «Фамилия Имя [Отчество]»: 2–3 words of Cyrillic or Latin letters (a hyphen or an
    apostrophe inside a word is fine), spaces collapsed, each part capitalised, ≤ 200 chars."""
    text = unicodedata.normalize("NFC", raw).replace("’", "'").replace("ʼ", "'")
    words = text.split()
    if not words:
        raise ValidationError("Введите фамилию, имя и отчество", field=field)
    if not 2 <= len(words) <= 3:
        raise ValidationError(
            "Укажите фамилию, имя и (если есть) отчество — 2 или 3 слова", field=field
        )
    for word in words:
        if not _NAME_WORD.fullmatch(word):
            raise ValidationError(
                "В ФИО допустимы только русские или латинские буквы, дефис и апостроф",
                field=field,
            )
        if _CYRILLIC.search(word) and _LATIN.search(word):
            raise ValidationError(
                f"В слове «{word}» смешаны русские и латинские буквы — наберите его заново",
                field=field,
            )
    name = " ".join(_capitalise_word(word) for word in words)
    if len(name) > 200:
        raise ValidationError("ФИО слишком длинное: не больше 200 символов", field=field)
    return name


def split_full_name(full: str, *, field: str = "full_name") -> tuple[str, str, str | None]:
    """Return (last, first, middle or None) from «Фамилия Имя Отчество» (validated first)."""
    words = normalize_full_name(full, field=field).split(" ")
    if len(words) == 2:
        return words[0], words[1], None
    return words[0], words[1], words[2]


# --- dates ----------------------------------------------------------------------------

_RU_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def parse_ru_date(raw: str, *, field: str) -> date:
    """Return the date typed as `ДД.ММ.ГГГГ` (or ISO `ГГГГ-ММ-ДД`), refusing impossible ones;
    the text is normalised first (`normalize_separators`), so full-width digits, no-break
    spaces around it and any dash in the ISO form are read as what they look like."""
    text = normalize_separators(raw)
    if not text:
        raise ValidationError("Укажите дату в формате ДД.ММ.ГГГГ", field=field)
    ru = _RU_DATE.fullmatch(text)
    iso = _ISO_DATE.fullmatch(text)
    if ru is not None:
        day, month, year = (int(part) for part in ru.groups())
    elif iso is not None:
        year, month, day = (int(part) for part in iso.groups())
    else:
        raise ValidationError(
            "Дата должна быть в формате ДД.ММ.ГГГГ, например 05.03.1990", field=field
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(f"Такой даты не существует: {text}", field=field) from None


def format_ru_date(d: date) -> str:
    """Return the date as `ДД.ММ.ГГГГ`, the form a master types and reads."""
    return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"


def anniversary(born: date, years: int) -> date:
    """Return the day `born` turns `years` old; 29 February falls on 28 February in common
    years (Civil Code of the RF, art. 192 p. 3: a missing day is the last day of the month)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return born.replace(year=born.year + years, day=28)


# --- contacts (step 1) ----------------------------------------------------------------


@dataclass(frozen=True)
class ContactInput:
    """Step 1 form fields exactly as typed."""

    full_name: str
    phone: str
    email: str
    address: str


@dataclass(frozen=True)
class ContactData:
    """Step 1 data after validation, ready to store."""

    full_name: str
    phone: str
    email: str
    address: str


def validate_contacts(inp: ContactInput) -> ContactData:
    """Return clean contacts or raise `FieldErrors` naming every wrong field at once."""
    check = ErrorCollector()
    full_name = check.check("full_name", lambda: normalize_full_name(inp.full_name))
    phone = check.check("phone", lambda: normalize_phone(inp.phone))
    email = check.check("email", lambda: normalize_email(inp.email))
    address = check.check("address", lambda: normalize_address(inp.address))
    check.raise_if_any()
    # FieldErrors was not raised, so every field has its value.
    assert full_name is not None
    assert phone is not None
    assert email is not None
    assert address is not None
    return ContactData(full_name=full_name, phone=phone, email=email, address=address)
