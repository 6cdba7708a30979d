"""`privet-tui run`: the TUI."""

from __future__ import annotations

import sys

from privet_tui.cli.common import fail, settings


def run() -> None:
    """Start the TUI."""
    run_tui()


def run_tui(*, login_email: str | None = None, login_note: str | None = None) -> None:
    """Start the TUI on this terminal; without one (ssh -T, a pipe) refuse at once."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail("privet-tui needs a terminal: connect with ssh -t, not with a command or a pipe")
    from privet_tui.logs import setup_logging
    from privet_tui.tui.app import create_app
    from privet_tui.tui.hangup import log_thread_failures

    setup_logging()
    log_thread_failures()
    app = create_app(settings(), login_email=login_email, login_note=login_note)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)
