"""Only the cells that change: a model of the terminal's screen behind `wire.SgrFilter`.

Textual repaints whole regions (a full frame per screen switch, a "loading…" frame and then
the loaded one, a widget refreshed with the same content); the terminal already shows most
of those cells. `ScreenFilter` keeps what each cell shows and writes only the differences.
"""

from __future__ import annotations

import re

from privet_tui.tui.wire import _ESCAPE, SgrFilter, _apply, _Unknown

__all__ = ["ScreenFilter"]

#: Characters one cell wide for certain (ASCII, Latin, Cyrillic without its combining marks,
#: dashes and ellipsis, currency, box drawing and blocks): painted as a run, not one by one.
_PLAIN = re.compile(
    "[ -~\u00a0-\u00ac\u00ae-\u024f\u0400-\u0482\u048a-\u04ff"
    "\u2010-\u2027\u20a0-\u20bf\u2500-\u259f]+"
)

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

    def forget(self) -> None:
        """Know nothing of the screen: the next frame is written whole (a new terminal, a
        reattached session, anything that may have drawn over the app)."""
        self._size = (0, 0)

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
        key = tuple(sorted(wanted.items()))
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
                    key = tuple(sorted(wanted.items()))
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
            plain = _PLAIN.match(data, pos)
            if plain is not None and row >= 0:  # the common case: a run of narrow characters
                text = plain.group(0)
                end = col + len(text)
                if end > width:
                    raise _NotModelled
                line = new[row]
                if 0 < col < width and line[col] is not None and line[col][0] == "":  # type: ignore[index]
                    line[col - 1] = None
                if end < width and line[end] is not None and line[end][0] == "":  # type: ignore[index]
                    line[end] = None
                line[col:end] = [(c, key) for c in text]
                col, pos, placed = end, plain.end(), False
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
