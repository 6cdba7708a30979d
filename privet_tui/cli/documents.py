"""`privet-tui documents get NUMBER [-o FILE]` and `privet-tui documents verify FILE`.

`get` writes the stored PDF of a contract (the sealed signed copy once signed, else the
draft) or an invoice: to FILE with `-o FILE`, to stdout with `-o -` or when stdout is not a
terminal (a pipe, a redirection), else to `NUMBER.pdf` in the current directory (never over an
existing file) — binary never reaches a terminal. A stored copy that no longer matches the
SHA-256 recorded when it was made is refused. `verify` exits 0 when the PDF's seal holds
over every byte, 1 when it is not sealed, changed or unreadable. Both speak English
throughout, a failure of the database included.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import typer

from privet_tui.cli.common import fail, gateway, settings
from privet_tui.errors import DatabaseError, PrivetError, StorageError
from privet_tui.storage.base import ObjectNotFoundError

app = typer.Typer(no_args_is_help=True)


@app.command()
def get(
    number: str = typer.Argument(..., help="Contract (ПМ-…) or invoice (СЧ-…) number."),
    output: str | None = typer.Option(
        None, "-o", "--output", help="File to write, or - for stdout (refused on a terminal)."
    ),
) -> None:
    """Write a contract's or invoice's PDF from the object store."""
    to_stdout = output == "-" or (output is None and not sys.stdout.isatty())
    if output == "-" and sys.stdout.isatty():
        fail("refusing to write a PDF to a terminal: redirect stdout, or use -o FILE")
    from privet_tui.services.document_lookup import find_document, normalize_number

    door = gateway()
    try:
        document = door.read(find_document, number)
    except DatabaseError:  # its message is a master's (Russian): this command speaks English
        fail("the database connection was lost; try again")
    if document is None:
        fail(f"no contract or invoice is numbered {normalize_number(number)!r}")
    try:
        data = door.store.get(document.key)
    except ObjectNotFoundError:
        fail(f"the PDF of {document.number} is missing from the store ({document.key})")
    except StorageError as exc:
        fail(f"cannot read {document.key} from the store ({exc.__class__.__name__})")
    if hashlib.sha256(data).hexdigest() != document.sha256:
        fail(
            f"the stored PDF of {document.number} ({document.key}) does not match the SHA-256 "
            "recorded when it was made: the stored copy was changed"
        )
    what = (
        f"sealed {document.kind} ({document.status})"
        if document.sealed
        else f"contract draft ({document.status}), not sealed"
    )
    if to_stdout:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = Path(output) if output is not None else Path.cwd() / f"{document.number}.pdf"
    try:
        if output is None:
            with target.open("xb") as handle:  # never over a file the operator did not name
                handle.write(data)
        else:
            target.write_bytes(data)
    except FileExistsError:
        fail(f"{target} already exists: name another with -o FILE")
    except OSError as exc:
        fail(f"cannot write {target}: {exc.strerror or exc}")
    typer.echo(f"{document.number}: {what}, {len(data)} bytes written to {target}", err=True)


@app.command()
def verify(file: Path = typer.Argument(..., help="A PDF file.")) -> None:
    """Say whether the PDF's seal holds and who sealed it; exit 0 intact, 1 otherwise."""
    from privet_tui.pdf.seal import verify_pdf

    try:
        data = file.read_bytes()
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror or exc}")
    ours = _installation_fingerprint()
    check = verify_pdf(data, known=[ours] if ours else [])
    if not check.intact:
        who = f" (sealed by {check.signer})" if check.signer else ""
        typer.echo(f"NOT INTACT: {file}: {check.problem}{who}")
        raise SystemExit(1)
    zone = settings().zone
    when = (
        f"{check.signed_at.astimezone(zone):%Y-%m-%d %H:%M:%S %z} ({zone.key})"
        if check.signed_at
        else "an unknown time"
    )
    typer.echo(f"intact: {file}")
    typer.echo(f"sealed by:   {check.signer}, at {when}")
    if check.reason:
        typer.echo(f"reason:      {check.reason}")
    typer.echo(f"certificate: SHA-256 {check.fingerprint}")
    if ours is None:
        typer.echo("seal:        this installation has no usable seal to compare with")
    elif check.known_signer:
        typer.echo("seal:        this installation's seal")
    else:
        typer.echo("seal:        NOT this installation's seal (another certificate)")


def _installation_fingerprint() -> str | None:
    """This installation's seal certificate fingerprint, or None (no config, no seal)."""
    from privet_tui.seal_files import load_company_seal

    try:
        return load_company_seal(settings()).fingerprint
    except PrivetError:
        return None
