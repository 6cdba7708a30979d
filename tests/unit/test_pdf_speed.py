"""What makes a contract render fast changes nothing a reader sees: the remembered text
widths break every line as fpdf2 does, the stock subset draws the same pages and extracts
the same text, the parsed fonts serve every document of a process, and a glyph outside the
stock is still embedded. (Render times are measured in benchmarks/bench_pdf.py.)"""

from __future__ import annotations

import dataclasses
import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from fpdf import FPDF
from fpdf.line_break import Fragment

from privet_tui.pdf import faces, layout
from privet_tui.pdf.contract import render_contract
from privet_tui.pdf.invoice import render_invoice
from privet_tui.pdf.measure import MeasuredFragment
from tests.unit.test_pdf import (
    MSK,
    make_contract,
    make_invoice,
    make_signature,
    needs_pdftotext,
    text_of,
)

DOCUMENTS: dict[str, Callable[[], bytes]] = {
    "draft": lambda: render_contract(make_contract()),
    "signed": lambda: render_contract(make_contract(), make_signature()),
    "thirty devices": lambda: render_contract(make_contract(devices=30)),
    "invoice": lambda: render_invoice(make_invoice(paid=True)),
}


@pytest.mark.parametrize("render", DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_remembered_widths_break_lines_exactly_as_fpdf2(
    render: Callable[[], bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = render()
    monkeypatch.setattr(layout.DocumentPDF, "_parse_chars", FPDF._parse_chars)
    assert render() == fast


def test_document_text_is_measured_by_measured_fragments() -> None:
    page = _page()
    assert isinstance(page.fonts["dejavusans"], faces.Face)
    fragments = list(page._parse_chars("Текст", markdown=False))
    assert [type(f) for f in fragments] == [MeasuredFragment]
    fragment = fragments[0]
    by_fpdf2 = Fragment.get_width  # fpdf2's own measure, for comparison
    assert fragment.get_width() == by_fpdf2(fragment)
    fragment.characters.append("ы")  # fpdf2 grows a line's fragment in place…
    assert fragment.get_width() == by_fpdf2(fragment)
    fragment.trim(2)  # …and trims it into a new list
    assert fragment.get_width() == by_fpdf2(fragment) == by_fpdf2(fragment, chars="Те")
    assert fragment.get_character_width("ж") == Fragment.get_character_width(fragment, "ж")


def test_fonts_are_parsed_and_cut_once_per_process() -> None:
    render_contract(make_contract())
    cuts = faces._stock.cache_info().misses
    first, second = _page(), _page()
    for style in ("", "B"):
        key = f"dejavusans{style}"
        one, two = first.fonts[key], second.fonts[key]
        assert one is not two  # each document has its own glyph map…
        assert one.subset is not two.subset  # type: ignore[union-attr]
        assert one.cmap is two.cmap is faces._prototype(style).cmap  # type: ignore[union-attr]
    render_contract(dataclasses.replace(make_contract(), number="ПМ-2026-000999"))
    assert faces._stock.cache_info().misses == cuts  # …and the stock is cut once


def test_a_glyph_outside_the_stock_is_cut_from_the_whole_font() -> None:
    plain, rare = _page(), _page()
    plain.paragraph("Иванов Пётр, ул. Ёлочная, № 5 — «да»")
    rare.paragraph("Ωмега Ŝtraße")
    faces.embed_from_stock(plain)
    faces.embed_from_stock(rare)
    stock = faces._stock("").glyph_names
    assert set(plain.fonts["dejavusans"].ttfont.getGlyphOrder()) == stock  # type: ignore[union-attr]
    whole = rare.fonts["dejavusans"].ttfont.getGlyphOrder()  # type: ignore[union-attr]
    assert len(whole) > 5000
    assert {"Omega", "Scircumflex"} <= set(whole)
    assert not {"Omega", "Scircumflex"} & stock
    assert rare.to_bytes().startswith(b"%PDF-")


@needs_pdftotext
def test_two_different_documents_each_extract_their_own_text(tmp_path: Path) -> None:
    one = render_contract(make_contract(full_name="Щукина Юлия Эдуардовна"))
    two = render_contract(make_contract(full_name="Ωмега Øле Ŝtraße"))
    three = render_contract(make_contract(full_name="Ли Ян"))
    text_one, text_two, text_three = (text_of(pdf, tmp_path) for pdf in (one, two, three))
    assert "Щукина Юлия Эдуардовна" in text_one
    assert "Ωмега" not in text_one
    assert "Ωмега Øле Ŝtraße" in text_two
    assert "Щукина" not in text_two
    assert "Ли Ян" in text_three
    assert "Щукина" not in text_three
    assert "Ωмега" not in text_three


@needs_pdftotext
@pytest.mark.parametrize("render", DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_the_stock_subset_draws_the_same_pages_and_text(
    render: Callable[[], bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from_stock = render()
    monkeypatch.setattr(faces, "embed_from_stock", lambda pdf: None)
    from_whole = render()
    assert from_stock != from_whole  # the embedded font programs differ…
    assert text_of(from_stock, tmp_path) == text_of(from_whole, tmp_path)
    assert _pages(from_stock, tmp_path / "stock") == _pages(from_whole, tmp_path / "whole")


def _page() -> layout.DocumentPDF:
    return layout.DocumentPDF(
        title="t", author="a", created_at=datetime(2026, 11, 28, tzinfo=MSK), footer_note="n"
    )


def _pages(pdf: bytes, folder: Path) -> list[bytes]:
    """Every page as a 72-dpi greyscale bitmap (pdftoppm)."""
    folder.mkdir()
    (folder / "doc.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "72", "-gray", str(folder / "doc.pdf"), str(folder / "p")], check=True
    )
    return [path.read_bytes() for path in sorted(folder.glob("p-*.pgm"))]
