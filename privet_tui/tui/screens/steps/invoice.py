"""Step 7 «Счёт»: issue the invoice for the paid contract; it goes to the client's chat
with its PDF link, and the client becomes processed."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Static

from privet_tui.services.rules.pricing import format_money
from privet_tui.services.rules.validation import format_ru_date
from privet_tui.services.steps.invoice import InvoiceInfo
from privet_tui.tui import texts_steps as t
from privet_tui.tui.screens.steps.base import StepScreen
from privet_tui.tui.screens.steps.contract import where
from privet_tui.tui.widgets.confirm import ConfirmModal

__all__ = ["InvoiceScreen", "invoice_text"]


def invoice_text(info: InvoiceInfo) -> str:
    """The issued invoice as the screen lists it."""
    return t.INVOICE_INFO.format(
        number=info.number,
        contract=info.contract_number,
        amount=format_money(info.amount),
        due=format_ru_date(info.due_date),
        paid=t.INVOICE_PAID if info.paid else t.INVOICE_UNPAID,
        where=where(info.pdf_link),
    )


class InvoiceScreen(StepScreen[InvoiceInfo | None]):
    """One action: Ctrl+S issues the invoice; the result stays on screen."""

    STEP = 7
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "issue",
            t.INVOICE_ISSUE,
            id="invoice.issue",
            tooltip=t.INVOICE_ISSUE_TIP,
            key_display="^s",
        ),
    ]

    class Issued(Message):
        """The invoice exists and was sent."""

        def __init__(self, info: InvoiceInfo) -> None:
            super().__init__()
            self.info = info

    busy = False
    issued: InvoiceInfo | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("", id="invoice-info", classes="step-info", markup=False)
        with Horizontal(classes="step-buttons"):
            yield Button(t.INVOICE_ISSUE_BUTTON, id="issue", variant="primary", compact=True)

    def fetch(self) -> InvoiceInfo | None:
        """The invoice already issued, if any (the card says whether the payment is in)."""
        return self.gateway.invoice_for_client(self.actor, self.client_id)

    @property
    def can_issue(self) -> bool:
        """Paid, not invoiced yet, and nothing in flight."""
        return self.card is not None and self.card.status == "paid" and not self.busy

    def show_state(self, state: InvoiceInfo | None) -> None:
        info = self.query_one("#invoice-info", Static)
        self.issued = self.issued or state
        if self.issued is not None:
            info.update(Text(invoice_text(self.issued)))
        elif self.card is not None and self.card.status == "processed":
            info.update(Text(t.INVOICE_ALREADY))
        else:
            info.update(Text(t.INVOICE_READY))
        button = self.query_one("#issue", Button)
        button.display = self.can_issue
        if self.can_issue:
            button.focus()
        self.refresh_bindings()

    def allows(self, action: str) -> bool:
        """Issuing only once, for a paid contract."""
        if action == "issue":
            return self.can_issue
        return True

    @on(Button.Pressed, "#issue")
    def action_issue(self) -> None:
        """Ask deliberately (it goes out to the client), then render, store and send it."""
        if not self.can_issue:
            return

        def answered(yes: bool | None) -> None:
            if yes and self.can_issue and self.version is not None:
                self._issue(self.version)

        question = ConfirmModal(t.INVOICE_CONFIRM_TITLE, t.INVOICE_CONFIRM, deliberate=True)
        self.app.push_screen(question, answered)

    def _issue(self, version: int) -> None:
        self.busy = True
        self.query_one("#issue", Button).disabled = True
        self.query_one("#invoice-info", Static).update(Text(t.INVOICE_ISSUING))
        self.issue(version)

    @work(thread=True, exclusive=True, exit_on_error=False, group="step-save")
    def issue(self, version: int) -> None:
        """The invoice PDF, its upload and the message to the client (one transaction)."""
        self.post_message(
            self.Issued(self.gateway.issue_invoice(self.actor, self.client_id, version))
        )

    @on(Issued)
    def _issued(self, message: Issued) -> None:
        self.busy = False
        self.issued = message.info
        self.saved(message.info.client_version, t.INVOICE_DONE.format(number=message.info.number))
        self.reload()

    def worker_failed(self, worker: object) -> None:
        """Let the master try again after a refusal."""
        self.busy = False
        self.query_one("#issue", Button).disabled = False
        self.query_one("#invoice-info", Static).update(Text(t.INVOICE_READY))
        self.refresh_bindings()
