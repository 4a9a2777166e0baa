"""An agency's own short lists of reasons a deal is won or lost

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 10:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("tenants", sa.Column("outcome_reasons", postgresql.JSONB(), nullable=True))


def downgrade() -> None:
    op.drop_column("tenants", "outcome_reasons")
