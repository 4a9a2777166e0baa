"""lead_questions: what a lead asked that the listing data could not answer, relayed to the rep

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 02:00:00

One row per question: the card the rep got in the team bot (its message id matches replies), the answer,
and when the rep was reminded and the lead told that the agent will follow up (each set once, by the
one-a-minute follow-up job).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'lead_questions',
        sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column('tenant_id', sa.BigInteger(), nullable=False),
        sa.Column('lead_id', sa.BigInteger(), nullable=False),
        sa.Column('property_id', sa.BigInteger(), nullable=True),
        sa.Column('rep_id', sa.Uuid(), nullable=True),
        sa.Column('question', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('answer', sa.Text(), nullable=True),
        sa.Column('answered_by_telegram_id', sa.BigInteger(), nullable=True),
        sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('lead_told_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('recipients', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('card_chat_id', sa.BigInteger(), nullable=True),
        sa.Column('card_message_id', sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ['tenant_id'], ['tenants.id'], name=op.f('fk_lead_questions_tenant_id_tenants'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['lead_id'], ['leads.id'], name=op.f('fk_lead_questions_lead_id_leads'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['property_id'],
            ['properties.id'],
            name=op.f('fk_lead_questions_property_id_properties'),
            ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['rep_id'],
            ['sales_representatives.id'],
            name=op.f('fk_lead_questions_rep_id_sales_representatives'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_questions')),
    )
    op.create_index('ix_lead_questions_lead', 'lead_questions', ['lead_id', 'asked_at'])
    op.create_index(
        'ix_lead_questions_open', 'lead_questions', ['asked_at'], postgresql_where="status = 'open'"
    )
    op.create_index(
        'ix_lead_questions_rep_open', 'lead_questions', ['rep_id'], postgresql_where="status = 'open'"
    )


def downgrade() -> None:
    op.drop_index('ix_lead_questions_rep_open', table_name='lead_questions')
    op.drop_index('ix_lead_questions_open', table_name='lead_questions')
    op.drop_index('ix_lead_questions_lead', table_name='lead_questions')
    op.drop_table('lead_questions')
