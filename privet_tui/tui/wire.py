"""Fewer bytes per frame: Textual's output rewritten into minimal colour/style changes.

Rich renders every run of cells as `ESC[<attrs>m text ESC[0m`: each run resets and then sets
its colours again, so about half of a frame's bytes are SGR ("select graphic rendition")
sequences that change nothing. `SgrFilter` keeps the attributes the terminal has and the ones
the stream asks for, and writes only the difference, just before the next visible text (or
before anything whose effect depends on the attributes: an erase, a scroll, a mode change,
a saved cursor). Cursor moves between runs pass through untouched; they do not depend on the
attributes.

The terminal shows the same cells, in the same colours, as with the original stream:
`tests/unit/test_wire.py` feeds captured frames both ways into `pyte` and compares screens
and attributes. An SGR the filter does not model is passed through as it came, and the
filter then knows nothing about the terminal's attributes until the next full reset.

Set `PRIVET_WIRE_FILTER=0` to write Textual's stream unchanged (for comparison).
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["ScreenFilter", "SgrFilter", "enabled"]

#: One escape sequence: CSI (params, intermediates, final), OSC/DCS/APC strings up to BEL or
#: ST, or a two-character ESC sequence. Anchored at an ESC; an unfinished one does not match.
_ESCAPE = re.compile(
    r"\x1b(?:"
    r"\[(?P<csi_params>[0-?]*)(?P<csi_inter>[ -/]*)(?P<csi_final>[@-~])"
    r"|[\]P_^X][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|[ -/]*[0-OQ-WYZ\\`-~]"  # not [ ] P X ^ _, which begin the longer kinds above
    r")"
)
#: CSI finals that only move the cursor (CUP, HVP, CUU/CUD/CUF/CUB, CHA, VPA, CNL/CPL).
_MOVES: Final = frozenset("HfABCDGdEF")
_RESET: Final = "\x1b[0m"
#: An unfinished sequence longer than this is passed on as it is.
_LONGEST: Final = 4096

#: On and off codes of the boolean attributes; bold and dim share their off code (22).
_FLAGS: Final = {
    "1": "bold",
    "2": "dim",
    "3": "italic",
    "4": "underline",
    "5": "blink",
    "7": "reverse",
    "8": "conceal",
    "9": "strike",
    "21": "underline2",
    "53": "overline",
}
_OFF: Final = {
    "22": ("bold", "dim"),
    "23": ("italic",),
    "24": ("underline", "underline2"),
    "25": ("blink",),
    "27": ("reverse",),
    "28": ("conceal",),
    "29": ("strike",),
    "55": ("overline",),
}
_OFF_CODE: Final = {name: code for code, names in _OFF.items() for name in names}
_COLOUR_DEFAULT: Final = {"39": "fg", "49": "bg", "59": "ul"}
_COLOUR_EXTENDED: Final = {"38": "fg", "48": "bg", "58": "ul"}

Attributes = dict[str, str]


class _Unknown(Exception):
    """An SGR parameter the filter does not model."""


def _apply(attributes: Attributes, params: str) -> Attributes:
    """`attributes` after the SGR `params` (a new dict); raises `_Unknown`."""
    out = dict(attributes)
    parts = params.split(";") if params else ["0"]
    i = 0
    while i < len(parts):
        p = parts[i]
        i += 1
        if p in ("", "0"):
            out.clear()
        elif p in _FLAGS:
            out[_FLAGS[p]] = p
        elif p in _OFF:
            for name in _OFF[p]:
                out.pop(name, None)
        elif p in _COLOUR_DEFAULT:
            out.pop(_COLOUR_DEFAULT[p], None)
        elif p.isdigit() and (30 <= int(p) <= 37 or 90 <= int(p) <= 97):
            out["fg"] = p
        elif p.isdigit() and (40 <= int(p) <= 47 or 100 <= int(p) <= 107):
            out["bg"] = p
        elif p in _COLOUR_EXTENDED:
            kind = parts[i] if i < len(parts) else ""
            size = {"5": 2, "2": 4}.get(kind)
            if size is None or i + size > len(parts):
                raise _Unknown(params)
            out[_COLOUR_EXTENDED[p]] = ";".join([p, *parts[i : i + size]])
            i += size
        else:
            raise _Unknown(params)
    return out


def _codes(attributes: Attributes) -> list[str]:
    return [attributes[name] for name in sorted(attributes)]


def transition(current: Attributes, wanted: Attributes) -> str:
    """The shortest SGR sequence taking the terminal from `current` to `wanted` ("" if none)."""
    if current == wanted:
        return ""
    if not wanted:
        return _RESET
    fresh = "\x1b[0;" + ";".join(_codes(wanted)) + "m"
    codes: list[str] = []
    gone = [name for name in current if name not in wanted]
    for name in gone:
        if name in _OFF_CODE:
            code = _OFF_CODE[name]
            if code not in codes:
                codes.append(code)
        else:
            codes.append({"fg": "39", "bg": "49", "ul": "59"}[name])
    # 22 turns off bold and dim together: whichever of them is still wanted is set again.
    again = {name for name in ("bold", "dim") if name in wanted and "22" in codes}
    for name in sorted(wanted):
        if current.get(name) != wanted[name] or name in again:
            codes.append(wanted[name])
    changed = "\x1b[" + ";".join(codes) + "m"
    return changed if len(changed) < len(fresh) else fresh


class SgrFilter:
    """Rewrites a terminal output stream, across writes, into minimal SGR changes.

    `feed(text)` returns what to write now. At the end of each `feed` the terminal is left
    with the attributes the original stream would have left (so whatever is written next,
    by anyone, starts from the same state); an unfinished escape sequence is kept for the
    next call.
    """

    def __init__(self) -> None:
        self._terminal: Attributes = {}
        self._wanted: Attributes = {}
        self._known = True  # False after an SGR the filter does not model
        self._saved: Attributes | None = None
        self._tail = ""

    def feed(self, data: str) -> str:
        """The filtered form of `data` (str in, str out; nothing is buffered but an
        unfinished escape sequence at its end)."""
        data = self._tail + data
        self._tail = ""
        out: list[str] = []
        pos = 0
        size = len(data)
        while pos < size:
            esc = data.find("\x1b", pos)
            if esc == -1:
                self._sync(out)
                out.append(data[pos:])
                break
            if esc > pos:
                self._sync(out)
                out.append(data[pos:esc])
            match = _ESCAPE.match(data, esc)
            if match is None:
                if size - esc > _LONGEST:  # not a sequence that is still arriving
                    self._sync(out)
                    out.append(data[esc:])
                else:
                    self._tail = data[esc:]
                break
            self._escape(match, out)
            pos = match.end()
        self._sync(out)
        return "".join(out)

    def _escape(self, match: re.Match[str], out: list[str]) -> None:
        sequence = match.group(0)
        final = match.group("csi_final")
        params = match.group("csi_params")
        plain = params is not None and not match.group("csi_inter")
        plain = plain and (not params or params[0] not in "<=>?")
        if final == "m" and plain and self._known:
            try:
                self._wanted = _apply(self._wanted, params)
            except _Unknown:
                self._sync(out)
                out.append(sequence)
                self._known = False
            return
        if not self._known and final == "m":
            out.append(sequence)
            if params in ("", "0"):
                self._known = True
                self._terminal, self._wanted = {}, {}
            return
        if final in _MOVES and plain:
            out.append(sequence)
            return
        # Everything else may depend on the attributes (erase, scroll, save cursor…).
        self._sync(out)
        out.append(sequence)
        if sequence == "\x1b7":
            self._saved = dict(self._terminal) if self._known else None
        elif sequence == "\x1b8":
            if self._saved is None:
                self._known = False
            else:
                self._terminal = dict(self._saved)
                self._wanted = dict(self._saved)
        elif sequence == "\x1bc":  # full reset
            self._terminal, self._wanted, self._known = {}, {}, True

    def _sync(self, out: list[str]) -> None:
        if self._known and self._terminal != self._wanted:
            out.append(transition(self._terminal, self._wanted))
            self._terminal = dict(self._wanted)


def enabled(environ: dict[str, str] | None = None) -> bool:
    """Whether the filter is on (`PRIVET_WIRE_FILTER` unset or anything but 0/no/off)."""
    import os

    value = (environ if environ is not None else os.environ).get("PRIVET_WIRE_FILTER", "1")
    return value.strip().lower() not in ("0", "no", "off", "false")


#: A cell as the screen model keeps it: (the character, or "" right of a wide one; the
#: attribute codes in force), or None when what the terminal shows there is not known.
Cell = tuple[str, tuple[tuple[str, str], ...]] | None
#: Unchanged cells between two changed runs that are cheaper to write again than to jump.
_GAP = 6


class _NotModelled(Exception):
    """A write the screen model does not follow (it is then passed on as it came)."""


class ScreenFilter(SgrFilter):
    """`SgrFilter` plus a model of the screen: each write that paints cells is compared with
    what the terminal already shows, and only the cells that differ are written (in runs,
    each reached by one cursor move). A frame that repaints an unchanged screen writes
    nothing; a "loading…" line replaced by the data costs the changed cells only.

    Follows what Textual writes: cursor moves, text, SGR and line breaks, plus mode changes
    and OSC strings (passed on before the cells). Any other sequence, a character whose
    width is unknown, or a line that would wrap or scroll, makes that write go out as it
    came (through `SgrFilter`), and the cells it touched unknown. A new terminal size
    forgets the whole screen.
    """

    def __init__(self) -> None:
        super().__init__()
        self._size = (0, 0)
        self._screen: list[list[Cell]] = []
        self._row = 0  # where the terminal's cursor is (0-based)
        self._col = 0

    def paint(self, data: str, size: tuple[int, int]) -> str:
        """The bytes to write for `data` on a terminal of `size` (columns, rows)."""
        if size != self._size:
            self._size = size
            self._forget()
        if "\x1bc" in data or self._tail or not self._known:
            self._forget()
            return self.feed(data)
        try:
            return self._diff(data)
        except _NotModelled:
            self._forget()
            return self.feed(data)

    def _forget(self) -> None:
        width, height = self._size
        self._screen = [[None] * width for _ in range(height)]
        self._row = self._col = -1

    def _diff(self, data: str) -> str:
        from rich.cells import get_character_cell_size

        width, height = self._size
        new = [row[:] for row in self._screen]
        controls: list[str] = []
        wanted = self._wanted
        row, col = self._row, self._col
        placed = False  # the write ends with the cursor put somewhere on purpose
        pos, size = 0, len(data)
        while pos < size:
            ch = data[pos]
            if ch == "\x1b":
                match = _ESCAPE.match(data, pos)
                if match is None:
                    raise _NotModelled
                pos = match.end()
                final, params = match.group("csi_final"), match.group("csi_params")
                if final is None:
                    if match.group(0).startswith("\x1b]"):
                        controls.append(match.group(0))
                        continue
                    raise _NotModelled
                if match.group("csi_inter"):
                    raise _NotModelled
                if params and params[0] == "?" and final in "hl":
                    if params[1:] in ("1049", "1047", "47", "6", "69"):
                        raise _NotModelled  # another screen, or another origin
                    controls.append(match.group(0))
                    continue
                if params and params[0] in "<=>?":
                    raise _NotModelled
                if final == "m":
                    try:
                        wanted = _apply(wanted, params)
                    except _Unknown:
                        raise _NotModelled from None
                    continue
                numbers = [int(p) if p else 0 for p in params.split(";")] if params else []
                if final in "Hf":
                    row = (numbers[0] if numbers and numbers[0] else 1) - 1
                    col = (numbers[1] if len(numbers) > 1 and numbers[1] else 1) - 1
                elif final in "ABCDGd" and row >= 0 and len(numbers) <= 1:
                    n = max(numbers[0] if numbers else 1, 1)
                    if final == "A":
                        row -= n
                    elif final == "B":
                        row += n
                    elif final == "C":
                        col += n
                    elif final == "D":
                        col -= n
                    elif final == "G":
                        col = n - 1
                    else:
                        row = n - 1
                else:
                    raise _NotModelled
                if not (0 <= row < height and 0 <= col <= width):
                    raise _NotModelled
                placed = True
                continue
            pos += 1
            placed = False
            if ch == "\r":
                col = 0
            elif ch == "\n":
                row += 1
                if row >= height or row < 0:
                    raise _NotModelled
            elif ch < " " or ch == "\x7f" or row < 0:
                raise _NotModelled
            else:
                cells = get_character_cell_size(ch)
                if cells not in (1, 2) or col + cells > width:
                    raise _NotModelled
                key = tuple(sorted(wanted.items()))
                line = new[row]
                # half of a wide character overwritten: the terminal blanks the other half
                if col > 0 and line[col] is not None and line[col][0] == "":  # type: ignore[index]
                    line[col - 1] = None
                end = col + cells
                if end < width and line[end] is not None and line[end][0] == "":  # type: ignore[index]
                    line[end] = None
                line[col] = (ch, key)
                if cells == 2:
                    line[col + 1] = ("", key)
                col += cells
        out = ["".join(controls)]
        self._emit_changes(new, out)
        if placed and (row, col) != (self._row, self._col):
            out.append(f"\x1b[{row + 1};{col + 1}H")
            self._row, self._col = row, col
        self._screen = new
        self._wanted = wanted
        self._sync(out)
        return "".join(out)

    def _emit_changes(self, new: list[list[Cell]], out: list[str]) -> None:
        for y, (before, after) in enumerate(zip(self._screen, new, strict=True)):
            if before == after:
                continue
            changed = [x for x, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
            runs: list[list[int]] = []
            for x in changed:
                if (
                    runs
                    and x - runs[-1][1] <= _GAP
                    and all(cell is not None for cell in after[runs[-1][1] : x])
                ):
                    runs[-1][1] = x
                else:
                    runs.append([x, x])
            for start, end in runs:
                while start > 0 and after[start] is not None and after[start][0] == "":  # type: ignore[index]
                    start -= 1
                self._emit_run(y, start, end, after, out)

    def _emit_run(self, y: int, start: int, end: int, cells: list[Cell], out: list[str]) -> None:
        if (self._row, self._col) != (y, start):
            out.append(f"\x1b[{y + 1};{start + 1}H")
        x = start
        while x <= end or (x < len(cells) and cells[x] is not None and cells[x][0] == ""):  # type: ignore[index]
            cell = cells[x]
            assert cell is not None
            char, key = cell
            if char:
                self._wanted = dict(key)
                self._sync(out)
                out.append(char)
            x += 1
        # At the right edge the terminal waits to wrap: where it is then is not worth knowing.
        self._row, self._col = (y, x) if x < len(cells) else (-1, -1)
