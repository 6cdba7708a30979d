"""Measured figures (throughput, restart and kill timings): the `figures` fixture records
them here and the end-of-run summary prints them."""

from __future__ import annotations

from collections.abc import Callable

#: `figures(name, value)`: record a measured figure for the end-of-run summary.
Figures = Callable[[str, str], None]

#: Every figure recorded in this run, in order.
RECORDED: list[tuple[str, str]] = []
