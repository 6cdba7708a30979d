"""The printable set is read from the bundled fonts themselves."""

from __future__ import annotations

from privet_tui.pdf.glyphs import describe_char, first_unprintable, printable_chars


def test_russian_text_and_document_signs_are_printable() -> None:
    text = "Ёлкина Эльвира, г. Москва, ул. Мира, д. 1 — «тариф» № 5: 1 990,00 руб. ₽ …"
    assert first_unprintable(text) is None
    assert {"\u00a0", "\u202f", "\n"} <= printable_chars()


def test_maths_bold_letters_are_named_not_printed() -> None:
    ch = first_unprintable("г. 𝐌𝐨𝐬𝐜𝐨𝐰, ул. Мира")
    assert ch == "𝐌"
    assert describe_char(ch) == "«𝐌» (U+1D40C MATHEMATICAL BOLD CAPITAL M)"


def test_an_invisible_character_is_named_by_its_code() -> None:
    assert describe_char("\u200b") == "(U+200B ZERO WIDTH SPACE)"
