"""Text widths for fpdf2's line breaking, summed once per letter instead of once per line.

fpdf2 breaks lines letter by letter and, before adding each letter, measures the whole line
so far again (`CurrentLine.width` joins the line's letters and sums their glyph widths): a
line of n letters costs about n²/2 width look-ups, most of a contract's layout time.
`MeasuredFragment` gives the same widths — the same sums of glyph widths in font units, added
in the same order, scaled by the same float operations, so every line breaks and every word
spacing comes out identical — but keeps a running sum: fpdf2 only ever appends letters to a
line's fragment in place (and trims it by making a new list), so a fragment remembers the
list it summed and how much of it, and adds only the letters appended since. Anything unusual
(character spacing, stretching, text shaping, a font that is not a document `Face`, a
fragment restyled after it was made) is measured by fpdf2 itself. (fpdf2's TextRegion, which
documents do not use, resizes its fragments in place; a `MeasuredFragment` keeps the size it
was made with.)"""

from __future__ import annotations

from fpdf.fonts import CoreFont, TTFFont
from fpdf.graphics_state import GraphicsState
from fpdf.line_break import HYPHEN, SOFT_HYPHEN, Fragment

from privet_tui.pdf.faces import Face

__all__ = ["MeasuredFragment"]


class MeasuredFragment(Fragment):
    """A fpdf2 `Fragment` that measures its letters with a running sum of glyph widths."""

    def __init__(
        self,
        characters: list[str] | str,
        graphics_state: GraphicsState,
        k: float,
        link: int | str | None = None,
    ) -> None:
        super().__init__(characters, graphics_state, k, link)
        #: The face and size to measure with, fixed with the graphics state (fpdf2 clones a
        #: fragment rather than restyle it), or None when fpdf2 must measure.
        self._measured_in: tuple[Face, float] | None = None
        #: The letter list last summed (held, so its identity cannot be reused), how many of
        #: its letters were summed, and their summed widths in font units.
        self._summed: tuple[list[str], int, float] | None = None
        font = graphics_state.current_font
        if (
            isinstance(font, Face)
            and not font.is_symbol
            and not graphics_state.char_spacing
            and graphics_state.font_stretching == 100
            and not self.text_shaping_parameters
        ):
            size = self.font_size_pt
            font.biggest_size_pt = max(font.biggest_size_pt, size)
            self._measured_in = (font, size)

    def _restyle(self, font: CoreFont | TTFFont) -> None:
        """Set the fragment's font (fpdf2 does for Markdown): fpdf2 measures it from now on."""
        self.graphics_state.current_font = font
        self._measured_in = None

    #: fpdf2's own getter (read on every letter), this class's setter.
    font = property(vars(Fragment)["font"].fget, _restyle)

    def get_width(
        self,
        start: int = 0,
        end: int | None = None,
        chars: str | None = None,
        initial_cs: bool = True,
    ) -> float:
        """The width of the fragment's text (or of `chars`) in document units."""
        measured_in = self._measured_in
        if measured_in is None:
            return super().get_width(start, end, chars, initial_cs)
        face, size = measured_in
        widths = face.cw
        if chars is not None:
            units = sum(map(widths.__getitem__, map(ord, chars)))
        elif start != 0 or end is not None:
            units = sum(map(widths.__getitem__, map(ord, self.characters[start:end])))
        else:
            letters = self.characters
            summed = self._summed
            if summed is not None and summed[0] is letters and summed[1] <= len(letters):
                # Continue the sum in the same order fpdf2 adds (exact for float widths too).
                units = sum(map(widths.__getitem__, map(ord, letters[summed[1] :])), summed[2])
            else:
                units = sum(map(widths.__getitem__, map(ord, letters)))
            self._summed = (letters, len(letters), units)
        return units * size * 0.001 / self.k

    def get_character_width(
        self, character: str, print_sh: bool = False, initial_cs: bool = True
    ) -> float:
        """The width of one letter in document units (a soft hyphen as the hyphen drawn)."""
        measured_in = self._measured_in
        if measured_in is None:
            return super().get_character_width(character, print_sh, initial_cs)
        if character == SOFT_HYPHEN and not print_sh:
            character = HYPHEN
        face, size = measured_in
        return face.cw[ord(character)] * size * 0.001 / self.k
