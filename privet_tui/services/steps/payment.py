"""Step 6 «Оплата»: the master confirms the client paid the signed contract's amount; the
client gets «оплата получена» in their ticket and the status becomes `paid`.

The amount must equal the contract's total due; a different amount is accepted only with a
reason, which is recorded with the payment (a discount agreed with the office, change owed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from privet_tui.config import Settings
from privet_tui.db.models.billing import MasterContract
from privet_tui.errors import StateError, ValidationError
from privet_tui.services import audit
from privet_tui.services.actor import Actor
from privet_tui.services.rules.catalog import payment_method_label, validate_payment_method
from privet_tui.services.rules.pricing import format_money, money
from privet_tui.services.rules.validation import clean_text
from privet_tui.services.support import post_message
from privet_tui.services.workflow import lock_client, require_status, touch
from privet_tui.services.workflow import now as utc_now

__all__ = ["PaymentInfo", "PaymentInput", "confirm_payment"]


@dataclass(frozen=True)
class PaymentInput:
    """The payment as the master enters it on step 6."""

    method: str
    amount: Decimal
    receipt: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class PaymentInfo:
    """A confirmed payment and the client's new version."""

    contract_id: int
    contract_number: str
    method: str
    amount: Decimal
    total_due: Decimal
    receipt: str | None
    reason: str | None
    paid_at: datetime
    message_id: int
    client_version: int


def confirm_payment(
    session: Session,
    actor: Actor,
    settings: Settings,
    client_id: int,
    expected_version: int,
    payment: PaymentInput,
    *,
    now: datetime | None = None,
) -> PaymentInfo:
    """Record the payment of the signed contract and tell the client it was received."""
    del settings  # kept for a uniform step signature; nothing configurable here yet
    moment = now or utc_now()
    client = lock_client(session, client_id, actor, expected_version=expected_version)
    if client.status in ("paid", "processed"):
        raise StateError("Оплата по договору уже подтверждена")
    require_status(client, "signed", action="подтвердить оплату (сначала подпишите договор)")
    contract = session.scalar(
        select(MasterContract)
        .where(MasterContract.client_id == client.id, MasterContract.status == "signed")
        .with_for_update()
    )
    if contract is None:
        raise StateError("Подписанный договор не найден")
    method, amount, receipt, reason = _validated(payment, contract.total_due)
    contract.payment_method = method
    contract.payment_amount = amount
    contract.payment_receipt = receipt
    contract.payment_reason = reason
    contract.paid_at = moment
    contract.paid_by_id = actor.id
    contract.status = "paid"
    client.status = "paid"
    client.current_step = max(client.current_step, 7)
    body = (
        f"Оплата получена: {format_money(amount)} ({payment_method_label(method).lower()}) "
        f"по договору № {contract.number}. Спасибо!"
    )
    if receipt:
        body += f"\nНомер чека: {receipt}"
    message_id = post_message(
        session,
        client.user_id,
        body,
        {
            "type": "payment_received",
            "contract_number": contract.number,
            "amount": str(amount),
            "method": method,
            "receipt": receipt,
            "paid_at": moment.isoformat(),
        },
    )
    audit.record_event(
        session,
        client.id,
        actor,
        "payment.confirmed",
        f"Оплата {format_money(amount)} ({payment_method_label(method).lower()}) "
        f"по договору № {contract.number} подтверждена"
        + (f"; сумма отличается от {format_money(contract.total_due)}: {reason}" if reason else ""),
        {
            "contract_id": contract.id,
            "method": method,
            "amount": str(amount),
            "total_due": str(contract.total_due),
            "receipt": receipt,
            "reason": reason,
            "message_id": message_id,
        },
    )
    touch(session, client)
    return PaymentInfo(
        contract.id,
        contract.number,
        method,
        amount,
        contract.total_due,
        receipt,
        reason,
        moment,
        message_id,
        client.version,
    )


def _validated(
    payment: PaymentInput, total_due: Decimal
) -> tuple[str, Decimal, str | None, str | None]:
    """Clean method, amount, receipt and reason; a different amount needs a reason."""
    method = validate_payment_method(payment.method)
    amount = money(payment.amount, field="amount")  # refuses float, NaN, over-long
    if amount < 0 or (amount == 0 and total_due != 0):
        raise ValidationError("Сумма оплаты должна быть больше нуля", field="amount")
    receipt = clean_text(
        payment.receipt or "", field="receipt", label="Номер чека", max_length=100, required=False
    )
    reason = clean_text(
        payment.reason or "", field="reason", label="Причина", max_length=500, required=False
    )
    if amount != total_due and not reason:
        raise ValidationError(
            f"Сумма {format_money(amount)} не равна сумме к оплате "
            f"{format_money(total_due)}: укажите причину расхождения",
            field="reason",
        )
    return method, amount, receipt or None, reason or None
