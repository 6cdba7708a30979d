"""`privet-tui photos add CLIENT_ID DEVICE_ID FILE...` and `privet-tui gc`.

One language per command: `photos add` speaks Russian throughout (its reasons are the photo
pipeline's, the words a master reads on step 3, and the operator adds photos for a master);
`gc` is an operator's housekeeping and speaks English.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from privet_tui.cli.common import gateway
from privet_tui.errors import PrivetError

app = typer.Typer(no_args_is_help=True)


@app.command()
def add(
    client_id: int = typer.Argument(..., help="master_clients.id"),
    device_id: int = typer.Argument(..., help="master_devices.id of that client"),
    files: list[Path] = typer.Argument(..., help="Image files (JPEG, HEIC, PNG, …)."),
) -> None:
    """Prepare and attach photos; exit 1 if any file failed (the good ones stay saved)."""
    from privet_tui.services.steps.device_photos import PhotoOutcome

    width = len(str(len(files)))

    def progress(done: int, total: int, outcome: PhotoOutcome) -> None:
        bar = "#" * (20 * done // total)
        status = (
            f"принят, {outcome.photo.width}x{outcome.photo.height}"
            if outcome.photo
            else f"не принят: {outcome.error}"
        )
        typer.echo(f"[{bar:<20}] {done:>{width}}/{total} {outcome.path}: {status}")

    door = gateway()
    try:
        outcomes = door.attach_photos(None, client_id, device_id, files, on_progress=progress)
    except PrivetError as exc:  # the client or device, as a master would be told
        sys.stderr.write(f"privet-tui: ошибка: {exc.message}\n")
        raise SystemExit(1) from None
    failed = sum(1 for o in outcomes if not o.ok)
    typer.echo(f"Сохранено: {len(outcomes) - failed}, не принято: {failed}")
    if failed:
        sys.exit(1)


def gc(
    dry_run: bool = typer.Option(False, "--dry-run", help="Only list what would go."),
    grace_minutes: int = typer.Option(60, "--grace-minutes", min=0, help="Keep younger objects."),
) -> None:
    """Remove objects that no row references and that are older than the grace period."""
    from datetime import timedelta

    from privet_tui.services.orphans import collect_garbage

    door = gateway()
    orphans = door.read(
        collect_garbage, door.store, grace=timedelta(minutes=grace_minutes), dry_run=dry_run
    )
    for key in orphans:
        typer.echo(("would remove " if dry_run else "removed ") + key)
    typer.echo(f"{len(orphans)} orphaned object(s) {'found' if dry_run else 'removed'}")
