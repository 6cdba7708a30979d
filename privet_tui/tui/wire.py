"""Fewer bytes per frame: Textual's output rewritten into minimal colour/style changes.

Rich renders every run of cells as `ESC[<attrs>m text ESC[0m`: each run resets and then sets
its colours again, so about half of a frame's bytes are SGR ("select graphic rendition")
sequences that change nothing. `SgrFilter` keeps the attributes the terminal has and the ones
the stream asks for, and writes only the difference, just before the next visible text (or
before anything whose effect depends on the attributes: an erase, a scroll, a mode change,
a saved cursor). Cursor moves between runs pass through untouched; they do not depend on the
attributes.

The terminal shows the same cells, in the same colours, as with the original stream:
`wire_screen.ScreenFilter` goes further and writes only the cells that change.
`tests/unit/test_wire.py` feeds captured frames both ways into `pyte` and compares screens
and attributes. An SGR the filter does not model is passed through as it came, and the
filter then knows nothing about the terminal's attributes until the next full reset.

Set `PRIVET_WIRE_FILTER=0` to write Textual's stream unchanged (for comparison).
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["SgrFilter", "enabled", "transition"]

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
