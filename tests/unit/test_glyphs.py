"""The printable set is read from the bundled fonts themselves."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from privet_tui.pdf.contract import render_contract
from privet_tui.pdf.glyphs import describe_char, first_unprintable, printable_chars
from tests.unit.test_pdf import make_contract, text_of


def test_russian_text_and_document_signs_are_printable() -> None:
    text = "Ёлкина Эльвира, г. Москва, ул. Мира, д. 1 — «тариф» № 5: 1 990,00 руб. ₽ …"
    assert first_unprintable(text) is None
    assert {"\u00a0", "\u202f", "\n"} <= printable_chars()


def test_maths_bold_letters_are_named_not_printed() -> None:
    ch = first_unprintable("г. 𝐌𝐨𝐬𝐜𝐨𝐰, ул. Мира")
    assert ch == "𝐌"
    assert describe_char(ch) == "«𝐌» (U+1D40C, особое начертание «M»)"


def test_marks_right_to_left_letters_and_format_characters_are_not_printable() -> None:
    """fpdf2 sets them wrongly without a shaper: «יִ» read back as something else."""
    for ch in ("\u0306", "\u05d9", "\u0627", "\u00ad", "\u200f"):
        assert ch not in printable_chars(), hex(ord(ch))


def test_an_invisible_character_is_named_by_its_code() -> None:
    assert describe_char("\u200b") == "(U+200B, невидимый или служебный знак)"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_every_printable_character_reads_back_from_a_contract(tmp_path: Path) -> None:
    """The whole set, 300 characters a contract: pdftotext gives each chunk back in order."""
    chars = sorted(ch for ch in printable_chars() if not ch.isspace())
    doc = make_contract(devices=1)
    for start in range(0, len(chars), 300):
        chunk = chars[start : start + 300]
        client = dataclasses.replace(doc.client, address=" ".join(chunk))
        pdf = render_contract(dataclasses.replace(doc, client=client))
        assert "".join(chunk) in "".join(text_of(pdf, tmp_path).split()), start


@pytest.mark.parametrize(
    ("ch", "kind"),
    [
        ("Ｂ", "особое начертание «B»"),  # full-width, pasted from a phone keyboard
        ("📺", "значок или эмодзи"),
        ("漢", "буква алфавита, которого нет в документах"),
        ("\u05d9", "буква письма справа налево"),
        ("\u0301", "знак над или под буквой"),
    ],
)
def test_a_master_reads_what_kind_of_character_it_is_in_russian(ch: str, kind: str) -> None:
    assert describe_char(ch).endswith(f", {kind})")
