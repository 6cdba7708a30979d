"""The page every document is drawn on: an A4 FPDF with the bundled DejaVu fonts, a footer
with «Страница X из Y», and helpers for headings, paragraphs, tables and framed blocks,
plus the Russian formats of money and dates the documents share.

Two rules hold for every text a document writes: a character the fonts cannot draw is
refused (`UnprintableTextError`) instead of silently dropped, and a number stays on one line
with its unit or sign — the formats join them with `NBSP`, where fpdf2 never wraps (and which
it draws as an ordinary space, so the text extracts as typed)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import ParamSpec, TypeVar

from fpdf import FPDF, FontFace
from fpdf.enums import Align, MethodReturnValue, TableBordersLayout, VAlign, XPos, YPos
from fpdf.line_break import Fragment

from privet_tui.errors import ValidationError
from privet_tui.pdf import faces
from privet_tui.pdf.faces import FONT_FAMILY, FontError, add_faces
from privet_tui.pdf.glyphs import FONT_DIR, FONT_FILES, describe_char, first_unprintable
from privet_tui.pdf.measure import MeasuredFragment

__all__ = [
    "NBSP",
    "DocumentPDF",
    "UnprintableTextError",
    "check_fonts",
    "font_paths",
    "format_date",
    "format_date_long",
    "format_datetime",
    "format_money",
    "format_rubles",
    "nobreak",
    "one_line",
]

_LICENSE_FILE = "LICENSE-DejaVu.txt"
_TTF_MAGIC = b"\x00\x01\x00\x00"

#: NO-BREAK SPACE: fpdf2 never breaks a line there and draws it as a plain space.
NBSP = "\u00a0"

BODY_SIZE = 9.0
SMALL_SIZE = 7.5
LINE_HEIGHT = 4.4
INK = (25, 25, 25)
MUTED = (105, 105, 105)
RULE = (150, 150, 150)
HEADING_FILL = (236, 239, 243)

_MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


class UnprintableTextError(ValidationError):
    """Text for a document holds a character outside `glyphs.printable_chars()`."""

    title = "Символ не печатается"

    def __init__(self, char: str) -> None:
        super().__init__(
            f"В документ попал символ, который нельзя напечатать в PDF: {describe_char(char)}. "
            "Исправьте данные клиента (замените или удалите этот символ) и сформируйте "
            "документ снова."
        )
        self.char = char


def nobreak(*parts: str) -> str:
    """Join the parts with no-break spaces, so they never split across lines: «№ 5»."""
    return NBSP.join(parts)


def one_line(text: str) -> str:
    """Turn the spaces of a number written in groups («45 12», «+7 916 123-45-67») into
    no-break spaces, so it never splits across lines."""
    return text.replace(" ", NBSP)


def font_paths() -> list[Path]:
    """Return the bundled TTF files documents are set in (regular and bold)."""
    return [FONT_DIR / name for name in FONT_FILES.values()]


def check_fonts() -> None:
    """Raise FontError unless every bundled font and its licence are present and readable."""
    for path in [*font_paths(), FONT_DIR / _LICENSE_FILE]:
        try:
            with path.open("rb") as handle:
                head = handle.read(4)
        except OSError as exc:
            raise FontError(f"Не удалось прочитать {path}: {exc.strerror or exc}") from exc
        if path.suffix == ".ttf" and head != _TTF_MAGIC:
            raise FontError(f"Файл {path} не является шрифтом TrueType.")


def format_money(amount: Decimal) -> str:
    """Format roubles the Russian way, thousands grouped by no-break spaces: 1234.5 →
    «1 234,50», which never wraps inside."""
    value = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value:,.2f}".replace(",", NBSP).replace(".", ",")


def format_rubles(amount: Decimal) -> str:
    """Format an amount with its unit, all on one line: «1 990,00 руб.»."""
    return nobreak(format_money(amount), "руб.")


def format_date(day: date) -> str:
    """Format a date as «28.11.2026»."""
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def format_date_long(day: date) -> str:
    """Format a date as contracts head it, on one line: «28» ноября 2026 г."""
    return nobreak(f"«{day.day:02d}»", _MONTHS_GENITIVE[day.month - 1], str(day.year), "г.")


def format_datetime(moment: datetime) -> str:
    """Format an aware datetime in its own zone with the offset, on one line:
    «28.11.2026 14:03 UTC+03:00»; ValueError for a naive one."""
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError("a timezone-aware datetime is required")
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return nobreak(format_date(moment), f"{moment:%H:%M}", f"UTC{sign}{hours:02d}:{mins:02d}")


#: Documents share the parsed fonts, which fpdf2 mutates while it writes a document, so one
#: document renders at a time in a process (a master's process renders one at a time anyway).
_render_lock = threading.Lock()

_R = TypeVar("_R")
_P = ParamSpec("_P")


def one_at_a_time(render: Callable[_P, _R]) -> Callable[_P, _R]:
    """Serialise a render function on the process-wide document lock."""

    @functools.wraps(render)
    def serialised(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with _render_lock:
            return render(*args, **kwargs)

    return serialised


class DocumentPDF(FPDF):
    """An A4 page with the bundled fonts, document metadata and a numbered footer."""

    def __init__(self, *, title: str, author: str, created_at: datetime, footer_note: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        add_faces(self)
        self.footer_note = footer_note
        self.set_margins(left=20, top=15, right=15)
        self.set_auto_page_break(auto=True, margin=18)
        # A fixed creation date (and so a fixed /ID) keeps the bytes reproducible.
        self.set_creation_date(created_at)
        self.set_title(title)
        self.set_author(author)
        self.set_creator("privet-tui")
        self.set_lang("ru-RU")
        self.alias_nb_pages("{nb}")
        self.set_text_color(*INK)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.set_font(FONT_FAMILY, size=BODY_SIZE)
        self.add_page()

    def header(self) -> None:
        """Switch the page-count alias off for the body so that «{nb}» in data stays literal."""
        self.str_alias_nb_pages = ""

    def footer(self) -> None:
        """Print the document's note and «Страница X из Y» at the foot of every page."""
        self.str_alias_nb_pages = "{nb}"
        self.set_y(-12)
        self.set_font(FONT_FAMILY, size=SMALL_SIZE)
        self.set_text_color(*MUTED)
        self.cell(self.epw / 2, 4, self.footer_note, align=Align.L)
        self.cell(self.epw / 2, 4, f"Страница {self.page_no()} из {{nb}}", align=Align.R)
        self.set_text_color(*INK)

    def normalize_text(self, text: str) -> str:
        """Refuse text with a character the bundled faces cannot draw; fpdf2 passes every
        text it lays out (cell, multi_cell, write, table cells, widths) through here, and
        would otherwise only log the missing glyph and print nothing for it."""
        char = first_unprintable(text)
        if char is not None:
            raise UnprintableTextError(char)
        return super().normalize_text(text)

    def _parse_chars(
        self,
        text: str,
        markdown: bool,
        *,
        _initial_emphasis: tuple[bool, bool, bool, bool] | None = None,
    ) -> Iterator[Fragment]:
        """fpdf2's fragments of a text, as `MeasuredFragment`s where they are plain ones
        (which fpdf2 then breaks into lines several times faster)."""
        for fragment in super()._parse_chars(text, markdown, _initial_emphasis=_initial_emphasis):
            if type(fragment) is Fragment:
                fragment = MeasuredFragment(
                    fragment.characters, fragment.graphics_state, fragment.k, fragment.link
                )
            yield fragment

    def to_bytes(self) -> bytes:
        """Finish the document and return the PDF file's bytes."""
        faces.embed_from_stock(self)
        return bytes(self.output())

    def use_font(self, size: float = BODY_SIZE, style: str = "") -> None:
        """Set the document font in the given size and style ("", "B" or "I")."""
        self.set_font(FONT_FAMILY, style=style, size=size)

    def rule(self, gap: float = 2.0) -> None:
        """Draw a thin horizontal line across the text width."""
        self.ln(gap / 2)
        self.line(self.l_margin, self.y, self.l_margin + self.epw, self.y)
        self.ln(gap / 2)

    def paragraph(
        self,
        text: str,
        *,
        size: float = BODY_SIZE,
        style: str = "",
        align: Align = Align.J,
        after: float = 1.2,
    ) -> None:
        """Print wrapped text across the text width; never parsed as markup."""
        self.use_font(size, style)
        height = LINE_HEIGHT * size / BODY_SIZE
        self.multi_cell(0, height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(after)
        self.use_font()

    def heading(self, text: str) -> None:
        """Print a bold section heading, moving to a new page rather than orphaning it."""
        if self.will_page_break(LINE_HEIGHT * 4):
            self.add_page()
        self.ln(1.5)
        self.paragraph(text, size=BODY_SIZE + 1, style="B", align=Align.L, after=0.8)

    def data_table(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        col_widths: Sequence[float],
        aligns: Sequence[Align],
        total: tuple[str, str] | None = None,
    ) -> None:
        """Print a bordered table with a shaded heading row repeated on every page,
        and an optional bold total row whose label spans all but the last column."""
        self.use_font(BODY_SIZE - 0.5)
        heading_style = FontFace(emphasis="BOLD", fill_color=HEADING_FILL)
        with self.table(
            align=Align.L,
            col_widths=tuple(col_widths),
            width=self.epw,
            line_height=LINE_HEIGHT,
            padding=(1.0, 1.2),
            text_align=tuple(aligns),
            v_align=VAlign.M,
            headings_style=heading_style,
            borders_layout=TableBordersLayout.ALL,
        ) as table:
            head = table.row()
            for text in headings:
                head.cell(text, align=Align.C)
            for values in rows:
                row = table.row()
                for text in values:
                    row.cell(text)
            if total is not None:
                bold = FontFace(emphasis="BOLD")
                row = table.row()
                row.cell(total[0], align=Align.R, colspan=len(headings) - 1, style=bold)
                row.cell(total[1], align=Align.R, style=bold)
        self.ln(1.5)
        self.use_font()

    def columns(self, headings: Sequence[str], texts: Sequence[str]) -> None:
        """Print side-by-side blocks of text (requisites of the parties) without borders,
        or one under another when a block is too tall to keep whole on a page."""
        self.use_font(BODY_SIZE - 0.5)
        column_width = self.epw / len(texts) - 3.0
        tallest = max(self.text_height(column_width, text) for text in texts)
        if tallest > (self.h - self.t_margin - self.b_margin) * 0.7:
            for heading, text in zip(headings, texts, strict=True):
                self.heading(heading)
                self.paragraph(text, size=BODY_SIZE - 0.5, align=Align.L)
            return
        with self.table(
            align=Align.L,
            width=self.epw,
            line_height=LINE_HEIGHT,
            padding=(0.6, 3.0, 0.6, 0.0),
            text_align=Align.L,
            v_align=VAlign.T,
            headings_style=FontFace(emphasis="BOLD"),
            borders_layout=TableBordersLayout.NONE,
        ) as table:
            table.row(list(headings))
            table.row(list(texts))
        self.use_font()

    def text_height(self, width: float, text: str) -> float:
        """Measure how tall `text` wraps to in `width` with the current font, drawing nothing."""
        result = self.multi_cell(
            width, LINE_HEIGHT, text, align=Align.L, dry_run=True, output=MethodReturnValue.HEIGHT
        )
        if not isinstance(result, int | float):
            raise TypeError(f"unexpected dry-run result: {result!r}")
        return float(result)

    def framed(self, title: str, lines: Sequence[str], *, color: tuple[int, int, int]) -> None:
        """Print a bold title and lines inside a coloured frame, kept whole on one page."""
        pad = 3.0
        width = self.epw - 2 * pad
        self.use_font(BODY_SIZE + 0.5, "B")
        height = self.text_height(width, title) + 1.5 + 2 * pad
        self.use_font()
        height += sum(self.text_height(width, line) for line in lines)
        if self.will_page_break(height + 4):
            self.add_page()
        self.ln(2)
        top = self.y
        self.set_draw_color(*color)
        self.set_line_width(0.6)
        self.rect(self.l_margin, top, self.epw, height)
        self.set_line_width(0.2)
        self.set_draw_color(*RULE)
        self.set_xy(self.l_margin + pad, top + pad)
        self.set_text_color(*color)
        self.use_font(BODY_SIZE + 0.5, "B")
        self.multi_cell(width, LINE_HEIGHT, title, align=Align.L, new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.use_font()
        self.ln(1.5)
        for line in lines:
            self.set_x(self.l_margin + pad)
            self.multi_cell(
                width, LINE_HEIGHT, line, align=Align.L, new_x=XPos.LEFT, new_y=YPos.NEXT
            )
        self.set_xy(self.l_margin, top + height)
        self.ln(2)
