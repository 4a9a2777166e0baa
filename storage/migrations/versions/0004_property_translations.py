"""properties: the title and description in other languages

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 02:00:00

A catalog may carry a listing's title and description per language (import columns `title_ru`,
`description_fa`, ...); a lead reads the one in their language when there is one.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'properties',
        sa.Column('translations', postgresql.JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")),
    )


def downgrade() -> None:
    op.drop_column('properties', 'translations')
