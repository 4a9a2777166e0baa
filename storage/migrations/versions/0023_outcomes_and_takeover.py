"""Won and lost deals with a reason, and a person taking a conversation over from the AI

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of storage.models.lead.GHOST_ELIGIBLE before and after this revision.
_GHOST_BEFORE = (
    "phone IS NOT NULL AND NOT ghost_reminder_sent AND NOT opted_out AND status NOT IN "
    "('viewing_scheduled', 'converted', 'handed_off', 'lost')"
)
_GHOST_AFTER = (
    "phone IS NOT NULL AND NOT ghost_reminder_sent AND NOT opted_out AND taken_over_by IS NULL AND status NOT IN "
    "('viewing_scheduled', 'won', 'handed_off', 'lost')"
)


def upgrade() -> None:
    op.add_column("leads", sa.Column("outcome_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("leads", sa.Column("outcome_reason", sa.String(length=40), nullable=True))
    op.add_column("leads", sa.Column("outcome_note", sa.Text(), nullable=True))
    op.add_column("leads", sa.Column("taken_over_by", sa.BigInteger(), nullable=True))
    op.add_column("leads", sa.Column("taken_over_at", sa.DateTime(timezone=True), nullable=True))
    # "converted" is now "won"; a lead won before this revision keeps its last change as its outcome time.
    op.execute("UPDATE leads SET status = 'won', outcome_at = updated_at WHERE status = 'converted'")
    op.execute("UPDATE leads SET outcome_at = updated_at WHERE status = 'lost' AND outcome_at IS NULL")
    op.drop_index("ix_leads_ghost_due", table_name="leads", postgresql_where=_GHOST_BEFORE)
    op.create_index(
        "ix_leads_ghost_due",
        "leads",
        ["tenant_id", "last_inbound_at"],
        unique=False,
        postgresql_include=["id"],
        postgresql_where=_GHOST_AFTER,
    )


def downgrade() -> None:
    op.drop_index("ix_leads_ghost_due", table_name="leads", postgresql_where=_GHOST_AFTER)
    op.execute("UPDATE leads SET status = 'converted' WHERE status = 'won'")
    op.create_index(
        "ix_leads_ghost_due",
        "leads",
        ["tenant_id", "last_inbound_at"],
        unique=False,
        postgresql_include=["id"],
        postgresql_where=_GHOST_BEFORE,
    )
    for column in ("taken_over_at", "taken_over_by", "outcome_note", "outcome_reason", "outcome_at"):
        op.drop_column("leads", column)
