"""`privet-tui run`: the TUI."""

from __future__ import annotations

from privet_tui.cli.common import settings


def run() -> None:
    """Start the TUI."""
    run_tui()


def run_tui(*, login_email: str | None = None) -> None:
    from privet_tui.logs import setup_logging
    from privet_tui.tui import create_app

    setup_logging()
    app = create_app(settings(), login_email=login_email)
    app.run()
