"""The leads board's keyset indexes: an agency's leads, and a rep's, in board order

Revision ID: 0013
Revises: 0015
Create Date: 2026-12-07 07:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The board reads (opted_out, lead_score DESC, id DESC) within an agency, or within one rep's leads.
    op.create_index(
        'ix_leads_board',
        'leads',
        ['tenant_id', 'opted_out', sa.text('lead_score DESC'), sa.text('id DESC')],
    )
    op.create_index(
        'ix_leads_board_rep',
        'leads',
        ['tenant_id', 'assigned_rep_id', 'opted_out', sa.text('lead_score DESC'), sa.text('id DESC')],
    )
    # A lead's open follow-up tasks (the lead page, the dashboard).
    op.create_index('ix_rep_tasks_lead', 'rep_tasks', ['lead_id'], postgresql_where=sa.text('done_at IS NULL'))


def downgrade() -> None:
    op.drop_index('ix_rep_tasks_lead', table_name='rep_tasks')
    op.drop_index('ix_leads_board_rep', table_name='leads')
    op.drop_index('ix_leads_board', table_name='leads')
