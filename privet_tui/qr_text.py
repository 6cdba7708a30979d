"""A QR code as lines of text (Unicode half blocks), for the TUI and the CLI alike; no Textual.

Each character covers two module rows: `█` both dark, `▀` top dark, `▄` bottom dark, a space
both light. The lines carry no colour of their own: draw them **dark on light** whatever the
theme — the TUI with the style `QR_STYLE` (`"#000000 on #ffffff"`), a terminal with
`ansi_lines()` — so the quiet zone is light and a phone camera reads the code from a screen.

`qr_lines(text, border=4)` → `list[str]`, all lines the same width: a link of ≈ 65
characters is a version-4 code, 33 modules + 2×4 quiet zone = 41 columns × 21 rows.
"""

from __future__ import annotations

from typing import Final

import segno

__all__ = ["QR_STYLE", "ansi_lines", "qr_lines", "qr_size"]

#: Rich/Textual style to draw `qr_lines()` with: black modules on a white ground.
QR_STYLE: Final = "#000000 on #ffffff"
#: ANSI: black foreground on bright white background, then reset.
_ANSI_ON: Final = "\x1b[30;107m"
_ANSI_OFF: Final = "\x1b[0m"
_CELLS: Final = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def qr_lines(text: str, *, border: int = 4) -> list[str]:
    """The QR code of `text` (error correction L, raised when it costs no size; the smallest
    version that fits), `border` light modules of quiet zone on every side (4 is the
    standard), as `ceil((n + 2·border) / 2)` lines of `n + 2·border` characters.
    ValueError when `text` is empty or `border` negative."""
    if not text or border < 0:
        raise ValueError("qr_lines(): text must not be empty and border must be ≥ 0")
    code = segno.make(text, error="l", micro=False)
    rows = [[bool(m) for m in row] for row in code.matrix_iter(border=border)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    return [
        "".join(_CELLS[top, bottom] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(rows[::2], rows[1::2], strict=True)
    ]


def qr_size(text: str, *, border: int = 4) -> tuple[int, int]:
    """(columns, rows) in terminal cells of `qr_lines(text, border=border)`."""
    lines = qr_lines(text, border=border)
    return len(lines[0]), len(lines)


def ansi_lines(lines: list[str]) -> list[str]:
    """Wrap each line in ANSI colours (black on bright white) for a terminal's stdout."""
    return [f"{_ANSI_ON}{line}{_ANSI_OFF}" for line in lines]
