"""`privet-tui tariffs list|import FILE`."""

from __future__ import annotations

from pathlib import Path

import typer

from privet_tui.cli.common import gateway

app = typer.Typer(no_args_is_help=True)


@app.command("list")
def list_(all_: bool = typer.Option(False, "--all", help="Include inactive plans.")) -> None:
    """List tariff plans."""
    from privet_tui.services.rules.pricing import format_money
    from privet_tui.services.steps import tariff

    plans = gateway().read(tariff.list_tariffs, active_only=not all_)
    for row in plans:
        p = row.plan
        state = "" if p.active else "  (inactive)"
        typer.echo(
            f"{p.code:<12} {p.name:<20} {format_money(p.monthly_fee):>14}/мес  "
            f"включено {p.included_devices}, доп. {format_money(p.extra_device_fee)}, "
            f"подключение {format_money(p.activation_fee)}{state}"
        )
    if not plans:
        typer.echo("no tariffs: privet-tui tariffs import FILE")


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="TOML ([[tariff]] tables) or CSV file."),
) -> None:
    """Create or update plans by code from a file (all or nothing)."""
    from privet_tui.services.rules.tariff_files import parse_tariffs_file
    from privet_tui.services.steps import tariff

    plans = parse_tariffs_file(file)
    created, updated = gateway().call(tariff.import_tariffs, plans)
    typer.echo(f"{file}: {created} created, {updated} updated")
