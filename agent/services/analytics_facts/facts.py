"""What each lead, sent follow-up and hot alert counts as: the SQL both the live reports and the refresh run.

The live reports aggregate these rows for the leads not consolidated yet; `refresh` stores them for the rest.
One definition for both paths keeps stored and live numbers identical by construction.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Integer,
    Select,
    SQLColumnExpression,
    String,
    and_,
    exists,
    func,
    literal,
    null,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by

from agent.services.analytics_facts.funnel_rules import STATUS_RANK, UNKNOWN, status_rank
from storage.enums import Direction, LeadStatus, SendStatus
from storage.models import (
    AuditLog,
    FollowUpSend,
    Lead,
    LeadAlert,
    LeadInteraction,
    SalesRepresentative,
    Viewing,
)
from storage.repositories.followups import VIEWING_KEY_PREFIX

REP_ACTION = "rep_action"
GHOST_WINDOW = timedelta(hours=24)
SEND = "send"
ALERT = "alert"


def utc_day(moment: SQLColumnExpression[datetime]) -> ColumnElement[date]:
    """The UTC calendar day of a moment (the daily counts' key)."""
    return func.timezone("UTC", moment).cast(Date)


def lead_facts(where: ColumnElement[bool]) -> Select[tuple[object, ...]]:
    """One row per lead matching `where` (SQL over `Lead`), columns as in `analytics_lead_facts`."""
    rank = status_rank(Lead.status)
    has_viewing = exists().where(Viewing.lead_id == Lead.id)
    has_phone = Lead.phone.is_not(None)
    first_in = (
        select(LeadInteraction.created_at)
        .where(LeadInteraction.lead_id == Lead.id, LeadInteraction.direction == Direction.INBOUND)
        .order_by(LeadInteraction.created_at)
        .limit(1)
        .scalar_subquery()
    )
    per_channel = (
        select(LeadInteraction.channel.label("channel"), func.count().cast(Integer).label("n"))
        .where(LeadInteraction.lead_id == Lead.id, LeadInteraction.direction == Direction.INBOUND)
        .group_by(LeadInteraction.channel)
        .correlate(Lead)
        .lateral("per_channel")
    )
    channels = (
        select(
            func.array_agg(aggregate_order_by(per_channel.c.channel, per_channel.c.channel)).label(
                "channels"
            ),
            func.array_agg(aggregate_order_by(per_channel.c.n, per_channel.c.channel)).label("messages"),
        )
        .select_from(per_channel)
        .lateral("lead_channels")
    )
    base = (
        select(
            Lead.id.label("lead_id"),
            Lead.tenant_id.label("tenant_id"),
            Lead.assigned_rep_id.label("rep_id"),
            Lead.created_at.label("arrived_at"),
            func.coalesce(Lead.source, UNKNOWN).label("source"),
            func.coalesce(Lead.source_code, UNKNOWN).label("code"),
            Lead.temperature.label("temperature"),
            or_(rank >= STATUS_RANK[LeadStatus.QUALIFIED], has_phone, has_viewing).label("qualified"),
            or_(rank >= STATUS_RANK[LeadStatus.CONTACT_CAPTURED], has_phone, has_viewing).label("contact"),
            or_(rank >= STATUS_RANK[LeadStatus.VIEWING_SCHEDULED], has_viewing).label("viewing"),
            (Lead.status == LeadStatus.WON).label("won"),
            (Lead.status == LeadStatus.LOST).label("lost"),
            first_in.label("first_in_at"),
            channels.c.channels,
            channels.c.messages.label("channel_messages"),
        )
        .join(channels, literal(True))
        .where(where)
        .subquery("lead_base")
    )
    # Probed once a lead, after its first message is known (lead_id, direction, created_at index).
    first_out = (
        select(LeadInteraction.created_at)
        .where(
            LeadInteraction.lead_id == base.c.lead_id,
            LeadInteraction.direction == Direction.OUTBOUND,
            LeadInteraction.created_at >= base.c.first_in_at,
        )
        .order_by(LeadInteraction.created_at)
        .limit(1)
        .scalar_subquery()
    )
    c = base.c
    return select(
        c.lead_id,
        c.tenant_id,
        c.rep_id,
        c.arrived_at,
        c.source,
        c.code,
        c.temperature,
        c.qualified,
        c.contact,
        c.viewing,
        c.won,
        c.lost,
        c.first_in_at,
        first_out.label("first_out_at"),
        c.channels,
        c.channel_messages,
    )


def send_facts(where: ColumnElement[bool]) -> Select[tuple[object, ...]]:
    """Sent follow-ups (not viewing reminders) of the leads matching `where`, as `analytics_event_facts` rows.

    A send was replied to when the lead wrote after it and before its next sent follow-up; within the window
    when the lead wrote within 24 hours of it (what counts for a ghost nudge)."""
    sends = (
        select(
            FollowUpSend.lead_id,
            Lead.tenant_id,
            Lead.assigned_rep_id.label("rep_id"),
            FollowUpSend.step_key,
            FollowUpSend.sent_at,
            func.lead(FollowUpSend.sent_at)
            .over(partition_by=FollowUpSend.lead_id, order_by=FollowUpSend.sent_at)
            .label("next_at"),
        )
        .join(Lead, Lead.id == FollowUpSend.lead_id)
        .where(
            where,
            FollowUpSend.tenant_id == Lead.tenant_id,
            FollowUpSend.status == SendStatus.SENT,
            FollowUpSend.sent_at.is_not(None),
            ~FollowUpSend.step_key.startswith(VIEWING_KEY_PREFIX),
        )
        .subquery("sends")
    )
    inbound_after = and_(
        LeadInteraction.lead_id == sends.c.lead_id,
        LeadInteraction.direction == Direction.INBOUND,
        LeadInteraction.created_at > sends.c.sent_at,
    )
    replied = exists().where(
        inbound_after, or_(sends.c.next_at.is_(None), LeadInteraction.created_at < sends.c.next_at)
    )
    within = exists().where(inbound_after, LeadInteraction.created_at <= sends.c.sent_at + GHOST_WINDOW)
    return select(
        literal(SEND, String).label("kind"),
        sends.c.lead_id,
        sends.c.tenant_id,
        sends.c.rep_id,
        sends.c.sent_at.label("at"),
        sends.c.step_key,
        replied.label("replied"),
        within.label("replied_within_window"),
        null().cast(DateTime(timezone=True)).label("answered_at"),
    )


def alert_facts(where: ColumnElement[bool]) -> Select[tuple[object, ...]]:
    """Delivered hot alerts of the leads matching `where`, with the lead's rep's first action after each.

    An action is a `rep_action` interaction (team bot) or an allowed audit row of that rep on the lead (web)."""
    acted_in_bot = (
        select(func.min(LeadInteraction.created_at))
        .where(
            LeadInteraction.lead_id == LeadAlert.lead_id,
            LeadInteraction.type == REP_ACTION,
            LeadInteraction.created_at >= LeadAlert.delivered_at,
        )
        .scalar_subquery()
    )
    acted_on_web = (
        select(func.min(AuditLog.created_at))
        .where(
            AuditLog.target == func.concat(literal("lead:"), LeadAlert.lead_id),
            AuditLog.tenant_id == Lead.tenant_id,
            AuditLog.actor_telegram_id == SalesRepresentative.telegram_id,
            AuditLog.allowed.is_(True),
            AuditLog.created_at >= LeadAlert.delivered_at,
        )
        .scalar_subquery()
    )
    return (
        select(
            literal(ALERT, String).label("kind"),
            LeadAlert.lead_id,
            Lead.tenant_id,
            Lead.assigned_rep_id.label("rep_id"),
            LeadAlert.delivered_at.label("at"),
            null().cast(String).label("step_key"),
            literal(False).label("replied"),
            literal(False).label("replied_within_window"),
            func.least(acted_in_bot, acted_on_web).label("answered_at"),
        )
        .join(Lead, Lead.id == LeadAlert.lead_id)
        .outerjoin(SalesRepresentative, SalesRepresentative.id == Lead.assigned_rep_id)
        .where(where, LeadAlert.tenant_id == Lead.tenant_id, LeadAlert.delivered_at.is_not(None))
    )
