"""Reading tariff plans from an operator's file (`privet-tui tariffs import FILE`), TOML or CSV
by extension, with every error one English line naming the file, the tariff and the field.

TOML: a `[[tariff]]` table per plan with `code`, `name`, `monthly_fee`, `included_devices`,
`extra_device_fee`, `activation_fee`, optional `active` (default true), `description` and a
`[tariff.category_fees]` table (`ac = "500"`). See `privet_tui/data/tariffs.example.toml`.

CSV (UTF-8, a BOM is fine): the header `code,name,monthly_fee,included_devices,
extra_device_fee,activation_fee,active,description,category_fees` (the last three columns may be
omitted); `category_fees` like `ac=500;tv=200`; `active` is true/false/yes/no/1/0/да/нет.

Money is an integer or a string (`490`, `"490.50"`, `"490,50"`); a TOML float is accepted only
when its shortest decimal form (`str()`) is a plain number with at most two decimals, so
`490.5` is 490.50 and `1e3` is 1000.00, but `0.125` or `1e-5` are refused — an import never
rounds silently.
Unknown keys or columns, unknown categories, negative amounts and duplicate codes are refused,
and so is a name or description with a character the document font cannot print (the one set
of `privet_tui.pdf.glyphs`, as for every field a master types): tariffs reach the contract
and the client's chat.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from privet_tui.errors import ValidationError
from privet_tui.pdf.glyphs import first_unprintable
from privet_tui.services.rules.catalog import DEVICE_CATEGORIES
from privet_tui.services.rules.pricing import TariffPlan, money

__all__ = ["parse_tariffs_file"]

_REQUIRED = (
    "code",
    "name",
    "monthly_fee",
    "included_devices",
    "extra_device_fee",
    "activation_fee",
)
_OPTIONAL = ("active", "description", "category_fees")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]{1,2})?")
_INTEGER = re.compile(r"[0-9]+")
_TRUE = frozenset({"true", "yes", "1", "да"})
_FALSE = frozenset({"false", "no", "0", "нет"})


class _Where:
    """The place an error is reported at: file plus tariff position (and code once known)."""

    def __init__(self, path: Path, place: str) -> None:
        self.path = path
        self.place = place

    def error(self, field: str | None, problem: str) -> ValidationError:
        """Return a one-line error naming the file, the tariff and the field."""
        at = f"{self.path}: {self.place}" + (f", field {field}" if field else "")
        return ValidationError(f"{at}: {problem}", field=field, title="Tariff import failed")


def _amount(value: Any, field: str, where: _Where) -> Decimal:
    """Return a non-negative amount with at most two decimals from an int, str or plain float."""
    if isinstance(value, float):
        value = str(value)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise where.error(field, f'must be a number like 490 or "490.50", got {value!r}')
    text = str(value).strip()
    if not _PLAIN_NUMBER.fullmatch(text):
        raise where.error(field, f"must be a number with at most 2 decimals, got {value!r}")
    try:
        amount = money(text)
    except ValidationError:
        raise where.error(field, f"amount out of range: {value!r}") from None
    if amount < 0:
        raise where.error(field, f"must not be negative, got {value!r}")
    return amount


def _count(value: Any, field: str, where: _Where) -> int:
    """Return a whole number of devices 0..1000 from an int or a digit string."""
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1000:
        raise where.error(field, f"must be a whole number 0..1000, got {value!r}")
    return value


def _flag(value: Any, field: str, where: _Where) -> bool:
    """Return a boolean from a TOML bool or a CSV word (empty means true)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word == "" or word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise where.error(field, f"must be true or false, got {value!r}")


def _text(value: Any, field: str, where: _Where, *, required: bool) -> str:
    """Return trimmed text, refusing non-strings, (when required) empty text and characters
    the document font has no glyph for."""
    if not isinstance(value, str):
        raise where.error(field, f"must be text, got {value!r}")
    text = value.strip()
    if required and not text:
        raise where.error(field, "must not be empty")
    missing = first_unprintable(text)
    if missing is not None:
        code = f"U+{ord(missing):04X} {unicodedata.name(missing, 'unnamed')}"
        raise where.error(field, f"character {code} cannot be printed in documents")
    return text


def _category_fees(raw: Mapping[str, Any], where: _Where) -> dict[str, Decimal]:
    """Return category fees, refusing categories the catalog does not know."""
    fees: dict[str, Decimal] = {}
    for key, value in raw.items():
        category = key.strip()
        if category not in DEVICE_CATEGORIES:
            known = ", ".join(DEVICE_CATEGORIES)
            raise where.error("category_fees", f"unknown category {category!r} (known: {known})")
        fees[category] = _amount(value, f"category_fees.{category}", where)
    return fees


def _parse_csv_fees(text: str, where: _Where) -> dict[str, Any]:
    """Return `ac=500;tv=200` as a mapping, refusing malformed pairs and repeats."""
    pairs: dict[str, Any] = {}
    for chunk in filter(None, (part.strip() for part in text.split(";"))):
        key, sep, value = chunk.partition("=")
        if not sep or not key.strip():
            raise where.error("category_fees", f"expected category=amount, got {chunk!r}")
        if key.strip() in pairs:
            raise where.error("category_fees", f"category {key.strip()!r} given twice")
        pairs[key.strip()] = value.strip()
    return pairs


def _plan(record: Mapping[str, Any], where: _Where) -> TariffPlan:
    """Return one plan from a TOML table or a CSV row (already a mapping of raw values)."""
    unknown = sorted(set(record) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise where.error(None, f"unknown field(s): {', '.join(unknown)}")
    for name in _REQUIRED:
        if record.get(name) is None:
            raise where.error(name, "is missing")
    code = _text(record["code"], "code", where, required=True)
    where.place += f" ({code!r})"
    fees = record.get("category_fees") or {}
    if isinstance(fees, str):
        fees = _parse_csv_fees(fees, where)
    if not isinstance(fees, Mapping):
        raise where.error("category_fees", 'must be a table like { ac = "500" }')
    try:
        return TariffPlan(
            code=code,
            name=_text(record["name"], "name", where, required=True),
            monthly_fee=_amount(record["monthly_fee"], "monthly_fee", where),
            included_devices=_count(record["included_devices"], "included_devices", where),
            extra_device_fee=_amount(record["extra_device_fee"], "extra_device_fee", where),
            category_fees=_category_fees(fees, where),
            activation_fee=_amount(record["activation_fee"], "activation_fee", where),
            active=_flag(record.get("active", True), "active", where),
            description=_text(
                record.get("description") or "", "description", where, required=False
            ),
        )
    except ValidationError as exc:
        if exc.title == "Tariff import failed":
            raise
        raise where.error(None, exc.message) from None


def _toml_records(path: Path, text: str) -> list[tuple[str, Mapping[str, Any]]]:
    """Return (place, table) for each `[[tariff]]` of a TOML document."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"{path}: invalid TOML: {exc}") from None
    extra = sorted(set(document) - {"tariff"})
    if extra:
        raise ValidationError(f"{path}: unknown top-level key(s): {', '.join(extra)}")
    tables = document.get("tariff", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ValidationError(f"{path}: 'tariff' must be an array of tables ([[tariff]])")
    return [(f"tariff #{index}", table) for index, table in enumerate(tables, start=1)]


def _csv_records(path: Path, text: str) -> list[tuple[str, Mapping[str, Any]]]:
    """Return (place, row) for each data row of a CSV document."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in _REQUIRED if name not in header]
    if missing:
        raise ValidationError(f"{path}: CSV header lacks column(s): {', '.join(missing)}")
    records: list[tuple[str, Mapping[str, Any]]] = []
    try:
        for row in reader:
            place = f"line {reader.line_num}"
            if None in row:
                raise ValidationError(f"{path}: {place}: more values than header columns")
            record = {key.strip(): value for key, value in row.items() if key is not None}
            if any(value is None for value in record.values()):
                raise ValidationError(f"{path}: {place}: fewer values than header columns")
            records.append((place, record))
    except csv.Error as exc:
        raise ValidationError(f"{path}: line {reader.line_num}: invalid CSV: {exc}") from None
    return records


def parse_tariffs_file(path: Path) -> list[TariffPlan]:
    """Return the plans of a `.toml` or `.csv` file, refusing the whole file on any error."""
    suffix = path.suffix.lower()
    if suffix not in {".toml", ".csv"}:
        raise ValidationError(f"{path}: unsupported file type {suffix!r}; use .toml or .csv")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ValidationError(f"{path}: cannot read: {exc.strerror or exc}") from None
    records = _toml_records(path, text) if suffix == ".toml" else _csv_records(path, text)
    if not records:
        raise ValidationError(f"{path}: no tariffs found")
    plans: list[TariffPlan] = []
    seen: dict[str, str] = {}
    for place, record in records:
        plan = _plan(record, _Where(path, place))
        if plan.code in seen:
            raise ValidationError(
                f"{path}: {place}: duplicate tariff code {plan.code!r} (first at {seen[plan.code]})"
            )
        seen[plan.code] = place
        plans.append(plan)
    return plans
