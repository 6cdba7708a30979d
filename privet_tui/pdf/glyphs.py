"""The characters the documents can print: those the bundled DejaVu faces (regular and bold)
both have a glyph for, less those fpdf2 cannot set right without a text shaper — combining
marks (fpdf2 draws them as separate letters) and right-to-left letters (written in reverse)
— so that text in the PDF reads back as it was typed. One set, read from the fonts
themselves, so what a validator accepts is exactly what the PDF renderer can draw — and the
renderer refuses the rest instead of silently dropping it, as fpdf2 would (it only logs
missing glyphs)."""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTFont

__all__ = [
    "FONT_DIR",
    "FONT_FILES",
    "describe_char",
    "first_unprintable",
    "printable_chars",
]

FONT_DIR = Path(__file__).parent / "fonts"
#: The bundled faces by fpdf2 style ("" regular, "B" bold).
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}

#: Characters that are not glyphs but layout: a line break in a chat message.
_LAYOUT = frozenset("\n")
#: Combining marks, which need a shaper to sit on their base letter, and format characters
#: (a soft hyphen is a hyphenation point to fpdf2, not a glyph).
_MARKS = frozenset({"Mn", "Mc", "Me", "Cf"})
#: Bidirectional classes of right-to-left letters and the controls that reorder text.
_REORDERING = frozenset(
    {"R", "AL", "AN", "RLE", "RLO", "RLI", "LRE", "LRO", "LRI", "FSI", "PDF", "PDI"}
)


def _sets_plainly(ch: str) -> bool:
    """True for a character fpdf2 draws in place, left to right, on its own."""
    return (
        unicodedata.category(ch) not in _MARKS and unicodedata.bidirectional(ch) not in _REORDERING
    )


@functools.cache
def printable_chars() -> frozenset[str]:
    """Return every character both bundled faces map to a glyph and fpdf2 sets plainly
    (read once per process)."""
    common: set[int] | None = None
    for name in FONT_FILES.values():
        font = TTFont(FONT_DIR / name, lazy=True)
        try:
            cmap = font.getBestCmap()
        finally:
            font.close()
        codes = {code for code, glyph in cmap.items() if glyph != ".notdef"}
        common = codes if common is None else common & codes
    drawn = (chr(code) for code in common or ())
    return frozenset(ch for ch in drawn if _sets_plainly(ch)) | _LAYOUT


def first_unprintable(text: str) -> str | None:
    """Return the first character of `text` the document font has no glyph for, or None."""
    printable = printable_chars()
    return next((ch for ch in text if ch not in printable), None)


def describe_char(ch: str) -> str:
    """Name a character for a master, in Russian: «𝐌» (U+1D40C, особое начертание «M»)."""
    shown = ch if ch.isprintable() and not ch.isspace() else ""
    prefix = f"«{shown}» " if shown else ""
    return f"{prefix}(U+{ord(ch):04X}, {_kind(ch)})"


def _kind(ch: str) -> str:
    """What sort of character it is, in words a master knows."""
    plain = unicodedata.normalize("NFKC", ch)
    category = unicodedata.category(ch)
    if plain != ch and plain.strip() and first_unprintable(plain) is None:
        return f"особое начертание «{plain}»"
    if category[0] in "CZ":
        return "невидимый или служебный знак"
    if category[0] == "M":
        return "знак над или под буквой"
    if unicodedata.bidirectional(ch) in _REORDERING:
        return "буква письма справа налево"
    if category == "So":
        return "значок или эмодзи"
    if category[0] == "L":
        return "буква алфавита, которого нет в документах"
    return "знак, которого нет в документах"
