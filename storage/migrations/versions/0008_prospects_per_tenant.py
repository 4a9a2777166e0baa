"""prospects: ids unique per tenant, and a secret token for each prospect's deep link

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 04:30:00

A prospect's id is the agency's own, so two agencies may use the same one: the primary key becomes
(tenant_id, id) and the two tables that point at prospects (followup_sends, rep_tasks) point with their
tenant_id too. Each prospect gets a random `link_token` (existing rows are given one here), which its
deep link carries instead of the id.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LINK_TOKEN_BYTES = 18
"""As storage.models.team.PROSPECT_LINK_TOKEN_BYTES when this revision was written."""


def upgrade() -> None:
    op.drop_constraint('fk_followup_sends_prospect_id_prospects', 'followup_sends', type_='foreignkey')
    op.drop_constraint('fk_rep_tasks_prospect_id_prospects', 'rep_tasks', type_='foreignkey')
    op.drop_constraint('uq_followup_sends_prospect_id_step_key', 'followup_sends', type_='unique')
    op.drop_constraint('pk_prospects', 'prospects', type_='primary')
    op.create_primary_key('pk_prospects', 'prospects', ['tenant_id', 'id'])
    op.create_unique_constraint(
        'uq_followup_sends_tenant_id_prospect_id_step_key',
        'followup_sends',
        ['tenant_id', 'prospect_id', 'step_key'],
    )
    for table in ('followup_sends', 'rep_tasks'):
        op.create_foreign_key(
            f'fk_{table}_tenant_id_prospects',
            table,
            'prospects',
            ['tenant_id', 'prospect_id'],
            ['tenant_id', 'id'],
            ondelete='CASCADE',
        )

    op.add_column('prospects', sa.Column('link_token', sa.String(length=64), nullable=True))
    connection = op.get_bind()
    keys = connection.execute(sa.text('SELECT tenant_id, id FROM prospects')).all()
    for tenant_id, prospect_id in keys:  # random per row: not something SQL's random() should mint
        connection.execute(
            sa.text('UPDATE prospects SET link_token = :token WHERE tenant_id = :tenant_id AND id = :id'),
            {'token': secrets.token_urlsafe(LINK_TOKEN_BYTES), 'tenant_id': tenant_id, 'id': prospect_id},
        )
    op.alter_column('prospects', 'link_token', nullable=False)
    op.create_unique_constraint('uq_prospects_tenant_id_link_token', 'prospects', ['tenant_id', 'link_token'])


def downgrade() -> None:
    op.drop_constraint('uq_prospects_tenant_id_link_token', 'prospects', type_='unique')
    op.drop_column('prospects', 'link_token')
    for table in ('followup_sends', 'rep_tasks'):
        op.drop_constraint(f'fk_{table}_tenant_id_prospects', table, type_='foreignkey')
    op.drop_constraint('uq_followup_sends_tenant_id_prospect_id_step_key', 'followup_sends', type_='unique')
    # Fails, as it should, while two tenants share a prospect id.
    op.drop_constraint('pk_prospects', 'prospects', type_='primary')
    op.create_primary_key('pk_prospects', 'prospects', ['id'])
    op.create_unique_constraint(
        'uq_followup_sends_prospect_id_step_key', 'followup_sends', ['prospect_id', 'step_key']
    )
    op.create_foreign_key(
        'fk_followup_sends_prospect_id_prospects',
        'followup_sends',
        'prospects',
        ['prospect_id'],
        ['id'],
        ondelete='CASCADE',
    )
    op.create_foreign_key(
        'fk_rep_tasks_prospect_id_prospects', 'rep_tasks', 'prospects', ['prospect_id'], ['id'], ondelete='CASCADE'
    )
