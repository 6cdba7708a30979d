"""Pasted text is text: nothing inside a bracketed paste becomes a key (issue 13, item 3)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st
from textual import events
from textual._xterm_parser import XTermParser
from textual.drivers import linux_driver

from privet_tui.config import Settings
from privet_tui.tui.app import PrivetApp
from privet_tui.tui.paste_guard import (
    PASTE_END,
    PASTE_START,
    PasteFilter,
    PasteGuardDriver,
    _GuardedParser,
)

ESC, BEL, CTRL_Q = "\x1b", "\x07", "\x11"
#: The two pastes of issue 13: a title-setting OSC (fired Ctrl+G: a contract was generated
#: and its code sent) and a colour reset followed by a 0x11 byte (fired Ctrl+Q: the app quit).
OSC_PASTE = f"{PASTE_START}{ESC}]0;x{BEL}{PASTE_END}"
CTRL_Q_PASTE = f"{PASTE_START}x{ESC}[0m{CTRL_Q}{PASTE_END}"


def parse(parser: XTermParser, *chunks: str) -> list[object]:
    tokens: list[object] = []
    for chunk in chunks:
        tokens.extend(parser.feed(chunk))
    tokens.extend(parser.feed(""))
    return tokens


def keys(tokens: list[object]) -> list[str]:
    return [t.key for t in tokens if isinstance(t, events.Key)]


def pastes(tokens: list[object]) -> list[str]:
    return [t.text for t in tokens if isinstance(t, events.Paste)]


def test_textual_alone_reads_keys_out_of_these_pastes() -> None:
    """The upstream behaviour the guard exists for; when this fails, Textual has fixed it
    and the guard can go (see the module docstring of paste_guard)."""
    assert "ctrl+g" in keys(parse(XTermParser(), OSC_PASTE))
    assert "ctrl+q" in keys(parse(XTermParser(), CTRL_Q_PASTE))


def test_a_title_sequence_in_a_paste_fires_no_ctrl_g() -> None:
    tokens = parse(_GuardedParser(), OSC_PASTE)
    assert keys(tokens) == []
    assert pastes(tokens) == ["]0;x"]


def test_a_ctrl_q_byte_in_a_paste_does_not_quit() -> None:
    tokens = parse(_GuardedParser(), CTRL_Q_PASTE)
    assert keys(tokens) == []
    assert pastes(tokens) == ["x[0m"]


def test_markers_split_across_reads_are_still_recognised() -> None:
    data = f"a{CTRL_Q_PASTE}b"
    for cut in range(1, len(data)):
        tokens = parse(_GuardedParser(), data[:cut], data[cut:])
        assert keys(tokens) == ["a", "b"], cut
        assert pastes(tokens) == ["x[0m"], cut


def test_a_lone_esc_passes_at_once() -> None:
    """An Esc must not wait for the next key (it could begin a paste marker, but Textual
    itself decides, after its short wait, whether it was the Esc key)."""
    guard = PasteFilter()
    assert guard.feed(ESC) == ESC
    assert guard.feed("[200") == "[200"  # a marker split over reads still opens the paste
    assert guard.feed("~x") == "~x"
    assert guard.in_paste
    assert keys(parse(_GuardedParser(), ESC)) == ["escape"]


def test_keys_outside_a_paste_pass_unchanged() -> None:
    tokens = parse(_GuardedParser(), f"{CTRL_Q}{ESC}[A")
    assert keys(tokens) == ["ctrl+q", "up"]


def test_line_breaks_and_tabs_stay_in_a_paste() -> None:
    assert pastes(parse(_GuardedParser(), f"{PASTE_START}ул. Мира\tд. 1\nкв. 2{PASTE_END}")) == [
        "ул. Мира\tд. 1\nкв. 2"
    ]


@given(st.lists(st.text(), max_size=4), st.text())
def test_nothing_inside_a_paste_survives_as_a_control(chunks: list[str], tail: str) -> None:
    assume(PASTE_END not in "".join(chunks) + tail)
    guard = PasteFilter()
    out = guard.feed(PASTE_START) + "".join(guard.feed(chunk) for chunk in [*chunks, tail])
    inside = out.replace(PASTE_START, "")
    assert not any((ord(ch) < 32 and ch not in "\t\n\r") or ch == "\x7f" for ch in inside)


def test_the_app_runs_on_the_guarded_driver(tmp_path: Path) -> None:
    assert PrivetApp(Settings(data_dir=tmp_path)).driver_class is PasteGuardDriver
    # The one name the driver swaps must still be where Textual builds its parser from.
    assert linux_driver.XTermParser in (XTermParser, _GuardedParser)
