"""`privet-tui demo [--seed-only] [--reset]`: a working app for a newcomer in one command."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from privet_tui.cli.common import fail, settings

if TYPE_CHECKING:
    from privet_tui.config import Settings
    from privet_tui.db.engine import Database


def demo(
    seed_only: bool = typer.Option(False, "--seed-only", help="Prepare the data and exit."),
    reset: bool = typer.Option(False, "--reset", help="Wipe the embedded demo data first."),
) -> None:
    """Embedded PostgreSQL + local store + demo clients in every state, then the TUI."""
    from privet_tui.db.engine import open_migration_database
    from privet_tui.demo.seed import seed_demo

    cfg = settings()
    if reset:
        if cfg.database_url:
            fail("--reset works only on the embedded database (DATABASE_URL is set)")
        _reset_embedded(cfg.data_dir)
    from privet_tui.seal_files import ensure_seal

    ensure_seal(cfg)  # a demo seeded before seals existed gets one too: signing needs it
    db = open_migration_database(cfg)  # migrates and seeds: past a pooler when configured
    try:
        result = seed_demo(db, extra=lambda d: _seed_states(d, cfg))
    finally:
        db.dispose()
    where = "embedded database in " + str(cfg.data_dir) if not cfg.database_url else db.url
    verb = "seeded" if result.seeded else "already seeded"
    typer.echo(f"demo data {verb}: {result.users} clients, {where}")
    typer.echo(
        f"log in as {result.master_email} (a master) or {result.admin_email} (an administrator)"
        f" with password {result.master_password}"
    )
    if not seed_only:
        from privet_tui.cli.run import run_tui

        note = (
            f"Демо: мастер {result.master_email}, администратор {result.admin_email};"
            f" пароль {result.master_password}"
        )
        run_tui(login_email=result.master_email, login_note=note)


def _seed_states(db: Database, cfg: Settings) -> None:
    """Walk the demo applicants through the steps (imported only when seeding: it brings in
    the PDF renderer, which a rerun of an already seeded demo does not need)."""
    from privet_tui.demo.states import seed_states

    seed_states(db, cfg)


def _reset_embedded(data_dir: Path) -> None:
    import psycopg

    from privet_tui.db import embedded

    admin = embedded.admin_url(data_dir / "pg").replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{embedded.DATABASE_NAME}" WITH (FORCE)')
    shutil.rmtree(data_dir / "objects", ignore_errors=True)
    typer.echo("embedded demo data removed")
