"""Analytics facts: per-lead and per-event rows consolidated for fast reports, and the stale-lead set

Revision ID: 0019
Revises: 0013
Create Date: 2026-12-07 08:10:00

Statement-level triggers (transition tables: one INSERT per statement, cheap under COPY) put every lead whose
figures a change can move into analytics_stale_leads: its own row, its interactions, viewings, alerts, sends,
and audit rows that target it. Reports read a stale lead live; `realty analytics refresh` and the periodic job
consolidate it again. The upsert (not DO NOTHING) locks an already stale row until the change commits, so a
refresh that deletes it waits and then reads the change: no lead is marked settled on a snapshot without it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0019'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> (lead id expression, condition) over the transition table's rows.
WATCHED: dict[str, tuple[str, str]] = {
    'leads': ('id', 'true'),
    'lead_interactions': ('lead_id', 'true'),
    'viewings': ('lead_id', 'lead_id IS NOT NULL'),
    'lead_alerts': ('lead_id', 'true'),
    'followup_sends': ('lead_id', 'lead_id IS NOT NULL'),
    'audit_log': ("substr(target, 6)::bigint", "tenant_id IS NOT NULL AND target ~ '^lead:[0-9]{1,18}$'"),
}


DAILY_FUNNEL_COUNTS = ('leads', 'qualified', 'contact', 'viewing', 'won', 'lost')


def _functions(table: str) -> list[str]:
    lead, condition = WATCHED[table]
    statements = []
    for rows in ('changed', 'gone'):
        statements.append(
            f"""
            CREATE FUNCTION analytics_stale_{table}_{rows}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO analytics_stale_leads (lead_id, tenant_id)
                SELECT DISTINCT ON (1) {lead}, tenant_id FROM {rows} WHERE {condition}
                ON CONFLICT (lead_id) DO UPDATE SET tenant_id = excluded.tenant_id;
                RETURN NULL;
            END $$
            """
        )
    statements += [
        f"CREATE TRIGGER analytics_stale_ins AFTER INSERT ON {table} REFERENCING NEW TABLE AS changed "
        f"FOR EACH STATEMENT EXECUTE FUNCTION analytics_stale_{table}_changed()",
        f"CREATE TRIGGER analytics_stale_upd_new AFTER UPDATE ON {table} REFERENCING NEW TABLE AS changed "
        f"FOR EACH STATEMENT EXECUTE FUNCTION analytics_stale_{table}_changed()",
        f"CREATE TRIGGER analytics_stale_upd_old AFTER UPDATE ON {table} REFERENCING OLD TABLE AS gone "
        f"FOR EACH STATEMENT EXECUTE FUNCTION analytics_stale_{table}_gone()",
        f"CREATE TRIGGER analytics_stale_del AFTER DELETE ON {table} REFERENCING OLD TABLE AS gone "
        f"FOR EACH STATEMENT EXECUTE FUNCTION analytics_stale_{table}_gone()",
    ]
    return statements


def upgrade() -> None:
    op.create_table(
        'analytics_lead_facts',
        sa.Column('lead_id', sa.BigInteger(), nullable=False),
        sa.Column('tenant_id', sa.BigInteger(), nullable=False),
        sa.Column('rep_id', sa.Uuid(), nullable=True),
        sa.Column('arrived_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('source', sa.String(), nullable=False),
        sa.Column('code', sa.String(), nullable=False),
        sa.Column('temperature', sa.String(length=10), nullable=False),
        sa.Column('qualified', sa.Boolean(), nullable=False),
        sa.Column('contact', sa.Boolean(), nullable=False),
        sa.Column('viewing', sa.Boolean(), nullable=False),
        sa.Column('won', sa.Boolean(), nullable=False),
        sa.Column('lost', sa.Boolean(), nullable=False),
        sa.Column('first_in_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('first_out_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('channels', postgresql.ARRAY(sa.String(length=32)), nullable=True),
        sa.Column('channel_messages', postgresql.ARRAY(sa.Integer()), nullable=True),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('lead_id', name='pk_analytics_lead_facts'),
    )
    op.create_index('ix_analytics_lead_facts_tenant_arrived', 'analytics_lead_facts', ['tenant_id', 'arrived_at'])
    op.create_index('ix_analytics_lead_facts_rep_arrived', 'analytics_lead_facts', ['rep_id', 'arrived_at'])
    op.create_table(
        'analytics_event_facts',
        sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('lead_id', sa.BigInteger(), nullable=False),
        sa.Column('tenant_id', sa.BigInteger(), nullable=False),
        sa.Column('rep_id', sa.Uuid(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('step_key', sa.String(), nullable=True),
        sa.Column('replied', sa.Boolean(), nullable=False),
        sa.Column('replied_within_window', sa.Boolean(), nullable=False),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_analytics_event_facts'),
    )
    op.create_index('ix_analytics_event_facts_tenant', 'analytics_event_facts', ['tenant_id', 'kind', 'at'])
    op.create_index('ix_analytics_event_facts_rep', 'analytics_event_facts', ['rep_id', 'kind', 'at'])
    op.create_index('ix_analytics_event_facts_lead', 'analytics_event_facts', ['lead_id'])
    op.create_table(
        'analytics_stale_leads',
        sa.Column('lead_id', sa.BigInteger(), nullable=False),
        sa.Column('tenant_id', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('lead_id', name='pk_analytics_stale_leads'),
    )
    op.create_index('ix_analytics_stale_leads_tenant', 'analytics_stale_leads', ['tenant_id', 'lead_id'])
    op.create_table(
        'analytics_refreshes',
        sa.Column('tenant_id', sa.BigInteger(), nullable=False),
        sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('tenant_id', name='pk_analytics_refreshes'),
    )
    op.create_table(
        'analytics_daily_funnel',
        sa.Column('tenant_id', sa.BigInteger(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('source', sa.String(), nullable=False),
        sa.Column('code', sa.String(), nullable=False),
        sa.Column('temperature', sa.String(length=10), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in DAILY_FUNNEL_COUNTS),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('tenant_id', 'day', 'source', 'code', 'temperature', name='pk_analytics_daily_funnel'),
    )
    op.create_table(
        'analytics_daily_channels',
        sa.Column('tenant_id', sa.BigInteger(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('channel', sa.String(length=32), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in ('leads', 'messages', 'viewing', 'won')),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('tenant_id', 'day', 'channel', name='pk_analytics_daily_channels'),
    )
    for table in WATCHED:
        for statement in _functions(table):
            op.execute(statement)
    # Every lead already there starts stale: reports stay exact until the first refresh consolidates them.
    op.execute('INSERT INTO analytics_stale_leads (lead_id, tenant_id) SELECT id, tenant_id FROM leads')


def downgrade() -> None:
    for table in WATCHED:
        for trigger in ('ins', 'upd_new', 'upd_old', 'del'):
            op.execute(f'DROP TRIGGER IF EXISTS analytics_stale_{trigger} ON {table}')
        for rows in ('changed', 'gone'):
            op.execute(f'DROP FUNCTION IF EXISTS analytics_stale_{table}_{rows}()')
    op.drop_table('analytics_daily_channels')
    op.drop_table('analytics_daily_funnel')
    op.drop_table('analytics_refreshes')
    op.drop_table('analytics_stale_leads')
    op.drop_table('analytics_event_facts')
    op.drop_table('analytics_lead_facts')
