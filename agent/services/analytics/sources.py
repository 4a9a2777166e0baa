"""The rows a report aggregates: consolidated facts for settled leads, the same facts computed live for the
leads changed since (`analytics_stale_leads`), in one statement so both halves read one snapshot.

An agency-wide funnel and channel table read whole UTC days from the daily counts, minus the stored facts of
their stale leads, plus per-lead rows for the rest (the partial days at both ends and the stale leads' live rows).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import ColumnElement, Subquery, and_, exists, or_, select, union_all

from agent.services.analytics.scope import Scope
from agent.services.analytics_facts.facts import ALERT, SEND, alert_facts, lead_facts, send_facts
from storage.models import EventFacts, Lead, LeadFacts, StaleLead


def _stale_leads() -> ColumnElement[bool]:
    # Not narrowed by the stale row's agency: an audit row may name another agency's lead; the scope narrows.
    return Lead.id.in_(select(StaleLead.lead_id))


def daily_window(scope: Scope) -> tuple[datetime, datetime] | None:
    """The whole UTC days inside the period whose agency-wide counts come from the daily tables, or None
    (one rep's numbers, or no whole day): [first midnight at or after the start, last midnight before the end)."""
    if scope.rep_id is not None or not scope.viewer.sees_whole_agency:
        return None
    start, end = scope.period.start.astimezone(UTC), scope.period.end.astimezone(UTC)
    first = datetime.combine(start.date(), time(0), UTC)
    if first < start:
        first += timedelta(days=1)
    last = datetime.combine(end.date(), time(0), UTC)
    return (first, last) if first < last else None


def lead_rows(scope: Scope, *, counted_daily: tuple[datetime, datetime] | None = None) -> Subquery:
    """One row per lead that arrived in the period (columns of `analytics_lead_facts`); with `counted_daily`,
    the settled leads that arrived within those days are left out (the daily counts hold them)."""
    period = scope.period
    settled = ~exists().where(StaleLead.lead_id == LeadFacts.lead_id)
    arrived = LeadFacts.arrived_at
    stored = select(*(column for column in LeadFacts.__table__.columns)).where(
        scope.facts(LeadFacts), arrived >= period.start, arrived < period.end, settled
    )
    if counted_daily is not None:
        stored = stored.where(or_(arrived < counted_daily[0], arrived >= counted_daily[1]))
    live = lead_facts(and_(scope.cohort(), _stale_leads()))
    return union_all(stored, live).subquery("lead_rows")


def stale_stored_rows(scope: Scope, days: tuple[datetime, datetime]) -> Subquery:
    """Stored facts of the stale leads that arrived within `days`: the daily counts still hold them, so a
    report takes them out again (and adds the leads' live rows from `lead_rows`)."""
    stored = select(*(column for column in LeadFacts.__table__.columns)).where(
        scope.facts(LeadFacts),
        LeadFacts.arrived_at >= days[0],
        LeadFacts.arrived_at < days[1],
        exists().where(StaleLead.lead_id == LeadFacts.lead_id),
    )
    return stored.subquery("stale_stored")


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
