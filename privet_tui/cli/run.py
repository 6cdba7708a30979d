"""`privet-tui run`: the TUI."""

from __future__ import annotations

import sys

import typer

from privet_tui.cli.common import fail, settings


def run(
    no_detach: bool = typer.Option(
        False, "--no-detach", help="Under ssh, run attached: a dropped connection ends the app."
    ),
) -> None:
    """Start the TUI."""
    run_tui(detach=not no_detach)


def run_tui(
    *, login_email: str | None = None, login_note: str | None = None, detach: bool = False
) -> None:
    """Start the TUI on this terminal; without one (ssh -T, a pipe) refuse at once.

    With `detach`, under ssh the app runs in the account's dtach session instead
    (`privet_tui.cli.detach`): this process becomes a client of it and never returns."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail("privet-tui needs a terminal: connect with ssh -t, not with a command or a pipe")
    config = settings()  # a bad config is reported here, on the master's own terminal
    from privet_tui.cli import detach as detaching
    from privet_tui.logs import setup_logging

    setup_logging()
    if detach:
        detaching.enter_session()
    detaching.start_watch(config.master_access_token_expire_minutes)
    from privet_tui.tui.app import create_app
    from privet_tui.tui.hangup import log_thread_failures

    log_thread_failures()
    app = create_app(config, login_email=login_email, login_note=login_note)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)
