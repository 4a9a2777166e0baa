"""viewings: a viewing always has a listing (property_id NOT NULL; a listing with viewings cannot be deleted)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 02:40:00

A viewing of no listing was a booking bug, not a state anyone can act on: such rows (and their time blocks)
are removed. A listing that was viewed is hidden (status), never deleted, so its viewings keep their
listing: the foreign key now refuses the delete instead of emptying the column. Deleting a whole agency
still removes both, in one statement.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FK = 'fk_viewings_property_id_properties'


def upgrade() -> None:
    op.execute('DELETE FROM viewings WHERE property_id IS NULL')
    op.drop_constraint(FK, 'viewings', type_='foreignkey')
    op.create_foreign_key(FK, 'viewings', 'properties', ['property_id'], ['id'], ondelete='RESTRICT')
    op.alter_column('viewings', 'property_id', nullable=False)


def downgrade() -> None:
    op.alter_column('viewings', 'property_id', nullable=True)
    op.drop_constraint(FK, 'viewings', type_='foreignkey')
    op.create_foreign_key(FK, 'viewings', 'properties', ['property_id'], ['id'], ondelete='SET NULL')
