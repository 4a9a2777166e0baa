"""Indexes the analytics page reads through: leads by arrival, per agency and per rep; alerts and sends by time;
audit rows by target (a rep's first action on a lead)

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-07 07:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0014'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The period's leads of an agency or of one rep, with what the funnel groups by (index-only scans).
    op.create_index(
        'ix_leads_tenant_created',
        'leads',
        ['tenant_id', 'created_at'],
        postgresql_include=['assigned_rep_id', 'status', 'temperature', 'source', 'source_code', 'phone'],
    )
    op.create_index(
        'ix_leads_rep_created',
        'leads',
        ['assigned_rep_id', 'created_at'],
        postgresql_include=['tenant_id', 'status', 'temperature', 'source', 'source_code', 'phone'],
    )
    # Inbound and outbound interactions of a lead in time order, with the channel (first reply, channels, replies).
    op.create_index(
        'ix_lead_interactions_lead_direction_time',
        'lead_interactions',
        ['lead_id', 'direction', 'created_at'],
        postgresql_include=['channel'],
    )
    op.create_index('ix_lead_alerts_tenant_delivered', 'lead_alerts', ['tenant_id', 'delivered_at'])
    op.create_index(
        'ix_followup_sends_tenant_sent',
        'followup_sends',
        ['tenant_id', 'sent_at'],
        postgresql_where="status = 'sent'",
    )
    op.create_index('ix_audit_log_target_time', 'audit_log', ['target', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_audit_log_target_time', table_name='audit_log')
    op.drop_index('ix_followup_sends_tenant_sent', table_name='followup_sends')
    op.drop_index('ix_lead_alerts_tenant_delivered', table_name='lead_alerts')
    op.drop_index('ix_lead_interactions_lead_direction_time', table_name='lead_interactions')
    op.drop_index('ix_leads_rep_created', table_name='leads')
    op.drop_index('ix_leads_tenant_created', table_name='leads')
