"""`privet-tui report`: clients claimed, signed, paid, processed and cancelled per master.

Days are whole local days of the business time zone (`TIME_ZONE`); both ends are included.
The table is for reading; `--csv` gives the same figures for a spreadsheet (comma-separated,
UTF-8 with a byte-order mark so Excel reads the Cyrillic names; amounts with a dot). It speaks
English throughout, its errors included.
"""

from __future__ import annotations

import csv
import io
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal

import typer

from privet_tui.cli.common import fail, gateway, settings
from privet_tui.errors import DatabaseError


def _day(raw: str | None, option: str, default: date) -> date:
    if raw is None:
        return default
    for form in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(raw.strip(), form).date()
        except ValueError:
            continue
    raise typer.BadParameter(
        f"expected a date like 2026-11-30 or 30.11.2026, got {raw!r}", param_hint=option
    )


def _hours(value: timedelta | None) -> str:
    return "" if value is None else f"{value.total_seconds() / 3600:.1f}"


def report(
    start: str | None = typer.Option(None, "--from", help="First day (default: today)."),
    end: str | None = typer.Option(None, "--to", help="Last day, included (default: --from)."),
    master: str | None = typer.Option(None, "--master", help="Only this master (email)."),
    as_csv: bool = typer.Option(False, "--csv", help="CSV for a spreadsheet instead of a table."),
) -> None:
    """Print the period's figures per master and in total."""
    from privet_tui.services.accounts import find_master
    from privet_tui.services.reports import MAX_DAYS, period_report
    from privet_tui.services.rules.catalog import PAYMENT_METHODS

    config = settings()
    today = datetime.now(config.zone).date()
    first = _day(start, "--from", today)
    last = _day(end, "--to", first)
    if last < first:
        fail("--to is before --from", code=2)
    if (last - first).days + 1 > MAX_DAYS:
        fail(f"the period is longer than {MAX_DAYS} days", code=2)
    door = gateway()
    try:
        master_id = None
        if master is not None:
            found = door.read(find_master, master)
            if found is None:
                fail(f"no master account {master!r} (see: privet-tui master list)")
            master_id = found.id
        figures = door.read(
            lambda s: period_report(s, start=first, end=last, zone=config.zone, master_id=master_id)
        )
    except DatabaseError:  # its message is a master's (Russian): this command speaks English
        fail("the database connection was lost; try again")
    rows = [*figures.masters, figures.total]
    # Every method a column, paid or not: a spreadsheet's columns stay put from one run to the next.
    methods = sorted(set(PAYMENT_METHODS) | set(figures.total.paid_by_method))
    if as_csv:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(
            ["master", "email", "claimed", "signed", "paid", "processed", "cancelled"]
            + [f"paid_{m}" for m in methods]
            + ["paid_total", "median_hours_to_processed"]
        )
        for r in rows:
            writer.writerow(
                [r.name, r.email, r.claimed, r.signed, r.paid, r.processed, r.cancelled]
                + [str(r.paid_by_method.get(m, Decimal("0.00"))) for m in methods]
                + [str(r.paid_total), _hours(r.median_to_processed)]
            )
        sys.stdout.buffer.write(out.getvalue().encode("utf-8-sig"))
        return
    typer.echo(f"{first:%Y-%m-%d} .. {last:%Y-%m-%d} ({figures.zone})")
    header = f"{'master':<28} {'claimed':>7} {'signed':>6} {'paid':>5} {'done':>5} {'cancel':>6}"
    typer.echo(header + f" {'paid, RUB':>12} {'median h':>8}")
    for r in rows:
        name = (r.name if len(r.name) <= 28 else r.name[:27] + "…").ljust(28)
        typer.echo(
            f"{name} {r.claimed:>7} {r.signed:>6} {r.paid:>5} {r.processed:>5} {r.cancelled:>6}"
            f" {r.paid_total:>12} {_hours(r.median_to_processed):>8}"
        )
    for method in methods:
        typer.echo(f"  paid by {method}: {figures.total.paid_by_method.get(method, 0):.2f} RUB")
    per_day = " ".join(str(n) for _, n in figures.processed_per_day)
    typer.echo(f"processed per day: {per_day}")
