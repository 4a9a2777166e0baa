"""search: a half-precision copy of each embedding, carried by covering filter indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 00:40:00

An exact search over a few thousand filtered listings used to visit one table page per candidate. The filter
indexes now carry the columns search checks and a stored half-precision vector, so the scan is index-only;
the HNSW graph is built on the same column.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COVERED = [
    'id', 'units_available', 'currency', 'bathrooms', 'pets_allowed', 'furnished', 'embedding_model', 'embedding_half'
]
FILTER_KEYS: list[str | sa.TextClause] = ['tenant_id', 'status', 'transaction', 'property_type', 'bedrooms', 'price']
LOCATION_KEYS: list[str | sa.TextClause] = ['tenant_id', sa.text('lower(location)'), 'transaction', 'property_type', 'bedrooms', 'price']


def upgrade() -> None:
    op.drop_index('ix_properties_embedding_hnsw', table_name='properties')
    op.drop_index('ix_properties_filters', table_name='properties')
    op.drop_index('ix_properties_tenant_location', table_name='properties')
    op.execute(
        'ALTER TABLE properties ADD COLUMN embedding_half halfvec(384) '
        'GENERATED ALWAYS AS (embedding::halfvec(384)) STORED'
    )
    op.create_index('ix_properties_filters', 'properties', FILTER_KEYS, postgresql_include=[*COVERED, 'location'])
    op.create_index(
        'ix_properties_tenant_location', 'properties', LOCATION_KEYS, postgresql_include=[*COVERED, 'status', 'location']
    )
    op.execute(
        'CREATE INDEX ix_properties_embedding_hnsw ON properties '
        'USING hnsw (embedding_half halfvec_cosine_ops) WITH (m = 16, ef_construction = 128)'
    )


def downgrade() -> None:
    op.drop_index('ix_properties_embedding_hnsw', table_name='properties')
    op.drop_index('ix_properties_tenant_location', table_name='properties')
    op.drop_index('ix_properties_filters', table_name='properties')
    op.drop_column('properties', 'embedding_half')
    op.create_index('ix_properties_filters', 'properties', FILTER_KEYS)
    op.create_index('ix_properties_tenant_location', 'properties', LOCATION_KEYS)
    op.execute(
        'CREATE INDEX ix_properties_embedding_hnsw ON properties '
        'USING hnsw ((embedding::halfvec(384)) halfvec_cosine_ops) WITH (m = 16, ef_construction = 128)'
    )
