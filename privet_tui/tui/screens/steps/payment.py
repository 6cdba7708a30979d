"""Step 6 «Оплата»: method, amount (prefilled with the amount due), receipt number, and a
reason that is needed only when the amount differs."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Select, Static

from privet_tui.errors import PrivetError, ValidationError
from privet_tui.services.rules.catalog import PAYMENT_METHODS
from privet_tui.services.rules.pricing import format_money, money
from privet_tui.services.steps.contract import ContractState
from privet_tui.services.steps.payment import PaymentInfo, PaymentInput
from privet_tui.tui import texts_steps as t
from privet_tui.tui.screens.steps._form import FormField, clear_field_errors, input_value
from privet_tui.tui.screens.steps.base import StepScreen
from privet_tui.tui.widgets.confirm import ConfirmModal
from privet_tui.tui.widgets.select import RussianSelect

__all__ = ["PaymentScreen", "amount_text"]


def amount_text(amount: Decimal) -> str:
    """An amount as a master types it: `1490,00`."""
    return f"{money(amount):.2f}".replace(".", ",")


def parse_amount(text: str) -> Decimal | None:
    """The typed amount, or None when it is not a number yet."""
    try:
        return money(text, field="amount")
    except ValidationError:
        return None


class PaymentScreen(StepScreen[ContractState | None]):
    """The payment form of the signed contract; Ctrl+S confirms."""

    STEP = 6
    FORM_FIELDS = "#payment-form Input"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "confirm",
            t.PAYMENT_CONFIRM,
            id="payment.confirm",
            tooltip=t.PAYMENT_CONFIRM_TIP,
            key_display="^s",
        ),
    ]

    class Confirmed(Message):
        """The payment was recorded."""

        def __init__(self, info: PaymentInfo) -> None:
            super().__init__()
            self.info = info

    due: Decimal | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("", id="payment-due", classes="step-info", markup=False)
        with Vertical(id="payment-form"):
            methods: Select[str] = RussianSelect(
                [(label, code) for code, label in PAYMENT_METHODS.items()],
                prompt=t.PAYMENT_METHOD_PROMPT,
                compact=True,
            )
            yield FormField("payment_method", t.PAYMENT_METHOD, methods)
            yield FormField(
                "amount",
                t.PAYMENT_AMOUNT,
                Input(restrict=r"[0-9 ,.]*", max_length=16, compact=True, id="payment-amount"),
            )
            yield FormField(
                "receipt",
                t.PAYMENT_RECEIPT,
                Input(placeholder=t.PAYMENT_RECEIPT_PLACEHOLDER, max_length=100, compact=True),
            )
            yield FormField(
                "reason",
                t.PAYMENT_REASON,
                Input(placeholder=t.PAYMENT_REASON_PLACEHOLDER, max_length=500, compact=True),
            )
            yield Static("", id="payment-hint", classes="field-hint", markup=False)
            with Horizontal(classes="step-buttons"):
                yield Button(
                    t.PAYMENT_CONFIRM_BUTTON, id="confirm", variant="primary", compact=True
                )

    def fetch(self) -> ContractState | None:
        """The signed contract and its amount due."""
        return self.gateway.contract_state(self.actor, self.client_id)

    @property
    def payable(self) -> bool:
        """Whether a payment may be confirmed now."""
        return self.card is not None and self.card.status == "signed" and self.due is not None

    def show_state(self, state: ContractState | None) -> None:
        card = self.card
        assert card is not None
        done = card.status in ("paid", "processed")
        self.due = state.total_due if state is not None and not done else None
        due_line = self.query_one("#payment-due", Static)
        if done:
            due_line.update(Text(t.PAYMENT_DONE))
        elif state is not None:
            due_line.update(
                Text(
                    t.PAYMENT_DUE.format(number=state.number, amount=format_money(state.total_due))
                )
            )
        self.query_one("#payment-form").display = self.payable
        if self.payable and self.due is not None:
            clear_field_errors(self)
            self.query_one("#payment-amount", Input).value = amount_text(self.due)
            self.query_one(Select).focus()
        self.refresh_bindings()

    @on(Input.Changed, "#payment-amount")
    def _amount_changed(self, event: Input.Changed) -> None:
        typed = parse_amount(event.value)
        differs = self.due is not None and typed is not None and typed != self.due
        self.query_one("#payment-hint", Static).update(
            Text(f"{t.ERROR_MARK} {t.PAYMENT_REASON_NEEDED}" if differs else "")
        )

    def allows(self, action: str) -> bool:
        """Confirming needs a signed, unpaid contract."""
        if action == "confirm":
            return self.payable
        return True

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter moves on; on the last field it confirms."""
        if event.input is list(self.query("#payment-form Input"))[-1]:
            self.action_confirm()
        else:
            self.focus_next()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        """Ask deliberately (the client is told, and a payment stays), then send the payment
        to the service, which checks the form."""
        if not self.payable:
            return
        chosen = self.query_one(Select).value
        method = chosen if isinstance(chosen, str) else ""
        amount = input_value(self, "amount")
        receipt = input_value(self, "receipt")
        reason = input_value(self, "reason")

        def answered(yes: bool | None) -> None:
            if yes and self.payable and self.version is not None:
                clear_field_errors(self)
                self.confirm(method, amount, receipt, reason, self.version)

        typed = parse_amount(amount)
        if not method or typed is None or (typed != self.due and not reason):
            answered(True)  # the service refuses it with the fields' errors: nothing to ask
            return
        question = t.PAYMENT_CONFIRM_QUESTION.format(
            amount=format_money(typed), method=PAYMENT_METHODS.get(method, t.PAYMENT_METHOD_NONE)
        )
        self.app.push_screen(
            ConfirmModal(t.PAYMENT_CONFIRM_TITLE, question, deliberate=True), answered
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="step-save")
    def confirm(self, method: str, amount: str, receipt: str, reason: str, version: int) -> None:
        """Check the amount, then record the payment."""
        payment = PaymentInput(
            method=method,
            amount=money(amount, field="amount"),
            receipt=receipt or None,
            reason=reason or None,
        )
        info = self.gateway.confirm_payment(self.actor, self.client_id, version, payment)
        self.post_message(self.Confirmed(info))

    def show_error(self, error: PrivetError) -> bool:
        """Field errors beside their fields; the «give a reason» hint gives way to the
        reason field's own error, so that it is said once."""
        placed = super().show_error(error)
        if self.query_one("#field-reason", FormField).error:
            self.query_one("#payment-hint", Static).update("")
        return placed

    @on(Confirmed)
    def _confirmed(self, message: Confirmed) -> None:
        self.saved(
            message.info.client_version,
            t.PAYMENT_SAVED.format(amount=format_money(message.info.amount)),
        )
        self.reload()
