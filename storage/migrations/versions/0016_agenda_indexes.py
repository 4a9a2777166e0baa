"""Indexes of the web agenda: an agency's open follow-ups, its viewings by start, its alerts of the day

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-07 07:20:00

An admin's /today and /viewings read the whole agency (a rep's own reads use the rep indexes already there):
open rep tasks by due time, open automatic sends by due time (claimed ones too, which ix_followup_sends_due
leaves out), viewings by start, and hot-lead alerts by time.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        'ix_rep_tasks_tenant_open_due',
        'rep_tasks',
        ['tenant_id', 'due_at', 'id'],
        postgresql_where=sa.text('done_at IS NULL'),
    )
    op.create_index(
        'ix_followup_sends_tenant_open_due',
        'followup_sends',
        ['tenant_id', 'due_at', 'id'],
        postgresql_where=sa.text("status IN ('pending', 'claimed', 'held')"),
    )
    op.create_index('ix_viewings_tenant_start', 'viewings', ['tenant_id', 'starts_at', 'id'])
    op.create_index('ix_lead_alerts_tenant_time', 'lead_alerts', ['tenant_id', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_lead_alerts_tenant_time', table_name='lead_alerts')
    op.drop_index('ix_viewings_tenant_start', table_name='viewings')
    op.drop_index('ix_followup_sends_tenant_open_due', table_name='followup_sends')
    op.drop_index('ix_rep_tasks_tenant_open_due', table_name='rep_tasks')
