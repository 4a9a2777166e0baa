"""Learned conversion scoring: each agency's versioned models, each lead's current likelihood, the alert threshold

Revision ID: 0026
Revises: 0027
Create Date: 2026-12-07 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0026"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("tenants", sa.Column("scoring_model_id", sa.BigInteger(), nullable=True))
    op.add_column(
        "tenants", sa.Column("likely_alert_threshold", sa.Float(), server_default="0.5", nullable=False)
    )
    op.create_table(
        "scoring_models",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcomes", sa.Integer(), nullable=False),
        sa.Column("won", sa.Integer(), nullable=False),
        sa.Column("lost", sa.Integer(), nullable=False),
        sa.Column("holdout", sa.Integer(), nullable=False),
        sa.Column("model_auc", sa.Float(), nullable=True),
        sa.Column("base_auc", sa.Float(), nullable=True),
        sa.Column("calibration_error", sa.Float(), nullable=True),
        sa.Column("model", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_scoring_models_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_models")),
        sa.UniqueConstraint("tenant_id", "version", name=op.f("uq_scoring_models_tenant_id_version")),
    )
    op.create_index(
        "ix_scoring_models_active",
        "scoring_models",
        ["tenant_id"],
        unique=True,
        postgresql_where=sa.text("status = 'active'"),
    )
    op.create_table(
        "lead_likelihoods",
        sa.Column("lead_id", sa.BigInteger(), nullable=False),
        sa.Column("tenant_id", sa.BigInteger(), nullable=False),
        sa.Column("model_id", sa.BigInteger(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("factors", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_lead_likelihoods_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["model_id"],
            ["scoring_models.id"],
            name=op.f("fk_lead_likelihoods_model_id_scoring_models"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_lead_likelihoods_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("lead_id", name=op.f("pk_lead_likelihoods")),
    )
    op.create_index(op.f("ix_lead_likelihoods_model_id"), "lead_likelihoods", ["model_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_lead_likelihoods_model_id"), table_name="lead_likelihoods")
    op.drop_table("lead_likelihoods")
    op.drop_index("ix_scoring_models_active", table_name="scoring_models")
    op.drop_table("scoring_models")
    op.drop_column("tenants", "likely_alert_threshold")
    op.drop_column("tenants", "scoring_model_id")
