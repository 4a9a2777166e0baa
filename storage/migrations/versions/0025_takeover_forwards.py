"""A lead's messages while a person talks to them, forwarded to that person once (takeover_forwards)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 10:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "takeover_forwards",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.BigInteger(), nullable=False),
        sa.Column("lead_id", sa.BigInteger(), nullable=False),
        sa.Column("to_telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_takeover_forwards_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_takeover_forwards_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_takeover_forwards")),
    )
    op.create_index(
        "ix_takeover_forwards_unsent",
        "takeover_forwards",
        ["created_at"],
        unique=False,
        postgresql_where="sent_at IS NULL",
    )
    op.create_index(
        "ix_takeover_forwards_message", "takeover_forwards", ["to_telegram_id", "message_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_takeover_forwards_message", table_name="takeover_forwards")
    op.drop_index(
        "ix_takeover_forwards_unsent",
        table_name="takeover_forwards",
        postgresql_where="sent_at IS NULL",
    )
    op.drop_table("takeover_forwards")
