"""Tariffs, the surcharge applied to a client, contracts with their signature evidence,
and invoices. Money is NUMERIC(12,2) throughout."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Sequence,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from privet_tui.db.base import Base, created_at, pk, updated_at

CONTRACT_STATUSES = ("awaiting_signature", "signed", "paid", "voided")
PAYMENT_METHODS = ("cash", "card", "transfer")

contract_number_seq = Sequence("master_contract_number_seq", metadata=Base.metadata)
invoice_number_seq = Sequence("master_invoice_number_seq", metadata=Base.metadata)


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


class MasterTariff(Base):
    """A tariff plan: monthly fee, devices included, per-device extras, activation fee."""

    __tablename__ = "master_tariffs"
    __table_args__ = (
        UniqueConstraint("code"),
        CheckConstraint(
            "monthly_fee >= 0 AND extra_device_fee >= 0 AND activation_fee >= 0", name="money"
        ),
        CheckConstraint("included_devices >= 0", name="included_devices"),
    )

    id: Mapped[int] = pk()
    code: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, server_default="")
    monthly_fee: Mapped[Decimal]
    included_devices: Mapped[int] = mapped_column(Integer)
    extra_device_fee: Mapped[Decimal]
    category_fees: Mapped[dict[str, Any]] = mapped_column(server_default=text("'{}'::jsonb"))
    activation_fee: Mapped[Decimal]
    is_active: Mapped[bool] = mapped_column(Boolean, server_default="true")
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()


class MasterClientTariff(Base):
    """The calculation fixed for a client: the itemised breakdown and its totals."""

    __tablename__ = "master_client_tariffs"
    __table_args__ = (
        UniqueConstraint("client_id"),
        CheckConstraint("surcharge >= 0 AND monthly_fee >= 0", name="money"),
    )

    id: Mapped[int] = pk()
    client_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("master_clients.id", ondelete="CASCADE")
    )
    tariff_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("master_tariffs.id", ondelete="RESTRICT")
    )
    breakdown: Mapped[dict[str, Any]]
    surcharge: Mapped[Decimal]
    monthly_fee: Mapped[Decimal]
    applied_by_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("master_users.id", ondelete="RESTRICT")
    )
    applied_at: Mapped[datetime] = created_at()


class MasterContract(Base):
    """A generated contract: snapshot, PDFs, the OTP state and the signature evidence."""

    __tablename__ = "master_contracts"
    __table_args__ = (
        UniqueConstraint("number"),
        CheckConstraint(f"status IN ({_in(CONTRACT_STATUSES)})", name="status"),
        CheckConstraint(
            f"payment_method IS NULL OR payment_method IN ({_in(PAYMENT_METHODS)})",
            name="payment_method",
        ),
        CheckConstraint("otp_attempts >= 0 AND otp_total_attempts >= 0", name="attempts"),
        CheckConstraint("total_due >= 0", name="total_due"),
        Index(
            "uq_master_contracts_client_live",
            "client_id",
            unique=True,
            postgresql_where=text("status <> 'voided'"),
        ),
    )

    id: Mapped[int] = pk()
    # RESTRICT: contracts are legal records and outlive any cleanup of the client.
    client_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("master_clients.id", ondelete="RESTRICT")
    )
    number: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, server_default="awaiting_signature")
    snapshot: Mapped[dict[str, Any]]
    total_due: Mapped[Decimal]
    draft_key: Mapped[str] = mapped_column(Text)
    draft_sha256: Mapped[str] = mapped_column(Text)
    signed_key: Mapped[str | None] = mapped_column(Text)
    signed_sha256: Mapped[str | None] = mapped_column(Text)
    otp_hash: Mapped[str | None] = mapped_column(Text)
    otp_expires_at: Mapped[datetime | None]
    otp_sent_at: Mapped[datetime | None]
    otp_attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    otp_total_attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    otp_message_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("support_messages.id", ondelete="SET NULL")
    )
    otp_entered_at: Mapped[datetime | None]
    signed_at: Mapped[datetime | None]
    signed_by_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("master_users.id", ondelete="RESTRICT")
    )
    ssh_connection: Mapped[str | None] = mapped_column(Text)
    void_reason: Mapped[str | None] = mapped_column(Text)
    payment_method: Mapped[str | None] = mapped_column(Text)
    payment_amount: Mapped[Decimal | None]
    payment_reason: Mapped[str | None] = mapped_column(Text)
    payment_receipt: Mapped[str | None] = mapped_column(Text)
    paid_at: Mapped[datetime | None]
    paid_by_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("master_users.id", ondelete="RESTRICT")
    )
    created_by_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("master_users.id", ondelete="RESTRICT")
    )
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()


class MasterInvoice(Base):
    """An invoice issued to the client and sent into their support ticket."""

    __tablename__ = "master_invoices"
    __table_args__ = (
        UniqueConstraint("number"),
        CheckConstraint("amount >= 0", name="amount"),
        Index(None, "client_id"),
    )

    id: Mapped[int] = pk()
    client_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("master_clients.id", ondelete="RESTRICT")
    )
    contract_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("master_contracts.id", ondelete="RESTRICT")
    )
    number: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal]
    due_date: Mapped[date] = mapped_column(Date)
    pdf_key: Mapped[str] = mapped_column(Text)
    pdf_sha256: Mapped[str] = mapped_column(Text)
    message_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("support_messages.id", ondelete="SET NULL")
    )
    sent_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    created_by_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("master_users.id", ondelete="RESTRICT")
    )
    created_at: Mapped[datetime] = created_at()
