"""Text widths for fpdf2's line breaking, measured once per text instead of once per letter.

fpdf2 breaks lines letter by letter and, before adding each letter, measures the whole line
so far again (`CurrentLine.width` sums every glyph width of the line): a line of n letters
costs about n²/2 width look-ups, most of a contract's layout time. `MeasuredFragment` gives
the same widths — the same integer sums of glyph widths in font units, scaled by the same
float operations, so every line breaks and every word spacing comes out identical — but
remembers, per document face, the width of each text it measured, and extends a remembered
text by one letter in one step. Anything unusual (character spacing, stretching, text
shaping, a font without `Face.widths`) is measured by fpdf2 itself."""

from __future__ import annotations

from fpdf.line_break import HYPHEN, SOFT_HYPHEN, Fragment

from privet_tui.pdf.faces import Face

__all__ = ["MeasuredFragment"]


class MeasuredFragment(Fragment):
    """A fpdf2 `Fragment` whose widths come from its face's remembered text widths."""

    def _face(self) -> Face | None:
        """The face to measure with here, or None when fpdf2 must measure."""
        state = self.graphics_state
        font = state.current_font
        if (
            not isinstance(font, Face)
            or font.is_symbol
            or state.char_spacing
            or state.font_stretching != 100
            or self.text_shaping_parameters
        ):
            return None
        return font

    def get_width(
        self,
        start: int = 0,
        end: int | None = None,
        chars: str | None = None,
        initial_cs: bool = True,
    ) -> float:
        """The width of the fragment's text (or of `chars`) in document units."""
        face = self._face()
        if face is None:
            return super().get_width(start, end, chars, initial_cs)
        if chars is None:
            whole = start == 0 and end is None
            chars = "".join(self.characters if whole else self.characters[start:end])
        size = self.font_size_pt
        if size > face.biggest_size_pt:
            face.biggest_size_pt = size
        return _units(face, chars) * size * 0.001 / self.k

    def get_character_width(
        self, character: str, print_sh: bool = False, initial_cs: bool = True
    ) -> float:
        """The width of one letter in document units (a soft hyphen as the hyphen drawn)."""
        face = self._face()
        if face is None:
            return super().get_character_width(character, print_sh, initial_cs)
        if character == SOFT_HYPHEN and not print_sh:
            character = HYPHEN
        size = self.font_size_pt
        if size > face.biggest_size_pt:
            face.biggest_size_pt = size
        return face.cw[ord(character)] * size * 0.001 / self.k


def _units(face: Face, text: str) -> float:
    """The summed glyph widths of `text` in font units, remembered per face."""
    widths = face.widths
    found = widths.get(text)
    if found is not None:
        return found
    shorter = widths.get(text[:-1]) if len(text) > 1 else None
    if shorter is not None:
        units = shorter + face.cw[ord(text[-1])]
    else:
        units = sum(map(face.cw.__getitem__, map(ord, text)))
    widths[text] = units
    return units
