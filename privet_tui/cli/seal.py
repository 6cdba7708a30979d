"""`privet-tui seal init [--force] [--days N]` and `privet-tui seal show`: the company seal
that signs contracts and invoices (see `privet_tui.seal_files` for which seal is used)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import typer

from privet_tui.cli.common import fail, settings
from privet_tui.pdf.seal import CompanySeal, SealError
from privet_tui.seal_files import (
    DEFAULT_DAYS,
    create_self_signed_seal,
    load_company_seal,
    seal_files,
)

app = typer.Typer(no_args_is_help=True)


@app.command()
def init(
    force: bool = typer.Option(False, "--force", help="Replace an existing self-signed seal."),
    days: int = typer.Option(DEFAULT_DAYS, "--days", min=1, help="Days the certificate is valid."),
    folder: Path | None = typer.Option(
        None, "--dir", help="Write into this folder (for SEAL_CERT_FILE/SEAL_KEY_FILE) instead."
    ),
) -> None:
    """Make a self-signed seal in the data dir (key 0600), naming the configured company."""
    cfg = settings()
    try:
        files = create_self_signed_seal(cfg, force=force, days=days, folder=folder)
        seal = load_company_seal(
            replace(cfg, seal_cert_file=files.certificate, seal_key_file=files.key)
        )
    except SealError as exc:
        fail(exc.detail)
    typer.echo(f"seal created: {files.certificate} and {files.key} (0600)")
    _describe(seal)
    if folder is not None:
        typer.echo(f"use it: SEAL_CERT_FILE={files.certificate} SEAL_KEY_FILE={files.key}")


@app.command()
def show() -> None:
    """Say which seal signs documents, whose it is and until when; exit 1 when unusable."""
    cfg = settings()
    try:
        files = seal_files(cfg)
        seal = load_company_seal(cfg)
    except SealError as exc:
        fail(exc.detail)
    assert files is not None
    origin = "SEAL_CERT_FILE/SEAL_KEY_FILE" if files.configured else "self-signed, data dir"
    typer.echo(f"certificate: {files.certificate} ({origin})")
    typer.echo(f"key:         {files.key}")
    _describe(seal)


def _describe(seal: CompanySeal) -> None:
    typer.echo(f"sealed by:   {seal.subject}")
    typer.echo(f"valid:       {seal.not_before:%Y-%m-%d} to {seal.not_after:%Y-%m-%d} (UTC)")
    typer.echo(f"fingerprint: SHA-256 {seal.fingerprint}")
