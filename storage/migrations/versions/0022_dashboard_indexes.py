"""The dashboard's read indexes: the board by temperature or status, counts by temperature, an agency's open tasks

Revision ID: 0022
Revises: 0019
Create Date: 2026-12-07 08:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0022'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The board filtered by temperature reads a short range in score order instead of walking ix_leads_board
    # until enough leads match (a cold filter walked most of the agency); the API dashboard's counts by
    # temperature are an index-only scan of it.
    op.create_index(
        'ix_leads_temperature',
        'leads',
        ['tenant_id', 'opted_out', 'temperature', sa.text('lead_score DESC'), sa.text('id DESC')],
    )
    # The same for a status filter ("new" sits low in the score order: the walk read a third of the agency).
    op.create_index(
        'ix_leads_status',
        'leads',
        ['tenant_id', 'opted_out', 'status', sa.text('lead_score DESC'), sa.text('id DESC')],
    )
    # An agency's open follow-up tasks by due time (the API dashboard for an admin or an integration).
    op.create_index(
        'ix_rep_tasks_open_due',
        'rep_tasks',
        ['tenant_id', 'due_at', 'id'],
        postgresql_where=sa.text('done_at IS NULL'),
    )


def downgrade() -> None:
    op.drop_index('ix_rep_tasks_open_due', table_name='rep_tasks')
    op.drop_index('ix_leads_status', table_name='leads')
    op.drop_index('ix_leads_temperature', table_name='leads')
