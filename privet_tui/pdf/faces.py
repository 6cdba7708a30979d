"""The bundled DejaVu faces as documents use them, prepared once per process.

fpdf2 would parse each TTF (≈0.75 MB) for every document and, when the file is written,
open it again and cut the subset of glyphs the document used out of the whole font — about
half of a contract's render time. Here a process parses each face once (`add_faces` gives a
document its own copy of the parsed metrics, with its own glyph map) and cuts, once, a
*stock* subset holding every glyph Russian documents commonly need (Latin, Cyrillic, digits,
punctuation, «№», «₽»: about 350 glyphs, `STOCK_CHARS`). `embed_from_stock` then lets fpdf2
cut a document's subset out of that small font instead of the whole one, and keeps the stock
font's summary tables (bounding box, maxima) rather than recomputing them glyph by glyph —
values that still bound every glyph, so the pages draw and the text extracts exactly as
before. A document using a glyph outside the stock (a rare letter in a name) is cut from the
whole font, as fpdf2 does."""

from __future__ import annotations

import functools
import io
import threading
from dataclasses import dataclass

from fontTools import subset as ftsubset
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

from privet_tui.errors import PrivetError
from privet_tui.pdf.glyphs import FONT_DIR, FONT_FILES

__all__ = [
    "FONT_FAMILY",
    "STOCK_CHARS",
    "Face",
    "FontError",
    "add_faces",
    "embed_from_stock",
    "warm_up",
]

FONT_FAMILY = "DejaVuSans"

#: Characters whose glyphs the stock subset holds: Basic Latin, Latin-1 (NBSP, «», °, §),
#: Cyrillic, general punctuation (dashes, quotes, …), «№» and «₽».
STOCK_CHARS = frozenset(
    (*range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x400, 0x460), *range(0x2010, 0x2040))
) | {0x2116, 0x20BD}

#: The tables fpdf2 drops from every embedded subset (fpdf.output, `_add_fonts`).
_FPDF_DROPPED_TABLES = [
    "FFTM",
    "GDEF",
    "GPOS",
    "GSUB",
    "MATH",
    "hdmx",
    "meta",
    "sbix",
    "CBDT",
    "CBLC",
    "EBDT",
    "EBLC",
    "EBSC",
    "SVG ",
    "CPAL",
    "COLR",
]


class FontError(PrivetError):
    """The bundled PDF fonts are missing or damaged, so no document can be rendered."""

    title = "Шрифты PDF"


class Face(TTFFont):
    """A face of one document: the process's parsed metrics and this document's glyph map
    (what `measure.MeasuredFragment` knows it may measure with)."""

    __slots__ = ()


@dataclass(frozen=True)
class _Stock:
    """A stock subset: the font file's bytes and the glyph names it holds."""

    data: bytes
    glyph_names: frozenset[str]


_prototypes: dict[str, TTFFont] = {}
_prototypes_lock = threading.Lock()


def _prototype(style: str) -> TTFFont:
    """Parse a bundled face once per process (≈30 ms each)."""
    with _prototypes_lock:
        font = _prototypes.get(style)
        if font is None:
            scratch = FPDF()
            scratch.add_font(FONT_FAMILY, style, FONT_DIR / FONT_FILES[style])
            parsed = scratch.fonts[f"{FONT_FAMILY.lower()}{style}"]
            if not isinstance(parsed, TTFFont):
                raise FontError(f"Шрифт {FONT_FILES[style]} не загрузился как TrueType.")
            font = _prototypes[style] = parsed
        return font


def _face(pdf: FPDF, style: str) -> Face:
    """A copy of the parsed face with per-document state: glyph map, missing glyphs, widths."""
    proto = _prototype(style)
    face = Face.__new__(Face)
    for name in TTFFont.__slots__:
        if hasattr(proto, name):
            setattr(face, name, getattr(proto, name))
    face.i = len(pdf.fonts) + 1
    # Subsetting at output mutates the fontTools object, so each document opens its own
    # (lazily: only the tables the subsetter needs are read); `embed_from_stock` may swap it.
    face.ttfont = TTFont(proto.ttffile, recalcTimestamp=False, lazy=True)
    face.cw = proto.cw.copy()
    face.missing_glyphs = []
    face.biggest_size_pt = 0
    face._hbfont = None
    face.subset = SubsetMap(face)
    return face


def add_faces(pdf: FPDF) -> None:
    """Register the bundled faces (regular "" and bold "B") on a new document."""
    for style in FONT_FILES:
        face = _face(pdf, style)
        pdf.fonts[face.fontkey] = face


@functools.cache
def _stock(style: str) -> _Stock:
    """Cut the stock subset of a face (≈60–100 ms, once per process)."""
    font = TTFont(FONT_DIR / FONT_FILES[style], recalcTimestamp=False, lazy=True)
    options = ftsubset.Options(notdef_outline=True, recommended_glyphs=True, glyph_names=True)
    options.drop_tables += _FPDF_DROPPED_TABLES
    subsetter = ftsubset.Subsetter(options)
    cmap = font.getBestCmap()
    subsetter.populate(unicodes=sorted(code for code in STOCK_CHARS if code in cmap))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return _Stock(out.getvalue(), frozenset(font.getGlyphOrder()))


def embed_from_stock(pdf: FPDF) -> None:
    """Before `pdf.output()`: point each bundled face whose glyphs the stock subset holds
    at that subset, so fpdf2 cuts the document's subset from it (≈4× faster)."""
    for style in FONT_FILES:
        font = pdf.fonts.get(f"{FONT_FAMILY.lower()}{style}")
        if not isinstance(font, TTFFont):
            continue
        stock = _stock(style)
        if not stock.glyph_names.issuperset(font.subset.get_all_glyph_names()):
            continue
        font.ttfont.close()
        # recalcBBoxes=False: the stock's head/hhea/maxp summaries bound the smaller subset
        # too, and recomputing them would decompile and recompile every glyph.
        font.ttfont = TTFont(
            io.BytesIO(stock.data), recalcTimestamp=False, recalcBBoxes=False, lazy=True
        )


def warm_up() -> None:
    """Parse the faces and cut their stock subsets now (≈0.2 s once per process), so the
    first document does not wait for them."""
    for style in FONT_FILES:
        _prototype(style)
        _stock(style)
