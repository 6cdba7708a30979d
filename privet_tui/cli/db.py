"""`privet-tui db upgrade|downgrade|current|check`: Alembic through the app's settings."""

from __future__ import annotations

import typer

from privet_tui.cli.common import database

app = typer.Typer(no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply migrations (the legacy users/devices tables are never touched)."""
    from privet_tui.db import migrate

    db = database(migrated=False, schema=True)
    migrate.upgrade(db, revision)
    typer.echo(f"database {db.url} at {migrate.current_revision(db)}")


@app.command()
def downgrade(revision: str = typer.Argument(..., help="Target revision, or 'base'.")) -> None:
    """Revert migrations; `base` removes everything this project created."""
    from privet_tui.db import migrate

    db = database(migrated=False, schema=True)
    migrate.downgrade(db, revision)
    typer.echo(f"database {db.url} at {migrate.current_revision(db) or 'base'}")


@app.command()
def current() -> None:
    """Print the current and the head revision."""
    from privet_tui.db import migrate

    db = database(migrated=False, schema=True)
    cur = migrate.current_revision(db) or "base"
    head = migrate.head_revision(db)
    state = "up to date" if cur == head else f"head is {head}: run privet-tui db upgrade"
    typer.echo(f"{cur} ({state})")


@app.command()
def check() -> None:
    """Exit 1 when the database schema and the models differ."""
    from privet_tui.db import migrate

    db = database(migrated=True)
    migrate.check(db)
    typer.echo("no drift between the models and the database")
