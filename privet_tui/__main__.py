"""`python -m privet_tui` runs the same CLI as the `privet-tui` script."""

from __future__ import annotations

from privet_tui.cli import main

main()
