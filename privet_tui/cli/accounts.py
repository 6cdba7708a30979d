"""`privet-tui master add|list|disable|enable|passwd|unlock`.

Passwords never come from the command line: they are typed twice at a prompt, or read
from standard input with `--password-stdin`.
"""

from __future__ import annotations

import getpass
import sys

import typer

from privet_tui.cli.common import fail, gateway

app = typer.Typer(no_args_is_help=True)


def read_password(from_stdin: bool) -> str:
    """One line from stdin, or typed twice at a terminal."""
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        fail("no terminal to ask for the password: use --password-stdin")
    first = getpass.getpass("Password: ")
    second = getpass.getpass("Repeat password: ")
    if first != second:
        fail("the passwords do not match")
    return first


@app.command()
def add(
    email: str = typer.Argument(..., help="Login email (unique, any letter case)."),
    name: str = typer.Option(..., "--name", help="Full name shown to other masters."),
    admin: bool = typer.Option(False, "--admin", help="Administrator (can reassign)."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password."),
) -> None:
    """Add a master account."""
    from privet_tui.services import accounts

    accounts.check_password_rules(password := read_password(password_stdin))
    info = gateway().call(
        accounts.create_master, email, name, password, role="admin" if admin else "master"
    )
    typer.echo(f"added {info.role} {info.email} ({info.name})")


@app.command("list")
def list_() -> None:
    """List accounts with their state."""
    from privet_tui.services import accounts

    door = gateway()
    rows = door.read(accounts.list_masters)
    zone = door.settings.zone  # the business zone, as on the screens and documents
    for m in rows:
        state = "active" if m.is_active else "disabled"
        if m.locked_until is not None:
            state += f", locked until {m.locked_until.astimezone(zone):%Y-%m-%d %H:%M}"
        last = f"{m.last_login_at.astimezone(zone):%Y-%m-%d %H:%M}" if m.last_login_at else "never"
        typer.echo(f"{m.id:>4}  {m.email:<32} {m.role:<6} {state:<10} last login {last}  {m.name}")
    if not rows:
        typer.echo("no masters yet: privet-tui master add EMAIL --name NAME")


@app.command()
def disable(email: str) -> None:
    """Disable an account (it can no longer log in)."""
    _set_active(email, False)


@app.command()
def enable(email: str) -> None:
    """Enable a disabled account."""
    _set_active(email, True)


def _set_active(email: str, active: bool) -> None:
    from privet_tui.services import accounts

    info = gateway().call(accounts.set_active, email, active)
    typer.echo(f"{info.email} {'enabled' if active else 'disabled'}")


@app.command()
def passwd(
    email: str,
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password."),
) -> None:
    """Set a new password (also clears a lockout)."""
    from privet_tui.services import accounts

    accounts.check_password_rules(password := read_password(password_stdin))
    info = gateway().call(accounts.set_password, email, password)
    typer.echo(f"password of {info.email} changed")


@app.command()
def unlock(email: str) -> None:
    """Clear a lockout after failed logins."""
    from privet_tui.services import accounts

    info = gateway().call(accounts.unlock, email)
    typer.echo(f"{info.email} unlocked")
