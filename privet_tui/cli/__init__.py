"""The one entry point, `privet-tui`: the TUI by default, plus operator commands.

Errors are one clear line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import signal
import sys

import typer

try:  # Typer ≥ 0.20 vendors Click
    from typer._click import exceptions as click
except ImportError:  # pragma: no cover - older Typer on plain Click
    from click import exceptions as click  # type: ignore[no-redef]

from privet_tui.cli.common import fail
from privet_tui.errors import PrivetError

app = typer.Typer(
    name="privet-tui",
    help="Privet master terminal: client onboarding from application to invoice.",
    invoke_without_command=True,
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    ctx: typer.Context,
    no_detach: bool = typer.Option(
        False, "--no-detach", help="Under ssh, run attached: a dropped connection ends the app."
    ),
) -> None:
    """Without a command, start the TUI."""
    if ctx.invoked_subcommand is None:
        from privet_tui.cli.run import run_tui

        run_tui(detach=not no_detach)


def _register() -> None:
    from privet_tui.cli import (
        accounts,
        clients,
        db,
        demo,
        doctor,
        documents,
        photos,
        report,
        run,
        seal,
        support,
        tariffs,
    )

    app.command("run", help="Start the TUI (the default).")(run.run)
    app.command("demo", help="Embedded database + demo data, then the TUI.")(demo.demo)
    app.command("doctor", help="Check config, database, storage, fonts and seal.")(doctor.doctor)
    app.command("client-view", help="Print a client's support ticket as the app shows it.")(
        support.client_view
    )
    app.add_typer(db.app, name="db", help="Database migrations (Alembic).")
    app.add_typer(accounts.app, name="master", help="Master accounts.")
    app.add_typer(tariffs.app, name="tariffs", help="Tariff plans.")
    app.add_typer(clients.app, name="clients", help="Клиенты: поиск, передача, возврат, отмена.")
    app.add_typer(photos.app, name="photos", help="Device photos in batch.")
    app.command("gc", help="Remove orphaned objects from the store.")(photos.gc)
    app.command("report", help="Clients and payments per master for a period.")(report.report)
    app.add_typer(seal.app, name="seal", help="The company seal on contracts and invoices.")
    app.add_typer(documents.app, name="documents", help="Contract and invoice PDFs by number.")


_register()


def _hangup(signum: int, frame: object) -> None:
    """A dropped ssh session: exit normally so cleanup (embedded server handles) runs."""
    raise SystemExit(129)


def main() -> None:
    """Console script: run the Typer app with one-line errors."""
    signal.signal(signal.SIGHUP, _hangup)
    signal.signal(signal.SIGTERM, _hangup)
    try:
        app(standalone_mode=False)
    except PrivetError as exc:
        fail(exc.message)
    except click.NoArgsIsHelpError as exc:
        sys.stderr.write(exc.format_message() + "\n")
        raise SystemExit(2) from None
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "privet-tui"
        fail(f"{exc.format_message()} (see: {command} --help)", code=2)
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except typer.Abort:
        fail("aborted", code=1)
    except click.ClickException as exc:
        fail(exc.format_message(), code=exc.exit_code)
    except KeyboardInterrupt:
        fail("interrupted", code=130)
    except Exception as exc:  # the last net: one line here, the traceback in the log
        import logging

        from privet_tui.logs import setup_logging

        setup_logging()
        logging.getLogger("privet_tui.cli").exception("unexpected error")
        first = (str(exc).strip().splitlines() or [""])[0]
        fail(f"unexpected error: {exc.__class__.__name__}: {first} (details in the log)")
