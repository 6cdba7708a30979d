"""The period report equals what plain SQL over the tables says (issue 13, item 2)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from privet_tui.db.engine import Database
from privet_tui.errors import ValidationError
from privet_tui.services.reports import period_report
from tests.integration.test_cli import run

MOSCOW = ZoneInfo("Europe/Moscow")


def _today() -> date:
    return datetime.now(MOSCOW).date()


def _paid_by_method(session: Session) -> dict[str, Decimal]:
    """Plain SQL, not the report's code: what was paid, by method."""
    rows = session.execute(
        text(
            "SELECT payment_method, sum(payment_amount) FROM master_contracts "
            "WHERE paid_at IS NOT NULL GROUP BY payment_method"
        )
    )
    return {method: amount for method, amount in rows}


def test_demo_day_equals_sql(demo_db: Database) -> None:
    day = _today()
    with demo_db.reading() as s:
        report = period_report(s, start=day - timedelta(days=1), end=day, zone=MOSCOW)
        paid = _paid_by_method(s)
        by_status = dict(
            s.execute(text("SELECT status, count(*) FROM master_clients GROUP BY status")).all()
        )
        signed = s.scalar(text("SELECT count(*) FROM master_contracts WHERE signed_at IS NOT NULL"))
        claimed = s.scalar(text("SELECT count(*) FROM master_clients WHERE claimed_at IS NOT NULL"))
        median = s.scalar(
            text(
                "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY finished_at - claimed_at) "
                "FROM master_clients WHERE status = 'processed'"
            )
        )
    total = report.total
    assert total.paid_by_method == paid
    assert total.paid_total == sum(paid.values()) > Decimal(0)
    assert total.processed == by_status["processed"] == 2
    assert total.cancelled == by_status["cancelled"]
    assert total.signed == signed
    assert total.claimed == claimed
    assert total.median_to_processed == median
    assert sum(n for _, n in report.processed_per_day) == total.processed
    assert [d for d, _ in report.processed_per_day] == [day - timedelta(days=1), day]
    assert sum(m.processed for m in report.masters) == total.processed
    assert {m.email for m in report.masters if m.processed} <= {
        m.email for m in report.masters if m.claimed
    }
    # One master sees only their own figures.
    busiest = max(report.masters, key=lambda m: m.processed)
    assert busiest.master_id is not None
    with demo_db.reading() as s:
        mine = period_report(
            s, start=day - timedelta(days=1), end=day, zone=MOSCOW, master_id=busiest.master_id
        )
    assert [m.email for m in mine.masters] == [busiest.email]
    assert mine.total.processed == busiest.processed
    assert mine.total.paid_by_method == busiest.paid_by_method


def test_a_period_with_nothing_in_it_is_zeros(db: Database) -> None:
    with db.reading() as s:
        report = period_report(s, start=date(2020, 1, 1), end=date(2020, 1, 3), zone=MOSCOW)
    assert report.masters == ()
    assert report.total.processed == 0
    assert report.total.median_to_processed is None
    assert report.processed_per_day == tuple((date(2020, 1, d), 0) for d in (1, 2, 3))


def test_a_backwards_or_overlong_period_is_refused(db: Database) -> None:
    with db.reading() as s:
        with pytest.raises(ValidationError, match="раньше"):
            period_report(s, start=date(2026, 2, 2), end=date(2026, 2, 1), zone=MOSCOW)
        with pytest.raises(ValidationError, match="длиннее"):
            period_report(s, start=date(2024, 1, 1), end=date(2025, 12, 31), zone=MOSCOW)


def _cli_env(db_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": db_url,
        "PRIVET_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "SECRET_KEY": "report-test-secret-key-0123456789",
    }


def test_report_csv_equals_sql_on_the_demo(
    demo_db_url: str, demo_db: Database, tmp_path: Path
) -> None:
    day = _today()
    env = _cli_env(demo_db_url, tmp_path)
    since = f"{day - timedelta(days=1):%d.%m.%Y}"
    done = run("report", "--from", since, "--to", day.isoformat(), "--csv", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("\ufeffmaster,email,claimed")
    rows = list(csv.DictReader(io.StringIO(done.stdout.removeprefix("\ufeff"))))
    total = rows[-1]
    assert total["master"] == "Итого"
    with demo_db.reading() as s:
        paid = _paid_by_method(s)
        processed = s.scalar(text("SELECT count(*) FROM master_clients WHERE status='processed'"))
    assert {
        k.removeprefix("paid_"): Decimal(v)
        for k, v in total.items()
        if k.startswith("paid_") and k != "paid_total" and Decimal(v)
    } == paid
    assert Decimal(total["paid_total"]) == sum(paid.values())
    # Every payment method is a column, paid or not (a spreadsheet's columns stay put).
    assert {"paid_cash", "paid_card", "paid_transfer"} <= set(total)
    assert int(total["processed"]) == processed
    assert sum(int(r["processed"]) for r in rows[:-1]) == processed
    table = run("report", env=env)
    assert table.returncode == 0, table.stderr
    assert "Итого" in table.stdout
    assert "processed per day:" in table.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--from", "31.02.2026"), "expected a date"),
        (("--from", "2026-03-02", "--to", "2026-03-01"), "--to is before --from"),
        (("--from", "2024-01-01", "--to", "2026-01-01"), "longer than 366 days"),
        (("--master", "nobody@example.com"), "no master account"),
    ],
)
def test_report_bad_input_is_one_english_line(
    db_url: str, tmp_path: Path, args: tuple[str, ...], expected: str
) -> None:
    done = run("report", *args, env=_cli_env(db_url, tmp_path))
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert expected in lines[0]
