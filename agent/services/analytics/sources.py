"""The rows a report aggregates: consolidated facts for settled leads, the same facts computed live for the
leads changed since (`analytics_stale_leads`), in one statement so both halves read one snapshot."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Subquery, and_, exists, select, union_all

from agent.services.analytics.facts import ALERT, SEND, alert_facts, lead_facts, send_facts
from agent.services.analytics.scope import Scope
from storage.models import EventFacts, Lead, LeadFacts, StaleLead


def _stale_leads() -> ColumnElement[bool]:
    # Not narrowed by the stale row's agency: an audit row may name another agency's lead; the scope narrows.
    return Lead.id.in_(select(StaleLead.lead_id))


def lead_rows(scope: Scope) -> Subquery:
    """One row per lead that arrived in the period (columns of `analytics_lead_facts`)."""
    period = scope.period
    settled = ~exists().where(StaleLead.lead_id == LeadFacts.lead_id)
    stored = select(*(column for column in LeadFacts.__table__.columns)).where(
        scope.facts(LeadFacts),
        LeadFacts.arrived_at >= period.start,
        LeadFacts.arrived_at < period.end,
        settled,
    )
    live = lead_facts(and_(scope.cohort(), _stale_leads()))
    return union_all(stored, live).subquery("lead_rows")


def event_rows(scope: Scope, kind: str) -> Subquery:
    """Sent follow-ups (`SEND`) or delivered hot alerts (`ALERT`) of the period, as `analytics_event_facts`."""
    period = scope.period
    columns = [column for column in EventFacts.__table__.columns if column.name != "id"]
    settled = ~exists().where(StaleLead.lead_id == EventFacts.lead_id)
    stored = select(*columns).where(
        scope.facts(EventFacts),
        EventFacts.kind == kind,
        EventFacts.at >= period.start,
        EventFacts.at < period.end,
        settled,
    )
    facts = {SEND: send_facts, ALERT: alert_facts}[kind]
    computed = facts(and_(scope.leads(), _stale_leads())).subquery("live_events")
    live = select(*(computed.c[column.name] for column in columns)).where(
        computed.c.at >= period.start, computed.c.at < period.end
    )
    return union_all(stored, live).subquery(f"{kind}_rows")
