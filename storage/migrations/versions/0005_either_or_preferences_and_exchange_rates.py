"""leads: either/or property types and areas, the budget's period; tenants: an optional table of exchange rates

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 01:45:00

"House or villa in Canggu or Seminyak" is kept whole: `leads.property_types` and `leads.locations` hold every
alternative (the first is also in `property_type` / `location`, which everything reading one value keeps using).
`leads.budget_period` says a budget is a rent per month or per year. `tenants.exchange_rates` ({"EUR": 1.08}:
one euro is 1.08 of the agency's default currency) lets a budget in another currency be searched honestly.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('leads', sa.Column('property_types', postgresql.ARRAY(sa.String(length=20)), nullable=True))
    op.add_column('leads', sa.Column('locations', postgresql.ARRAY(sa.String(length=120)), nullable=True))
    op.add_column('leads', sa.Column('budget_period', sa.String(length=8), nullable=True))
    op.add_column('tenants', sa.Column('exchange_rates', postgresql.JSONB(), nullable=True))


def downgrade() -> None:
    op.drop_column('tenants', 'exchange_rates')
    op.drop_column('leads', 'budget_period')
    op.drop_column('leads', 'locations')
    op.drop_column('leads', 'property_types')
