"""Masters (the app's users) and the record of every login attempt."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from privet_tui.db.base import Base, created_at, pk, updated_at

ROLES = ("master", "admin")


class MasterUser(Base):
    """A field technician or an administrator who logs into the app."""

    __tablename__ = "master_users"
    __table_args__ = (
        CheckConstraint("role IN ('master', 'admin')", name="role"),
        CheckConstraint("failed_logins >= 0", name="failed_logins"),
    )

    id: Mapped[int] = pk()
    email: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text, server_default="master")
    is_active: Mapped[bool] = mapped_column(Boolean, server_default="true")
    failed_logins: Mapped[int] = mapped_column(Integer, server_default="0")
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime] = created_at()
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class MasterLoginAttempt(Base):
    """One login attempt, successful or not, kept for audit and lockout decisions."""

    __tablename__ = "master_login_attempts"
    __table_args__ = (Index(None, "master_id", "attempted_at"),)

    id: Mapped[int] = pk()
    email: Mapped[str] = mapped_column(Text)
    master_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("master_users.id", ondelete="SET NULL")
    )
    succeeded: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)
    ssh_connection: Mapped[str | None] = mapped_column(Text)
    attempted_at: Mapped[datetime] = created_at()


Index("uq_master_users_email_lower", func.lower(MasterUser.email), unique=True)
