"""Step 4 «Тариф»: pick an active plan; the itemised surcharge for the client's devices is
shown as the cursor moves, and applied (fixed for the client) with a key."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from privet_tui.services.rules.pricing import Quote, format_money
from privet_tui.services.steps.tariff import TariffRow
from privet_tui.tui import texts_steps as t
from privet_tui.tui.screens.steps.base import StepScreen

__all__ = ["TariffScreen", "quote_table"]


def quote_table(name: str, quote: Quote) -> RenderableType:
    """The itemised calculation as a table of literal text (labels are data, not markup)."""
    table = Table(box=None, pad_edge=False, expand=True, show_edge=False)
    table.add_column(t.TARIFF_COL_LINE, ratio=1, overflow="fold")
    table.add_column(t.TARIFF_COL_QTY, justify="right", width=4)
    table.add_column(t.TARIFF_COL_PRICE, justify="right", width=12)
    table.add_column(t.TARIFF_COL_AMOUNT, justify="right", width=12)
    for line in quote.lines:
        table.add_row(
            Text(line.label),
            Text(str(line.quantity)),
            Text(format_money(line.unit_price)),
            Text(format_money(line.amount)),
        )
    table.add_row(
        Text(t.TARIFF_TOTAL, style="bold"),
        None,
        None,
        Text(format_money(quote.total), style="bold"),
    )
    return Group(
        Text(t.TARIFF_CALC.format(name=name)),
        table,
        Text(t.TARIFF_MONTHLY.format(amount=format_money(quote.monthly_fee))),
    )


class TariffScreen(StepScreen[list[TariffRow]]):
    """Tariffs on the left of the calculation; Enter or Ctrl+S applies the highlighted one."""

    STEP = 4
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "apply",
            t.TARIFF_APPLY,
            id="tariff.apply",
            tooltip=t.TARIFF_APPLY_TIP,
            key_display="^s",
        ),
    ]

    class Quoted(Message):
        """The calculation for one plan arrived."""

        def __init__(self, tariff_id: int, quote: Quote) -> None:
            super().__init__()
            self.tariff_id = tariff_id
            self.quote = quote

    class Applied(Message):
        """The plan was fixed for the client (the reload brings the new version)."""

    #: The active plans in list order.
    tariffs: tuple[TariffRow, ...] = ()

    def compose_body(self) -> ComposeResult:
        yield Static(Text(t.TARIFF_CHOOSE), classes="step-info", markup=False)
        yield OptionList(id="tariff-options")
        yield Static("", id="tariff-description", markup=False)
        yield Static("", id="tariff-quote", classes="step-info")
        yield Static("", id="tariff-applied", classes="step-info", markup=False)
        with Horizontal(classes="step-buttons"):
            yield Button(t.TARIFF_APPLY_BUTTON, id="apply", variant="primary", compact=True)

    def fetch(self) -> list[TariffRow]:
        """The active plans."""
        return self.gateway.list_tariffs()

    def show_state(self, state: list[TariffRow]) -> None:
        card = self.card
        assert card is not None
        self.tariffs = tuple(state)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(
            Option(self._prompt(row, chosen=False), id=str(row.id)) for row in state
        )
        applied = card.tariff
        if applied is not None:
            self._show_applied(
                t.TARIFF_APPLIED.format(
                    name=applied.name,
                    total=format_money(applied.quote.total),
                    monthly=format_money(applied.quote.monthly_fee),
                )
            )
        else:
            self._show_applied(t.TARIFF_NOT_APPLIED if state else t.TARIFF_NONE)
        index = next(
            (i for i, row in enumerate(state) if applied and row.id == applied.tariff_id), 0
        )
        if state:
            options.highlighted = index
            self._quote(index)
        self.query_one("#apply", Button).disabled = not self.editable or not state
        if not self.editable:
            self.set_notice(self.read_only_reason())
            if applied is not None:
                self.query_one("#tariff-quote", Static).update(
                    quote_table(applied.name, applied.quote)
                )
        options.focus()
        self.refresh_bindings()

    @staticmethod
    def _prompt(row: TariffRow, *, chosen: bool) -> Text:
        """An option's line; the one under the cursor gets `>` so it is not told by colour."""
        name = t.TARIFF_OPTION.format(
            name=row.plan.name, monthly=format_money(row.plan.monthly_fee)
        )
        return Text(f"{'>' if chosen else ' '} {name}")

    def _show_applied(self, text: str) -> None:
        self.query_one("#tariff-applied", Static).update(Text(text))

    @property
    def highlighted(self) -> TariffRow | None:
        """The plan under the cursor."""
        index = self.query_one(OptionList).highlighted
        return self.tariffs[index] if index is not None and index < len(self.tariffs) else None

    # --- live calculation -------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#tariff-options")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._quote(event.option_index)

    def _quote(self, index: int) -> None:
        if not 0 <= index < len(self.tariffs):
            return
        options = self.query_one(OptionList)
        for position, each in enumerate(self.tariffs):
            options.replace_option_prompt_at_index(
                position, self._prompt(each, chosen=position == index)
            )
        if not self.editable:
            return
        row = self.tariffs[index]
        self.query_one("#tariff-description", Static).update(
            Text(
                f"{row.plan.description}\n"
                + t.TARIFF_INCLUDED.format(count=row.plan.included_devices)
            )
        )
        self.query_one("#tariff-quote", Static).update(Text(t.TARIFF_CALCULATING))
        self.calculate(row.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="tariff-quote")
    def calculate(self, tariff_id: int) -> None:
        """Ask the service what the plan costs for this client's devices."""
        self.post_message(
            self.Quoted(tariff_id, self.gateway.quote(self.actor, self.client_id, tariff_id))
        )

    @on(Quoted)
    def _quoted(self, message: Quoted) -> None:
        row = self.highlighted
        if row is None or row.id != message.tariff_id:
            return  # the cursor moved on before this calculation came back
        self.query_one("#tariff-quote", Static).update(quote_table(row.plan.name, message.quote))

    # --- applying ---------------------------------------------------------------------

    def allows(self, action: str) -> bool:
        """Applying needs an editable client and a plan under the cursor."""
        if action == "apply":
            return self.editable and bool(self.tariffs)
        return True

    @on(OptionList.OptionSelected, "#tariff-options")
    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        """Fix the highlighted plan's calculation for the client."""
        row = self.highlighted
        if not self.check_action("apply", ()) or row is None or self.version is None:
            return
        tariff_id, version = row.id, self.version
        self.unless_voiding(lambda: self.apply(tariff_id, version))

    @work(thread=True, exclusive=True, exit_on_error=False, group="step-save")
    def apply(self, tariff_id: int, version: int) -> None:
        """Fix the plan's calculation for the client."""
        self.gateway.apply_tariff(self.actor, self.client_id, version, tariff_id)
        self.post_message(self.Applied())

    @on(Applied)
    def _applied(self) -> None:
        self.saved(None, t.TARIFF_APPLIED_NOTE)
        self.reload()
