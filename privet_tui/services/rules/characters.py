"""What characters a field may hold, one rule each for every validator: separators made plain
before a format is checked (`normalize_separators`), and only characters the document font
prints (`require_printable`, over the one set of `privet_tui.pdf.glyphs`)."""

from __future__ import annotations

import unicodedata

from privet_tui.errors import ValidationError
from privet_tui.pdf.glyphs import describe_char, first_unprintable

__all__ = ["normalize_separators", "require_printable"]

#: Dashes a keyboard, a word processor or a web page puts where a hyphen is meant: U+2010..2015
#: (hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar), U+2212 minus,
#: U+FE58/U+FE63 small em dash and small hyphen-minus (NFKC already maps U+FF0D to "-").
_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63", "-")
)


def normalize_separators(raw: str) -> str:
    """Return `raw` with its separators made plain, for fields of digits and separators.

    NFKC turns full-width digits, «＋», «（» and the no-break or thin spaces into their ASCII
    forms; every Unicode dash becomes «-»; invisible formatting marks (category Cf: the
    direction marks a phone's contact card pastes, zero-width spaces) are dropped; runs of
    whitespace become one space and the ends are trimmed. Digits of other scripts stay as they
    are, so a field's own `[0-9]` format still refuses them.
    """
    text = unicodedata.normalize("NFKC", raw).translate(_DASHES)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split())


def require_printable(text: str, *, field: str, label: str) -> str:
    """Return `text` when the document font prints every character of it, else raise
    `ValidationError` naming the first character it lacks (for example «𝐌», a «fancy text»
    letter), so what a field accepts is never dropped from a PDF or the client's chat."""
    missing = first_unprintable(text)
    if missing is not None:
        raise ValidationError(
            f"Поле «{label}» содержит символ {describe_char(missing)}, который нельзя "
            "напечатать в документах — наберите его обычными буквами или знаками",
            field=field,
        )
    return text
