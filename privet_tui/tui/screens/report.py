"""The report screen: the period's numbers per master and in total, and a sparkline of the
clients processed each day — everyone's for an administrator, a master's own otherwise."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Label, Sparkline, Static

from privet_tui.services.rules.catalog import payment_method_label
from privet_tui.tui import texts
from privet_tui.tui.screens.base import PrivetScreen
from privet_tui.tui.widgets.footer import PrivetFooter

if TYPE_CHECKING:
    from privet_tui.services.reports import MasterFigures, PeriodReport

__all__ = ["ReportScreen"]

#: Days each period key covers, today included.
PERIODS = {"day": 1, "week": 7, "month": 30}


def _money(amount: Decimal) -> str:
    """«12 345,00» with a no-break thousands space (the table never wraps a cell)."""
    return f"{amount:,.2f}".replace(",", "\u00a0").replace(".", ",")


def _hours(figures: MasterFigures) -> str:
    median = figures.median_to_processed
    if median is None:
        return "—"
    hours = f"{median.total_seconds() / 3600:.1f}".replace(".", ",")
    return texts.REPORT_HOURS.format(hours=hours)


def _period(first: date, last: date) -> str:
    if first == last:
        return f"{last:%d.%m.%Y}"
    return f"{first:%d.%m}–{last:%d.%m.%Y}"


class ReportScreen(PrivetScreen[None]):
    """Figures for today, 7 or 30 days ending today (in the business zone)."""

    CSS_PATH = "report.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,b,и", "app.pop_screen", texts.KEY_BACK, id="report.back", key_display="Esc/b"
        ),
        Binding("1", "period('day')", texts.KEY_DAY, id="report.day", tooltip=texts.KEY_PERIOD_TIP),
        Binding(
            "2", "period('week')", texts.KEY_WEEK, id="report.week", tooltip=texts.KEY_PERIOD_TIP
        ),
        Binding(
            "3", "period('month')", texts.KEY_MONTH, id="report.month", tooltip=texts.KEY_PERIOD_TIP
        ),
    ]
    #: The footer's keys on a narrow terminal (widgets/footer.py).
    COMPACT_FOOTER: ClassVar[frozenset[str]] = frozenset(
        {"app.pop_screen", "period('day')", "period('week')", "period('month')"}
    )

    class Loaded(Message):
        def __init__(self, report: PeriodReport) -> None:
            super().__init__()
            self.report = report

    def __init__(self, *, today: date | None = None, days: int = 1) -> None:
        super().__init__()
        self._today = today
        self._days = days

    def compose(self) -> ComposeResult:
        yield Label(texts.REPORT_LOADING, id="report-title")
        yield Label("", id="report-per-day")
        yield Sparkline([], id="report-sparkline")
        yield DataTable(id="report-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="report-paid", markup=False)
        yield PrivetFooter()

    def on_mount(self) -> None:
        table = self.query_one("#report-table", DataTable)
        for label in texts.REPORT_COLUMNS:
            table.add_column(label)
        self.load()

    def today(self) -> date:
        return self._today or datetime.now(self.privet.gateway.settings.zone).date()

    def action_period(self, name: str) -> None:
        self._days = PERIODS[name]
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="report")
    def load(self) -> None:
        actor = self.privet.actor
        if actor is None:
            return
        last = self.today()
        first = last - timedelta(days=self._days - 1)
        self.post_message(self.Loaded(self.privet.gateway.period_report(actor, first, last)))

    def on_report_screen_loaded(self, message: Loaded) -> None:
        report = message.report
        admin = self.privet.actor is not None and self.privet.actor.is_admin
        scope = texts.REPORT_SCOPE_ALL if admin else texts.REPORT_SCOPE_OWN
        period = _period(report.start, report.end)
        self.query_one("#report-title", Label).update(
            f"{texts.REPORT_TITLE.format(period=period)} · {scope}"
        )
        counts = [n for _, n in report.processed_per_day]
        self.query_one("#report-per-day", Label).update(
            texts.REPORT_PER_DAY.format(
                first=f"{report.start:%d.%m}",
                last=f"{report.end:%d.%m}",
                total=sum(counts),
                peak=max(counts, default=0),
            )
        )
        self.query_one("#report-sparkline", Sparkline).data = [float(n) for n in counts]
        table = self.query_one("#report-table", DataTable)
        table.clear()
        for figures in (*report.masters, report.total):
            numbers = (
                figures.claimed,
                figures.signed,
                figures.paid,
                figures.processed,
                figures.cancelled,
            )
            table.add_row(
                Text(figures.name),  # typed by people: never markup
                *(Text(str(n), justify="right") for n in numbers),
                Text(_money(figures.paid_total), justify="right"),
                Text(_hours(figures), justify="right"),
            )
        paid = report.total.paid_by_method
        methods = ", ".join(
            f"{payment_method_label(m).lower()} {_money(a)} ₽" for m, a in paid.items()
        )
        self.query_one("#report-paid", Static).update(
            texts.REPORT_PAID_BY.format(methods=methods) if paid else texts.REPORT_NO_PAYMENTS
        )
