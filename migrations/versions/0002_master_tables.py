"""master tables: accounts, clients, passports, devices, tariffs, contracts, invoices, audit

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence("master_contract_number_seq")))
    op.execute(sa.schema.CreateSequence(sa.Sequence("master_invoice_number_seq")))
    op.create_table(
        "master_tariffs",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("monthly_fee", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("included_devices", sa.Integer(), nullable=False),
        sa.Column("extra_device_fee", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column(
            "category_fees",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("activation_fee", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "included_devices >= 0", name=op.f("ck_master_tariffs_included_devices")
        ),
        sa.CheckConstraint(
            "monthly_fee >= 0 AND extra_device_fee >= 0 AND activation_fee >= 0",
            name=op.f("ck_master_tariffs_money"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_master_tariffs")),
        sa.UniqueConstraint("code", name=op.f("uq_master_tariffs_code")),
    )
    op.create_table(
        "master_users",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), server_default="master", nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "password_changed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("role IN ('master', 'admin')", name=op.f("ck_master_users_role")),
        sa.CheckConstraint("failed_logins >= 0", name=op.f("ck_master_users_failed_logins")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_master_users")),
    )
    op.create_index(
        "uq_master_users_email_lower",
        "master_users",
        [sa.literal_column("lower(email)")],
        unique=True,
    )
    op.create_table(
        "master_clients",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.Text(), server_default="new", nullable=False),
        sa.Column("assigned_master_id", sa.BigInteger(), nullable=True),
        sa.Column("full_name", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("current_step", sa.Integer(), server_default="1", nullable=False),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "phone IS NULL OR phone ~ '^\\+7[0-9]{10}$'", name=op.f("ck_master_clients_phone_e164")
        ),
        sa.CheckConstraint(
            "status IN ('new', 'in_progress', 'awaiting_signature', 'signed', 'paid', 'processed', 'cancelled')",
            name=op.f("ck_master_clients_status"),
        ),
        sa.CheckConstraint("version > 0", name=op.f("ck_master_clients_version")),
        sa.ForeignKeyConstraint(
            ["assigned_master_id"],
            ["master_users.id"],
            name=op.f("fk_master_clients_assigned_master_id_master_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_master_clients_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_master_clients")),
        sa.UniqueConstraint("user_id", name=op.f("uq_master_clients_user_id")),
    )
    op.create_index(
        op.f("ix_master_clients_assigned_master_id_status_updated_at"),
        "master_clients",
        ["assigned_master_id", "status", "updated_at"],
        unique=False,
    )
    op.create_index(
        "ix_master_clients_full_name_lower",
        "master_clients",
        [sa.literal_column("lower(full_name)")],
        unique=False,
    )
    op.create_index(
        op.f("ix_master_clients_status_updated_at"),
        "master_clients",
        ["status", "updated_at"],
        unique=False,
    )
    op.create_table(
        "master_login_attempts",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("master_id", sa.BigInteger(), nullable=True),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("ssh_connection", sa.Text(), nullable=True),
        sa.Column(
            "attempted_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["master_id"],
            ["master_users.id"],
            name=op.f("fk_master_login_attempts_master_id_master_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_master_login_attempts")),
    )
    op.create_index(
        op.f("ix_master_login_attempts_master_id_attempted_at"),
        "master_login_attempts",
        ["master_id", "attempted_at"],
        unique=False,
    )
    op.create_table(
        "master_client_tariffs",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.BigInteger(), nullable=False),
        sa.Column("tariff_id", sa.BigInteger(), nullable=False),
        sa.Column("breakdown", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("surcharge", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("monthly_fee", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("applied_by_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "applied_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "surcharge >= 0 AND monthly_fee >= 0", name=op.f("ck_master_client_tariffs_money")
        ),
        sa.ForeignKeyConstraint(
            ["applied_by_id"],
            ["master_users.id"],
            name=op.f("fk_master_client_tariffs_applied_by_id_master_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["master_clients.id"],
            name=op.f("fk_master_client_tariffs_client_id_master_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tariff_id"],
            ["master_tariffs.id"],
            name=op.f("fk_master_client_tariffs_tariff_id_master_tariffs"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_master_client_tariffs")),
        sa.UniqueConstraint("client_id", name=op.f("uq_master_client_tariffs_client_id")),
    )
    op.create_table(
        "master_devices",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.BigInteger(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("brand", sa.Text(), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("serial", sa.Text(), nullable=True),
        sa.Column("legacy_device_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["master_clients.id"],
            name=op.f("fk_master_devices_client_id_master_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["legacy_device_id"],
            ["devices.id"],
            name=op.f("fk_master_devices_legacy_device_id_devices"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_master_devices")),
    )
    op.create_index(
        op.f("ix_master_devices_client_id"), "master_devices", ["client_id"], unique=False
    )
    op.create_table(
        "master_passports",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.BigInteger(), nullable=False),
        sa.Column("series", sa.Text(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("issued_by", sa.Text(), nullable=False),
        sa.Column("department_code", sa.Text(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("birth_place", sa.Text(), nullable=False),
        sa.Column("registration_address", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "department_code ~ '^[0-9]{3}-[0-9]{3}$'",
            name=op.f("ck_master_passports_department_code"),
        ),
        sa.CheckConstraint("number ~ '^[0-9]{6}$'", name=op.f("ck_master_passports_number")),
        sa.CheckConstraint("series ~ '^[0-9]{4}$'", name=op.f("ck_master_passports_series")),
        sa.CheckConstraint(
            "issue_date >= birth_date", name=op.f("ck_master_passports_issued_after_birth")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["master_clients.id"],
            name=op.f("fk_master_passports_client_id_master_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_master_passports")),
        sa.UniqueConstraint("client_id", name=op.f("uq_master_passports_client_id")),
    )
    op.create_table(
        "master_support_threads",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["master_clients.id"],
            name=op.f("fk_master_support_threads_client_id_master_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_master_support_threads")),
        sa.UniqueConstraint("client_id", name=op.f("uq_master_support_threads_client_id")),
    )
    op.create_table(
        "master_contracts",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.BigInteger(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default="awaiting_signature", nullable=False),
        sa.Column("snapshot", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("total_due", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("draft_key", sa.Text(), nullable=False),
        sa.Column("draft_sha256", sa.Text(), nullable=False),
        sa.Column("signed_key", sa.Text(), nullable=True),
        sa.Column("signed_sha256", sa.Text(), nullable=True),
        sa.Column("otp_hash", sa.Text(), nullable=True),
        sa.Column("otp_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("otp_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("otp_attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("otp_total_attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("otp_message_id", sa.BigInteger(), nullable=True),
        sa.Column("otp_entered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("signed_by_id", sa.BigInteger(), nullable=True),
        sa.Column("ssh_connection", sa.Text(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.Column("payment_method", sa.Text(), nullable=True),
        sa.Column("payment_amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("payment_reason", sa.Text(), nullable=True),
        sa.Column("payment_receipt", sa.Text(), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_by_id", sa.BigInteger(), nullable=True),
        sa.Column("created_by_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "payment_method IS NULL OR payment_method IN ('cash', 'card', 'transfer')",
            name=op.f("ck_master_contracts_payment_method"),
        ),
        sa.CheckConstraint(
            "status IN ('awaiting_signature', 'signed', 'paid', 'voided')",
            name=op.f("ck_master_contracts_status"),
        ),
        sa.CheckConstraint(
            "otp_attempts >= 0 AND otp_total_attempts >= 0",
            name=op.f("ck_master_contracts_attempts"),
        ),
        sa.CheckConstraint("total_due >= 0", name=op.f("ck_master_contracts_total_due")),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["master_clients.id"],
            name=op.f("fk_master_contracts_client_id_master_clients"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["master_users.id"],
            name=op.f("fk_master_contracts_created_by_id_master_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["otp_message_id"],
            ["support_messages.id"],
            name=op.f("fk_master_contracts_otp_message_id_support_messages"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["paid_by_id"],
            ["master_users.id"],
            name=op.f("fk_master_contracts_paid_by_id_master_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["signed_by_id"],
            ["master_users.id"],
            name=op.f("fk_master_contracts_signed_by_id_master_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_master_contracts")),
        sa.UniqueConstraint("number", name=op.f("uq_master_contracts_number")),
    )
    op.create_index(
        "uq_master_contracts_client_live",
        "master_contracts",
        ["client_id"],
        unique=True,
        postgresql_where=sa.text("status <> 'voided'"),
    )
    op.create_table(
        "master_device_photos",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("device_id", sa.BigInteger(), nullable=False),
        sa.Column("file_key", sa.Text(), nullable=False),
        sa.Column("content_type", sa.Text(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("original_name", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "width > 0 AND height > 0 AND bytes > 0",
            name=op.f("ck_master_device_photos_dimensions"),
        ),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["master_devices.id"],
            name=op.f("fk_master_device_photos_device_id_master_devices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_master_device_photos")),
        sa.UniqueConstraint(
            "device_id", "sha256", name=op.f("uq_master_device_photos_device_id_sha256")
        ),
        sa.UniqueConstraint("file_key", name=op.f("uq_master_device_photos_file_key")),
    )
    op.create_table(
        "master_support_messages",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=False),
        sa.Column("master_id", sa.BigInteger(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('note', 'event')", name=op.f("ck_master_support_messages_kind")
        ),
        sa.ForeignKeyConstraint(
            ["master_id"],
            ["master_users.id"],
            name=op.f("fk_master_support_messages_master_id_master_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["master_support_threads.id"],
            name=op.f("fk_master_support_messages_thread_id_master_support_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_master_support_messages")),
    )
    op.create_index(
        op.f("ix_master_support_messages_thread_id_created_at"),
        "master_support_messages",
        ["thread_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "master_invoices",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.BigInteger(), nullable=False),
        sa.Column("contract_id", sa.BigInteger(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("pdf_key", sa.Text(), nullable=False),
        sa.Column("pdf_sha256", sa.Text(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_master_invoices_amount")),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["master_clients.id"],
            name=op.f("fk_master_invoices_client_id_master_clients"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["master_contracts.id"],
            name=op.f("fk_master_invoices_contract_id_master_contracts"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["master_users.id"],
            name=op.f("fk_master_invoices_created_by_id_master_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["support_messages.id"],
            name=op.f("fk_master_invoices_message_id_support_messages"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_master_invoices")),
        sa.UniqueConstraint("number", name=op.f("uq_master_invoices_number")),
    )
    op.create_index(
        op.f("ix_master_invoices_client_id"), "master_invoices", ["client_id"], unique=False
    )
    # ### end Alembic commands ###


def downgrade() -> None:
    op.drop_index(op.f("ix_master_invoices_client_id"), table_name="master_invoices")
    op.drop_table("master_invoices")
    op.drop_index(
        op.f("ix_master_support_messages_thread_id_created_at"),
        table_name="master_support_messages",
    )
    op.drop_table("master_support_messages")
    op.drop_table("master_device_photos")
    op.drop_index(
        "uq_master_contracts_client_live",
        table_name="master_contracts",
        postgresql_where=sa.text("status <> 'voided'"),
    )
    op.drop_table("master_contracts")
    op.drop_table("master_support_threads")
    op.drop_table("master_passports")
    op.drop_index(op.f("ix_master_devices_client_id"), table_name="master_devices")
    op.drop_table("master_devices")
    op.drop_table("master_client_tariffs")
    op.drop_index(
        op.f("ix_master_login_attempts_master_id_attempted_at"), table_name="master_login_attempts"
    )
    op.drop_table("master_login_attempts")
    op.drop_index(op.f("ix_master_clients_status_updated_at"), table_name="master_clients")
    op.drop_index("ix_master_clients_full_name_lower", table_name="master_clients")
    op.drop_index(
        op.f("ix_master_clients_assigned_master_id_status_updated_at"), table_name="master_clients"
    )
    op.drop_table("master_clients")
    op.drop_index("uq_master_users_email_lower", table_name="master_users")
    op.drop_table("master_users")
    op.drop_table("master_tariffs")
    op.execute(sa.schema.DropSequence(sa.Sequence("master_invoice_number_seq")))
    op.execute(sa.schema.DropSequence(sa.Sequence("master_contract_number_seq")))
