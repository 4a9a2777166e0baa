"""processed_updates.handled_at: an update claimed but never handled (its process was killed) can be claimed again

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 05:30:00

Rows written before this revision count as handled (their handled_at is their claim time).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('processed_updates', sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True))
    op.execute('UPDATE processed_updates SET handled_at = processed_at')


def downgrade() -> None:
    op.drop_column('processed_updates', 'handled_at')
