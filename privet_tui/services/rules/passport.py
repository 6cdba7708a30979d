"""Russian internal passport rules (step 2): validation of the typed form, the 20/45 replacement
rule and the masked form shown in lists, kept pure so the rules are tested without a database.

Beyond the format, a passport must be one that could exist (Положение о паспорте гражданина
Российской Федерации, Постановление Правительства РФ от 08.07.1997 № 828):

- issued on or after 01.10.1997, the day these passports began to be issued (Указ Президента
  РФ от 13.03.1997 № 232), and not before the holder's 14th birthday (p. 1 of the Regulation);
- the series begins with the code of the region the blank was made for (`SERIES_REGIONS`) and
  the division code with the code of a federal subject (`DIVISION_SUBJECTS`);
- one issued before the 20th (or 45th) birthday is replaced then and stops being valid 90 days
  later (`passport_expired`, p. 7 of the Regulation); so a passport issued at 14..19 is valid
  until 20, at 20..44 until 45, from 45 on for life, and the issue date is checked against the
  birth date only through the 14th birthday: any later day is a day a passport can be issued.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from privet_tui.errors import ValidationError
from privet_tui.services.rules.characters import normalize_separators
from privet_tui.services.rules.validation import (
    ErrorCollector,
    anniversary,
    clean_text,
    format_ru_date,
    normalize_address,
    parse_ru_date,
)

__all__ = [
    "DIVISION_SUBJECTS",
    "FIRST_ISSUE_DATE",
    "MAX_AGE",
    "MIN_AGE",
    "REPLACEMENT_AGES",
    "REPLACEMENT_GRACE",
    "SERIES_REGIONS",
    "PassportData",
    "PassportInput",
    "age_on",
    "mask_passport",
    "passport_expired",
    "validate_passport",
]

MIN_AGE = 14
MAX_AGE = 120
REPLACEMENT_AGES = (20, 45)
REPLACEMENT_GRACE = timedelta(days=90)
#: The first day passports of the Russian Federation were issued (Decree № 828 of 08.07.1997).
FIRST_ISSUE_DATE = date(1997, 10, 1)

#: First two digits of a passport series: the first-level codes of the federal subjects in
#: OKATO (ОК 019-95, Общероссийский классификатор объектов административно-территориального
#: деления, Росстат; section 1 «Объекты административно-территориального деления»), with the
#: later additions 35 Республика Крым and 67 Севастополь (2014), 21 ДНР, 23 Запорожская обл.,
#: 43 ЛНР and 74 Херсонская обл. (2022-2023), and 55 «иные территории, включая г. Байконур».
#: 39, not an OKATO code, is kept for the passports issued in Crimea since 2014 on blanks of
#: series 39; refusing a real passport would cost more than accepting one more code.
SERIES_REGIONS = frozenset(
    (  # noqa: SIM905 - the table reads as the classifier prints it
        "01 03 04 05 07 08 10 11 12 14 15 17 18 19 20 21 22 23 24 25 26 27 28 29 30 32 33 34 35 "
        "36 37 38 39 40 41 42 43 44 45 46 47 49 50 52 53 54 55 56 57 58 60 61 63 64 65 66 67 68 "
        "69 70 71 73 74 75 76 77 78 79 80 81 82 83 84 85 86 87 88 89 90 91 92 93 94 95 96 97 98 99"
    ).split()
)

#: First two digits of a division code: the code of the federal subject (the order of Art. 65
#: of the Constitution, as in the region codes of the ФНС and ФИАС/ГАР): 01..89 (including the
#: autonomous okrugs merged in 2005-2008, whose units issued passports until then), 90
#: Запорожская обл., 91 Республика Крым, 92 Севастополь, 93 ДНР, 94 ЛНР, 95 Херсонская обл.
#: and 99 Байконур.
DIVISION_SUBJECTS = frozenset({f"{code:02d}" for code in range(1, 96)} | {"99"})

_SERIES = re.compile(r"[0-9]{4}")
_NUMBER = re.compile(r"[0-9]{6}")
_DEPARTMENT = re.compile(r"([0-9]{3}) ?-? ?([0-9]{3})")
_FORM_ORDER = (
    "series",
    "number",
    "issue_date",
    "issued_by",
    "department_code",
    "birth_date",
    "birth_place",
    "registration_address",
)


@dataclass(frozen=True)
class PassportInput:
    """Step 2 form fields exactly as typed (dates as `ДД.ММ.ГГГГ`)."""

    series: str
    number: str
    issue_date: str
    issued_by: str
    department_code: str
    birth_date: str
    birth_place: str
    registration_address: str


@dataclass(frozen=True)
class PassportData:
    """A validated passport: series `4510`, number `123456`, department code `123-456`."""

    series: str
    number: str
    issue_date: date
    issued_by: str
    department_code: str
    birth_date: date
    birth_place: str
    registration_address: str


def age_on(born: date, today: date) -> int:
    """Return full years of age on `today` (a 29 February birthday counts on 28 February)."""
    years = today.year - born.year
    return years if today >= anniversary(born, years) else years - 1


def _series(raw: str) -> str:
    digits = normalize_separators(raw).replace(" ", "")
    if not _SERIES.fullmatch(digits):
        raise ValidationError("Серия паспорта — 4 цифры, например 45 10", field="series")
    if digits[:2] not in SERIES_REGIONS:
        raise ValidationError(
            f"Серия паспорта начинается с кода региона, а «{digits[:2]}» — не код региона: "
            "проверьте серию",
            field="series",
        )
    return digits


def _number(raw: str) -> str:
    digits = normalize_separators(raw).replace(" ", "")
    if not _NUMBER.fullmatch(digits):
        raise ValidationError("Номер паспорта — 6 цифр, например 123456", field="number")
    return digits


def _department_code(raw: str) -> str:
    match = _DEPARTMENT.fullmatch(normalize_separators(raw))
    if match is None:
        raise ValidationError("Код подразделения — 6 цифр в виде 123-456", field="department_code")
    if match.group(1)[:2] not in DIVISION_SUBJECTS:
        raise ValidationError(
            f"Код подразделения начинается с кода региона, а «{match.group(1)[:2]}» — не код "
            "региона: проверьте код",
            field="department_code",
        )
    return f"{match.group(1)}-{match.group(2)}"


def _birth_date(raw: str, today: date) -> date:
    born = parse_ru_date(raw, field="birth_date")
    if born > today:
        raise ValidationError("Дата рождения не может быть в будущем", field="birth_date")
    age = age_on(born, today)
    if age < MIN_AGE:
        raise ValidationError(
            f"Паспорт выдаётся с {MIN_AGE} лет, а клиенту {age} — проверьте дату рождения",
            field="birth_date",
        )
    if age > MAX_AGE:
        raise ValidationError(
            f"Возраст больше {MAX_AGE} лет — проверьте дату рождения", field="birth_date"
        )
    return born


def _issue_date(raw: str, today: date, born: date | None) -> date:
    issued = parse_ru_date(raw, field="issue_date")
    if issued > today:
        raise ValidationError("Дата выдачи не может быть в будущем", field="issue_date")
    if issued < FIRST_ISSUE_DATE:
        raise ValidationError(
            f"Паспорта гражданина РФ выдаются с {format_ru_date(FIRST_ISSUE_DATE)}, "
            "а дата выдачи раньше — проверьте её",
            field="issue_date",
        )
    if born is not None and issued < anniversary(born, MIN_AGE):
        earliest = format_ru_date(anniversary(born, MIN_AGE))
        raise ValidationError(
            f"Паспорт не мог быть выдан до {MIN_AGE}-летия ({earliest}) — проверьте дату выдачи",
            field="issue_date",
        )
    return issued


def validate_passport(inp: PassportInput, *, today: date) -> PassportData:
    """Return clean passport data or raise `FieldErrors` naming every wrong field at once
    (the issue date is checked against the birth date only when that one is valid)."""
    check = ErrorCollector()
    series = check.check("series", lambda: _series(inp.series))
    number = check.check("number", lambda: _number(inp.number))
    born = check.check("birth_date", lambda: _birth_date(inp.birth_date, today))
    issued = check.check("issue_date", lambda: _issue_date(inp.issue_date, today, born))
    issued_by = check.check(
        "issued_by",
        lambda: clean_text(inp.issued_by, field="issued_by", label="Кем выдан", max_length=300),
    )
    department = check.check("department_code", lambda: _department_code(inp.department_code))
    birth_place = check.check(
        "birth_place",
        lambda: clean_text(
            inp.birth_place, field="birth_place", label="Место рождения", max_length=300
        ),
    )
    registration = check.check(
        "registration_address",
        lambda: normalize_address(
            inp.registration_address, field="registration_address", label="Адрес регистрации"
        ),
    )
    check.raise_if_any(order=_FORM_ORDER)
    # FieldErrors was not raised, so every field has its value.
    assert series is not None
    assert number is not None
    assert born is not None
    assert issued is not None
    assert issued_by is not None
    assert department is not None
    assert birth_place is not None
    assert registration is not None
    return PassportData(
        series=series,
        number=number,
        issue_date=issued,
        issued_by=issued_by,
        department_code=department,
        birth_date=born,
        birth_place=birth_place,
        registration_address=registration,
    )


def passport_expired(p: PassportData, *, today: date) -> bool:
    """Tell whether the passport is no longer valid: one issued before the 20th (or 45th)
    birthday must be replaced and stops being valid once 90 days after that birthday passed."""
    for age in REPLACEMENT_AGES:
        birthday = anniversary(p.birth_date, age)
        if p.issue_date < birthday and today > birthday + REPLACEMENT_GRACE:
            return True
    return False


def mask_passport(series: str, number: str) -> str:
    """Return `45 ** ***678` (two series digits, last three number digits) for lists and cards;
    malformed input is fully masked rather than shown."""
    series_digits = "".join(series.split())
    number_digits = "".join(number.split())
    if not (_SERIES.fullmatch(series_digits) and _NUMBER.fullmatch(number_digits)):
        return "** ** ******"
    return f"{series_digits[:2]} ** ***{number_digits[-3:]}"
