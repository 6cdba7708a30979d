"""Pasted text is text, never keystrokes.

Textual 8's xterm parser ends a bracketed paste's text at the first ESC inside it and then
reads what follows as keys: a paste holding `ESC]0;x BEL` fires Ctrl+G, one holding
`ESC[0m` then a 0x11 byte fires Ctrl+Q. Terminals that do not filter control bytes in a
paste (several phone ssh clients among them) pass such text straight from another app.

`PasteFilter` sits in front of the parser: between the bracketed-paste markers
(`ESC[200~` … `ESC[201~`, xterm's "bracketed paste mode") it drops every control
character but tab and line breaks, so the parser sees one clean paste and nothing inside it
can become a key. Outside a paste the input passes unchanged. The input arrives in reads of
any size, so a marker split across two reads is held back until it is whole.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable
from typing import Any

from textual._xterm_parser import XTermParser
from textual.drivers import linux_driver
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

__all__ = ["PasteFilter", "PasteGuardDriver"]

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
#: Control characters a paste may keep: they are text in a form or a chat message.
_KEPT = frozenset("\t\n\r")


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" and ch not in _KEPT


def _partial_marker(text: str, marker: str) -> int:
    """Length of the longest tail of `text` that is a proper head of `marker`."""
    for size in range(min(len(text), len(marker) - 1), 0, -1):
        if marker.startswith(text[-size:]):
            return size
    return 0


class PasteFilter:
    """Removes control characters from the inside of bracketed pastes, across reads."""

    def __init__(self) -> None:
        self.in_paste = False
        self._held = ""

    def flush(self) -> str:
        """At the end of input: what was held back (nothing of an unfinished paste)."""
        held, self._held = self._held, ""
        return "" if self.in_paste else held

    def feed(self, data: str) -> str:
        """Return what the parser may see of `data` (possibly nothing yet)."""
        text = self._held + data
        self._held = ""
        out: list[str] = []
        while text:
            marker = PASTE_END if self.in_paste else PASTE_START
            at = text.find(marker)
            if at < 0:
                keep = _partial_marker(text, marker)
                body, self._held = (text[:-keep], text[-keep:]) if keep else (text, "")
                out.append(self._clean(body))
                break
            out.append(self._clean(text[:at]))
            out.append(marker)
            self.in_paste = not self.in_paste
            text = text[at + len(marker) :]
        return "".join(out)

    def _clean(self, text: str) -> str:
        if not self.in_paste:
            return text
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
    """The Linux driver, its input parser guarded by `PasteFilter`.

    Textual builds the parser from the module-level name `XTermParser` inside
    `LinuxDriver.run_input_thread`; there is no hook to pass another, so that one name is
    pointed at the guarded parser (one app runs per process). `tests/tui/test_paste_guard.py`
    fails if a Textual upgrade moves it.
    """

    def run_input_thread(self) -> None:
        linux_driver.XTermParser = _GuardedParser  # type: ignore[attr-defined]
        super().run_input_thread()
