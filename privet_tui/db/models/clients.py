"""A client in onboarding: the claim on a `users` row, passport, devices and photos."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from privet_tui.db.base import Base, created_at, pk, updated_at

CLIENT_STATUSES = (
    "new",
    "in_progress",
    "awaiting_signature",
    "signed",
    "paid",
    "processed",
    "cancelled",
)
FINISHED_STATUSES = ("processed", "cancelled")


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


class MasterClient(Base):
    """One row per `users.id` that a master has claimed; `version` guards concurrent edits."""

    __tablename__ = "master_clients"
    __table_args__ = (
        UniqueConstraint("user_id"),
        CheckConstraint(f"status IN ({_in(CLIENT_STATUSES)})", name="status"),
        CheckConstraint("version > 0", name="version"),
        CheckConstraint("phone IS NULL OR phone ~ '^\\+7[0-9]{10}$'", name="phone_e164"),
        Index(None, "status", "updated_at"),
        Index(None, "assigned_master_id", "status", "updated_at"),
    )

    id: Mapped[int] = pk()
    # RESTRICT: a client with contracts is a legal record; the client app must not
    # delete the person silently under it.
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(Text, server_default="new")
    assigned_master_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("master_users.id", ondelete="RESTRICT")
    )
    full_name: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)
    current_step: Mapped[int] = mapped_column(Integer, server_default="1")
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    claimed_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()

    passport: Mapped[MasterPassport | None] = relationship(back_populates="client")
    devices: Mapped[list[MasterDevice]] = relationship(
        back_populates="client", order_by="MasterDevice.id"
    )


Index("ix_master_clients_full_name_lower", func.lower(MasterClient.full_name))


class MasterPassport(Base):
    """The client's Russian internal passport (full data; shown masked by default)."""

    __tablename__ = "master_passports"
    __table_args__ = (
        UniqueConstraint("client_id"),
        CheckConstraint("series ~ '^[0-9]{4}$'", name="series"),
        CheckConstraint("number ~ '^[0-9]{6}$'", name="number"),
        CheckConstraint("department_code ~ '^[0-9]{3}-[0-9]{3}$'", name="department_code"),
        CheckConstraint("issue_date >= birth_date", name="issued_after_birth"),
    )

    id: Mapped[int] = pk()
    client_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("master_clients.id", ondelete="CASCADE")
    )
    series: Mapped[str] = mapped_column(Text)
    number: Mapped[str] = mapped_column(Text)
    issue_date: Mapped[date] = mapped_column(Date)
    issued_by: Mapped[str] = mapped_column(Text)
    department_code: Mapped[str] = mapped_column(Text)
    birth_date: Mapped[date] = mapped_column(Date)
    birth_place: Mapped[str] = mapped_column(Text)
    registration_address: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()

    client: Mapped[MasterClient] = relationship(back_populates="passport")


class MasterDevice(Base):
    """A device the master registered for the client, optionally linked to `devices`."""

    __tablename__ = "master_devices"
    __table_args__ = (Index(None, "client_id"),)

    id: Mapped[int] = pk()
    client_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("master_clients.id", ondelete="CASCADE")
    )
    category: Mapped[str] = mapped_column(Text)
    brand: Mapped[str] = mapped_column(Text)
    model: Mapped[str] = mapped_column(Text)
    serial: Mapped[str | None] = mapped_column(Text)
    legacy_device_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("devices.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()

    client: Mapped[MasterClient] = relationship(back_populates="devices")
    photos: Mapped[list[MasterDevicePhoto]] = relationship(
        back_populates="device", order_by="MasterDevicePhoto.id", passive_deletes=True
    )


class MasterDevicePhoto(Base):
    """A prepared photo in the object store; deleting the row leaves the object to `gc`."""

    __tablename__ = "master_device_photos"
    __table_args__ = (
        UniqueConstraint("file_key"),
        UniqueConstraint("device_id", "sha256"),
        CheckConstraint("width > 0 AND height > 0 AND bytes > 0", name="dimensions"),
    )

    id: Mapped[int] = pk()
    device_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("master_devices.id", ondelete="CASCADE")
    )
    file_key: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(Text)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(Text)
    original_name: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()

    device: Mapped[MasterDevice] = relationship(back_populates="photos")
