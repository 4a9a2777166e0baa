"""lead_erasure_requests: a lead's request, made in the chat, to have their personal data erased

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 04:30:00

One row per request: carded to the agency's admins once, confirmed or declined once. It holds ids only,
so it outlives the erasure as its record. At most one request of a lead is pending at a time.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'lead_erasure_requests',
        sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column('tenant_id', sa.BigInteger(), nullable=False),
        sa.Column('lead_id', sa.BigInteger(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('carded_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decided_by_telegram_id', sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ['tenant_id'],
            ['tenants.id'],
            name=op.f('fk_lead_erasure_requests_tenant_id_tenants'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['lead_id'], ['leads.id'], name=op.f('fk_lead_erasure_requests_lead_id_leads'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_erasure_requests')),
    )
    op.create_index(
        'ix_lead_erasure_requests_pending',
        'lead_erasure_requests',
        ['lead_id'],
        unique=True,
        postgresql_where="status = 'pending'",
    )
    op.create_index(
        'ix_lead_erasure_requests_tenant', 'lead_erasure_requests', ['tenant_id', 'requested_at']
    )


def downgrade() -> None:
    op.drop_index('ix_lead_erasure_requests_tenant', table_name='lead_erasure_requests')
    op.drop_index('ix_lead_erasure_requests_pending', table_name='lead_erasure_requests')
    op.drop_table('lead_erasure_requests')
