"""Pasted text is text, never keystrokes.

Textual 8's xterm parser ends a bracketed paste's text at the first ESC inside it and then
reads what follows as keys: a paste holding `ESC]0;x BEL` fires Ctrl+G, one holding
`ESC[0m` then a 0x11 byte fires Ctrl+Q. Terminals that do not filter control bytes in a
paste (several phone ssh clients among them) pass such text straight from another app.

`PasteFilter` sits in front of the parser: between the bracketed-paste markers
(`ESC[200~` … `ESC[201~`, xterm's "bracketed paste mode") it drops every control
character but tab and line breaks, so the parser sees one clean paste and nothing inside it
can become a key. Outside a paste the input passes unchanged and at once (a lone Esc is the
Esc key once Textual's own short wait is over). The input arrives in reads of any size, so
the markers are recognised across reads.
"""

from __future__ import annotations

import itertools
import os
import signal
import unicodedata
from collections.abc import Iterable
from typing import Any

from textual._xterm_parser import XTermParser
from textual.drivers import linux_driver
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

from privet_tui.tui import wire, wire_screen

__all__ = ["PasteFilter", "PasteGuardDriver"]

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
#: Control characters a paste may keep: they are text in a form or a chat message.
_KEPT = frozenset("\t\n\r")


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" and ch not in _KEPT


class PasteFilter:
    """Removes control characters from the inside of bracketed pastes, across reads.

    Outside a paste every character passes at once (a lone Esc must reach the parser now:
    Textual times it out as the Esc key); only the start marker is watched for. Inside a
    paste, what may begin the end marker is held until it is whole or proves not to be.
    """

    def __init__(self) -> None:
        self.in_paste = False
        self._matched = 0  # characters of the marker being watched for, seen so far
        self._held = ""  # inside a paste: a possible beginning of the end marker

    def flush(self) -> str:
        """At the end of input: nothing of an unfinished paste is let through as keys."""
        self._held = ""
        return ""

    def feed(self, data: str) -> str:
        """Return what the parser may see of `data`."""
        out: list[str] = []
        for ch in data:
            if self.in_paste:
                self._inside(ch, out)
            else:
                out.append(ch)
                self._matched = self._advance(PASTE_START, self._matched, ch)
                if self._matched == len(PASTE_START):
                    self.in_paste, self._matched = True, 0
        return "".join(out)

    def _inside(self, ch: str, out: list[str]) -> None:
        matched = self._advance(PASTE_END, len(self._held), ch)
        if matched == len(PASTE_END):
            out.append(PASTE_END)
            self.in_paste, self._held = False, ""
        elif matched > len(self._held):
            self._held += ch
        else:  # not the end marker after all: what was held is pasted text, controls dropped
            out.append(_clean(self._held))
            self._held = ""
            if matched:  # the character begins the marker afresh (an Esc)
                self._held = ch
            else:
                out.append(_clean(ch))

    @staticmethod
    def _advance(marker: str, matched: int, ch: str) -> int:
        """How much of `marker` is matched after `ch` (the marker's first character, Esc,
        never occurs inside it, so a mismatch restarts at Esc or at nothing)."""
        if ch == marker[matched]:
            return matched + 1
        return 1 if ch == marker[0] else 0


def _clean(text: str) -> str:
    return "".join(ch for ch in text if not _is_control(ch))


class _GuardedParser(XTermParser):
    """Textual's parser behind a `PasteFilter`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._paste_filter = PasteFilter()

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # the end of input: what was held back, then the end itself
            tail = self._paste_filter.flush()
            return itertools.chain(super().feed(tail) if tail else (), super().feed(""))
        filtered = self._paste_filter.feed(data)
        return super().feed(filtered) if filtered else ()


class PasteGuardDriver(LinuxDriver):
    """The Linux driver, its input parser guarded by `PasteFilter`, its output written
    through `wire_screen.ScreenFilter` (only the cells that change, with minimal colour changes;
    off with `PRIVET_WIRE_FILTER=0`).

    Textual builds the parser from the module-level name `XTermParser` inside
    `LinuxDriver.run_input_thread`; there is no hook to pass another, so that one name is
    pointed at the guarded parser (one app runs per process). `tests/tui/test_paste_guard.py`
    fails if a Textual upgrade moves it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wire = wire_screen.ScreenFilter() if wire.enabled() else None
        self._redraw_whole = False

    def start_application_mode(self) -> None:
        """Textual's start; then every SIGWINCH (a resize, or a reattached session asking
        for a redraw) also makes the screen model start over."""
        super().start_application_mode()  # type: ignore[no-untyped-call]
        textual_handler = signal.getsignal(signal.SIGWINCH)

        def redraw_whole(signum: int, frame: Any) -> None:
            self._redraw_whole = True
            if callable(textual_handler):
                textual_handler(signum, frame)

        signal.signal(signal.SIGWINCH, redraw_whole)

    def write(self, data: str) -> None:
        """Write `data` (a frame, or a mode change) with its colour changes made minimal."""
        if self._wire is not None:
            if self._redraw_whole:
                self._redraw_whole = False
                self._wire.forget()
            try:
                size = os.get_terminal_size(self._file.fileno())  # type: ignore[union-attr]
            except (AttributeError, OSError, ValueError):  # no terminal: the model stays off
                size = os.terminal_size((0, 0))
            data = self._wire.paint(data, (size.columns, size.lines))
        if data:
            super().write(data)

    def run_input_thread(self) -> None:
        linux_driver.XTermParser = _GuardedParser  # type: ignore[attr-defined]
        super().run_input_thread()
