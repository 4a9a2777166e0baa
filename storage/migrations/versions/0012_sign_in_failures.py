"""Failed sign-in attempts, counted per IP and per Telegram id for the sign-in rate limit

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 07:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'web_sign_in_failures',
        sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_web_sign_in_failures')),
    )
    op.create_index('ix_web_sign_in_failures_key_time', 'web_sign_in_failures', ['key', 'failed_at'])


def downgrade() -> None:
    op.drop_table('web_sign_in_failures')
