"""support bridge: support_tickets and support_messages, when absent

The client app reads these tables. On a database that already has them they are left
exactly as they are; the tables this migration creates carry a comment, and downgrade
drops only tables with that comment.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BRIDGE_COMMENT = "created by privet-tui support bridge"


def _has_table(name: str) -> bool:
    return sa.inspect(op.get_bind()).has_table(name)


def _is_ours(name: str) -> bool:
    comment = sa.inspect(op.get_bind()).get_table_comment(name).get("text")
    return comment == BRIDGE_COMMENT


def upgrade() -> None:
    if not _has_table("support_tickets"):
        op.create_table(
            "support_tickets",
            sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
            sa.Column("user_id", sa.BigInteger(), nullable=False),
            sa.Column("subject", sa.Text(), nullable=False),
            sa.Column("channel", sa.Text(), server_default="master", nullable=False),
            sa.Column("status", sa.Text(), server_default="open", nullable=False),
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
                ["user_id"], ["users.id"], name=op.f("fk_support_tickets_user_id_users")
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_support_tickets")),
            comment="created by privet-tui support bridge",
        )
        op.create_index(
            op.f("ix_support_tickets_user_id_channel_status"),
            "support_tickets",
            ["user_id", "channel", "status"],
            unique=False,
        )
    if not _has_table("support_messages"):
        op.create_table(
            "support_messages",
            sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
            sa.Column("ticket_id", sa.BigInteger(), nullable=False),
            sa.Column("author", sa.Text(), nullable=False),
            sa.Column("body", sa.Text(), nullable=False),
            sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
            sa.Column(
                "created_at",
                sa.DateTime(timezone=True),
                server_default=sa.text("now()"),
                nullable=False,
            ),
            sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
            sa.ForeignKeyConstraint(
                ["ticket_id"],
                ["support_tickets.id"],
                name=op.f("fk_support_messages_ticket_id_support_tickets"),
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_support_messages")),
            comment="created by privet-tui support bridge",
        )
        op.create_index(
            op.f("ix_support_messages_ticket_id_created_at"),
            "support_messages",
            ["ticket_id", "created_at"],
            unique=False,
        )


def downgrade() -> None:
    if _has_table("support_messages") and _is_ours("support_messages"):
        op.drop_index(
            op.f("ix_support_messages_ticket_id_created_at"), table_name="support_messages"
        )
        op.drop_table("support_messages")
    if _has_table("support_tickets") and _is_ours("support_tickets"):
        op.drop_index(
            op.f("ix_support_tickets_user_id_channel_status"), table_name="support_tickets"
        )
        op.drop_table("support_tickets")
