"""Tariff import files (TOML and CSV): good files parse, every bad one names file, tariff, field."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from privet_tui.errors import ValidationError
from privet_tui.services.rules.pricing import DEFAULT_TARIFFS
from privet_tui.services.rules.tariff_files import parse_tariffs_file

EXAMPLE = Path(__file__).parents[2] / "privet_tui" / "data" / "tariffs.example.toml"

GOOD_TOML = """
[[tariff]]
code = "basic"
name = "Базовый"
monthly_fee = 490
included_devices = 2
extra_device_fee = "300.50"
activation_fee = 990.5

[tariff.category_fees]
ac = "500"
tv = 200

[[tariff]]
code = "old"
name = "Старый"
monthly_fee = "0"
included_devices = 0
extra_device_fee = "0"
activation_fee = "0"
active = false
description = "Архив"
"""

CSV_HEADER = (
    "code,name,monthly_fee,included_devices,extra_device_fee,activation_fee,"
    "active,description,category_fees\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_example_file_holds_the_default_tariffs() -> None:
    assert parse_tariffs_file(EXAMPLE) == list(DEFAULT_TARIFFS)


def test_good_toml(tmp_path: Path) -> None:
    basic, old = parse_tariffs_file(write(tmp_path, "t.toml", GOOD_TOML))
    assert basic.code == "basic"
    assert basic.monthly_fee == Decimal("490.00")
    assert basic.extra_device_fee == Decimal("300.50")
    assert basic.activation_fee == Decimal("990.50")
    assert dict(basic.category_fees) == {"tv": Decimal("200.00"), "ac": Decimal("500.00")}
    assert basic.active
    assert not old.active
    assert old.description == "Архив"


def test_good_csv_with_bom(tmp_path: Path) -> None:
    text = (
        CSV_HEADER
        + 'basic,Базовый,490,2,"300,50",990,да,,ac=500; tv=200\n'
        + "old,Старый,0,0,0,0,no,Архив,\n"
    )
    path = tmp_path / "t.CSV"
    path.write_text(text, encoding="utf-8-sig")
    basic, old = parse_tariffs_file(path)
    assert basic.extra_device_fee == Decimal("300.50")
    assert dict(basic.category_fees) == {"tv": Decimal("200.00"), "ac": Decimal("500.00")}
    assert basic.active
    assert not old.active


def test_csv_optional_columns_may_be_left_out(tmp_path: Path) -> None:
    text = "code,name,monthly_fee,included_devices,extra_device_fee,activation_fee\nb,Б,1,1,1,1\n"
    (only,) = parse_tariffs_file(write(tmp_path, "t.csv", text))
    assert only.active
    assert dict(only.category_fees) == {}


def toml_with(line: str) -> str:
    return GOOD_TOML.replace('extra_device_fee = "300.50"', line, 1)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (toml_with("extra_device_fee = 0.125"), "tariff #1 ('basic'), field extra_device_fee"),
        (toml_with("extra_device_fee = 1e-5"), "field extra_device_fee"),
        (toml_with('extra_device_fee = "1.005"'), "at most 2 decimals"),
        (toml_with('extra_device_fee = "-1"'), "must not be negative"),
        (toml_with("extra_device_fee = true"), "field extra_device_fee"),
        (toml_with('extra_device_fee = "99999999999"'), "out of range"),
        (toml_with('extra_fee = "1"'), "unknown field(s): extra_fee"),
        (GOOD_TOML.replace("included_devices = 2", "included_devices = -1"), "included_devices"),
        (GOOD_TOML.replace("included_devices = 2", "included_devices = 2.0"), "included_devices"),
        (GOOD_TOML.replace('ac = "500"', 'toaster = "500"'), "unknown category 'toaster'"),
        (GOOD_TOML.replace('code = "old"', 'code = "basic"'), "duplicate tariff code 'basic'"),
        (GOOD_TOML.replace('code = "old"', 'code = "bad code"'), "tariff #2"),
        (GOOD_TOML.replace("active = false", 'active = "maybe"'), "field active"),
        (GOOD_TOML.replace('name = "Старый"', 'name = ""'), "field name: must not be empty"),
        ("[[tariff]\n", "invalid TOML"),
        ("", "no tariffs found"),
        ("tariff = 1", "array of tables"),
        ('tarif = [{ code = "x" }]', "unknown top-level key"),
    ],
)
def test_bad_toml_names_file_tariff_and_field(tmp_path: Path, text: str, needle: str) -> None:
    path = write(tmp_path, "plans.toml", text)
    with pytest.raises(ValidationError) as info:
        parse_tariffs_file(path)
    message = info.value.message
    assert message.startswith(f"{path}: ")
    assert needle in message
    assert "\n" not in message


def test_toml_float_is_taken_by_its_shortest_decimal_form(tmp_path: Path) -> None:
    (basic, _) = parse_tariffs_file(write(tmp_path, "p.toml", toml_with("extra_device_fee = 1e3")))
    assert basic.extra_device_fee == Decimal("1000.00")


def test_missing_field_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "p.toml", GOOD_TOML.replace('monthly_fee = "0"\n', ""))
    with pytest.raises(ValidationError, match=r"tariff #2, field monthly_fee: is missing"):
        parse_tariffs_file(path)


@pytest.mark.parametrize(
    ("rows", "needle"),
    [
        ("b,Б,x,1,1,1,,,\n", "line 2 ('b'), field monthly_fee"),
        ("b,Б,1,1,1,1,,,\nb,В,1,1,1,1,,,\n", "line 3: duplicate tariff code 'b' (first at line 2)"),
        ("b,Б,1,1,1,1,,,tv:5\n", "expected category=amount"),
        ("b,Б,1,1,1,1,,,tv=5;tv=6\n", "given twice"),
        ("b,Б,1,1,1,1,,,fax=5\n", "unknown category 'fax'"),
        ("b,Б,1,1,1,1,,,,extra\n", "more values than header"),
        ("b,Б,1,1\n", "fewer values than header"),
        ("b,Б,1,one,1,1,,,\n", "field included_devices"),
        ("b,Б,1,1,1,1,perhaps,,\n", "field active"),
        ("", "no tariffs found"),
    ],
)
def test_bad_csv_names_file_line_and_field(tmp_path: Path, rows: str, needle: str) -> None:
    path = write(tmp_path, "plans.csv", CSV_HEADER + rows)
    with pytest.raises(ValidationError) as info:
        parse_tariffs_file(path)
    assert info.value.message.startswith(f"{path}: ")
    assert needle in info.value.message


def test_csv_header_must_have_required_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "code,name\nb,Б\n")
    with pytest.raises(ValidationError, match="lacks column"):
        parse_tariffs_file(path)


def test_unsupported_or_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="unsupported file type"):
        parse_tariffs_file(write(tmp_path, "p.json", "{}"))
    with pytest.raises(ValidationError, match="cannot read"):
        parse_tariffs_file(tmp_path / "missing.toml")
    latin1 = tmp_path / "p.csv"
    latin1.write_bytes("code,name\nb,\xe9\n".encode("latin-1"))
    with pytest.raises(ValidationError, match="not UTF-8"):
        parse_tariffs_file(latin1)


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ('name = "Базовый"', 'name = "𝐁азовый"', "field name: character U+1D401"),
        (
            'description = "Архив"',
            'description = "Архив 🗄"',
            "field description: character U+1F5C4",
        ),
        ('name = "Старый"', 'name = "Ста\\tрый"', "field name: character U+0009"),
    ],
)
def test_tariff_text_the_document_font_lacks_is_refused(
    tmp_path: Path, old: str, new: str, needle: str
) -> None:
    """Issue 12, kind 1: tariff names and descriptions reach the contract and the chat."""
    path = write(tmp_path, "plans.toml", GOOD_TOML.replace(old, new))
    with pytest.raises(ValidationError) as info:
        parse_tariffs_file(path)
    assert needle in info.value.message
    assert "\n" not in info.value.message


def test_tariff_text_in_csv_is_checked_the_same_way(tmp_path: Path) -> None:
    path = write(tmp_path, "plans.csv", CSV_HEADER + "b,Тариф 🔥,1,0,0,0,true,,\n")
    with pytest.raises(ValidationError, match="field name: character U\\+1F525"):
        parse_tariffs_file(path)
