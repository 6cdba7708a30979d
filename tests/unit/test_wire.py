"""The output filter (`tui/wire.py`) leaves the terminal exactly as Textual's own stream does:
real frames captured from `privet-tui run` at 80x24 (`benchmarks/bench_wire.py --raw --dump`)
are fed both ways into `pyte`, a terminal emulator, and every cell is compared, colours and
styles included."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pyte
import pytest

from privet_tui.tui.wire import SgrFilter, enabled, transition
from privet_tui.tui.wire_screen import ScreenFilter

FRAMES = sorted((Path(__file__).parent / "wire_frames").glob("*.bin.gz"))


def _screen(chunks: list[str]) -> pyte.Screen:
    screen = pyte.Screen(80, 24)
    stream = pyte.Stream(screen)
    for chunk in chunks:
        stream.feed(chunk)
    return screen


def _cells(screen: pyte.Screen) -> list[list[tuple[object, ...]]]:
    return [[tuple(screen.buffer[y][x]) for x in range(80)] for y in range(24)]


def _pieces(text: str, seed: int) -> list[str]:
    """`text` cut at random places (inside escape sequences too), as writes may come."""
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(1, len(text)), min(60, len(text) - 1)))
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]


@pytest.mark.parametrize("frame", FRAMES, ids=lambda p: p.name.split(".")[0])
def test_a_real_frame_paints_the_same_screen_with_fewer_bytes(frame: Path) -> None:
    original = gzip.decompress(frame.read_bytes()).decode()
    wire = SgrFilter()
    filtered = wire.feed(original)
    assert _cells(_screen([filtered])) == _cells(_screen([original]))
    assert len(filtered.encode()) < 0.8 * len(original.encode())
    pieces = SgrFilter()
    split = [pieces.feed(piece) for piece in _pieces(original, seed=len(original))]
    assert _cells(_screen(split)) == _cells(_screen([original]))


def _frames(text: str) -> list[str]:
    """The stream cut where Textual starts painting from the top (about one write each)."""
    parts = text.split("\x1b[1;1H")
    return [parts[0], *("\x1b[1;1H" + part for part in parts[1:])]


@pytest.mark.parametrize("frame", FRAMES, ids=lambda p: p.name.split(".")[0])
@pytest.mark.parametrize("cut", ["frames", "random"])
def test_only_changed_cells_are_written_and_every_screen_is_the_same(frame: Path, cut: str) -> None:
    original = gzip.decompress(frame.read_bytes()).decode()
    pieces = _frames(original) if cut == "frames" else _pieces(original, seed=7)
    wire = ScreenFilter()
    plain, filtered = pyte.Screen(80, 24), pyte.Screen(80, 24)
    plain_stream, filtered_stream = pyte.Stream(plain), pyte.Stream(filtered)
    written = 0
    for piece in pieces:
        plain_stream.feed(piece)
        out = wire.paint(piece, (80, 24))
        written += len(out.encode())
        filtered_stream.feed(out)
    assert _cells(filtered) == _cells(plain)
    if cut == "frames":
        assert written < 0.8 * len(original.encode())


def test_a_repainted_unchanged_screen_writes_nothing() -> None:
    frame = "\x1b[1;1H\x1b[44mAB\x1b[0m\r\n\x1b[2;1H\x1b[1mCD\x1b[0m"
    wire = ScreenFilter()
    assert wire.paint(frame, (80, 24))
    assert wire.paint(frame, (80, 24)) == ""
    assert wire.paint(frame.replace("D", "E"), (80, 24)) == "\x1b[2;2H\x1b[1mE\x1b[0m"


def test_the_terminal_is_left_as_the_stream_leaves_it() -> None:
    wire = SgrFilter()
    assert wire.feed("\x1b[1;31mA\x1b[0m\x1b[1;31mB\x1b[0m") == "\x1b[1;31mAB\x1b[0m"
    # an erase paints with the background in force, so it is set first
    assert wire.feed("\x1b[44m\x1b[K") == "\x1b[44m\x1b[K"
    assert wire.feed("\x1b[0m") == "\x1b[0m"


def test_cursor_moves_do_not_force_colours_out() -> None:
    wire = SgrFilter()
    out = wire.feed("\x1b[32mA\x1b[0m\x1b[2;1H\x1b[32mB\x1b[0m")
    assert out == "\x1b[32mA\x1b[2;1HB\x1b[0m"


def test_an_unknown_attribute_is_passed_as_it_came() -> None:
    wire = SgrFilter()
    assert wire.feed("\x1b[4:3mA\x1b[0mB") == "\x1b[4:3mA\x1b[0mB"
    assert wire.feed("\x1b[1mC\x1b[0m") == "\x1b[1mC\x1b[0m"


def test_transition_turns_off_only_what_goes() -> None:
    assert transition({"bold": "1", "fg": "31"}, {"fg": "31"}) == "\x1b[22m"
    assert transition({"bold": "1", "dim": "2"}, {"dim": "2"}) in ("\x1b[22;2m", "\x1b[0;2m")
    assert transition({"fg": "38;2;1;2;3"}, {"fg": "38;2;1;2;4"}) == "\x1b[38;2;1;2;4m"
    assert transition({"fg": "31"}, {}) == "\x1b[0m"


def test_the_filter_can_be_turned_off() -> None:
    assert enabled({})
    assert not enabled({"PRIVET_WIRE_FILTER": "0"})
