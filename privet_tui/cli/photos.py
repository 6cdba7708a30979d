"""`privet-tui photos add CLIENT_ID DEVICE_ID FILE...`, `privet-tui photos link CLIENT_ID
DEVICE_ID [--wait SECONDS]` and `privet-tui gc`.

One language per command: `photos add` and `photos link` speak Russian throughout (their
reasons are the photo pipeline's, the words a master reads on step 3, and the operator adds
photos for a master); `gc` is an operator's housekeeping and speaks English.
"""

from __future__ import annotations

import sys
import time
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


@app.command()
def link(
    client_id: int = typer.Argument(..., help="master_clients.id"),
    device_id: int = typer.Argument(..., help="master_devices.id of that client"),
    wait: int = typer.Option(
        0, "--wait", min=0, help="Attach uploads as they arrive for this many seconds."
    ),
) -> None:
    """Print an upload link for a phone (first line; its QR code follows on a terminal); with
    --wait attach what arrives, one line per file; exit 1 if any file was refused."""
    from privet_tui.qr_text import ansi_lines, qr_lines
    from privet_tui.services.phone_upload import UploadOutcome

    door = gateway()
    try:
        upload = door.phone_link(None, client_id, device_id)
    except PrivetError as exc:
        sys.stderr.write(f"privet-tui: ошибка: {exc.message}\n")
        raise SystemExit(1) from None
    typer.echo(upload.url)
    until = upload.expires_at.astimezone(door.settings.zone).strftime("%H:%M")
    if sys.stdout.isatty():
        typer.echo("\n".join(ansi_lines(qr_lines(upload.url))))
        typer.echo(f"Ссылка действует до {until}")
    if not wait:
        return
    failed = 0

    def show(outcome: UploadOutcome) -> None:
        nonlocal failed
        if outcome.photo is not None:
            size = f"{outcome.photo.width}x{outcome.photo.height}, {outcome.photo.bytes // 1024} КБ"
            typer.echo(f"{outcome.name}: принято, {size}")
        else:
            failed += 1
            typer.echo(f"{outcome.name}: не принято: {outcome.reason}")

    deadline = time.monotonic() + wait
    store_down = False
    try:
        while True:
            try:
                door.collect_phone_photos(None, client_id, device_id, on_outcome=show)
                store_down = False
            except PrivetError as exc:  # S3 down: say it once, keep trying until the end
                if not store_down:
                    sys.stderr.write(f"privet-tui: ошибка: {exc.message}\n")
                store_down = True
            left = deadline - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(_POLL_SECONDS, left))
    except KeyboardInterrupt:
        pass
    if failed or store_down:
        sys.exit(1)


#: How often `photos link --wait` looks for new uploads (the issue's bound is 3 s).
_POLL_SECONDS = 2.0


def gc(
    dry_run: bool = typer.Option(False, "--dry-run", help="Only list what would go."),
    grace_minutes: int = typer.Option(60, "--grace-minutes", min=0, help="Keep younger objects."),
) -> None:
    """Remove objects that no row references and that are older than the grace period, and
    phone uploads and link forms older than a phone link's life (PHONE_LINK_MINUTES)."""
    from datetime import timedelta

    from privet_tui.services.orphans import collect_garbage

    door = gateway()
    orphans = door.read(
        collect_garbage,
        door.store,
        grace=timedelta(minutes=grace_minutes),
        dry_run=dry_run,
        phone_link_life=timedelta(minutes=door.settings.phone_link_minutes),
    )
    for key in orphans:
        typer.echo(("would remove " if dry_run else "removed ") + key)
    typer.echo(f"{len(orphans)} orphaned object(s) {'found' if dry_run else 'removed'}")
