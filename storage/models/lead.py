"""A lead: someone who talks to a tenant's lead bot, with preferences, counters, score and follow-up state."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from storage.enums import LeadStatus
from storage.models.base import Base, Timestamped

LEAD_STOP_STATUSES: tuple[LeadStatus, ...] = (
    LeadStatus.VIEWING_SCHEDULED,
    LeadStatus.WON,
    LeadStatus.HANDED_OFF,
    LeadStatus.LOST,
)
"""A lead in one of these gets no automatic follow-up: booked, won, with a human, or gone."""

FOLLOW_UP_ALLOWED = "NOT opted_out AND taken_over_by IS NULL AND status NOT IN ({})".format(
    ", ".join(f"'{status}'" for status in LEAD_STOP_STATUSES)
)
"""SQL over `leads`: an automatic follow-up may still reach the lead (not opted out, no person has taken the
conversation over, not booked/won/handed off/lost). `Lead.follow_up_stop` reads it on a row."""

GHOST_ELIGIBLE = "phone IS NOT NULL AND NOT ghost_reminder_sent AND " + FOLLOW_UP_ALLOWED
"""SQL over `leads`: the Ghost Protocol may still nudge the lead (a phone, no nudge yet, follow-ups allowed).

The predicate of the partial index ix_leads_ghost_due and of the due scan that reads it
(`storage.repositories.followups.GHOST_DUE_SQL`); `Lead.ghost_stop` reads it on a loaded row for the
dispatcher. Migration 0023 keeps its frozen copy; tests/test_ghost.py checks that the live index says the same.
"""


class Lead(Timestamped, Base):
    __tablename__ = "leads"
    __table_args__ = (
        UniqueConstraint("tenant_id", "telegram_user_id"),
        Index("ix_leads_tenant_score", "tenant_id", "lead_score"),
        Index("ix_leads_assigned_rep", "assigned_rep_id"),
        # The leads board's keyset order (agent.services.dashboard.leads): an agency's, and one rep's.
        Index("ix_leads_board", "tenant_id", "opted_out", text("lead_score DESC"), text("id DESC")),
        Index(
            "ix_leads_board_rep",
            "tenant_id",
            "assigned_rep_id",
            "opted_out",
            text("lead_score DESC"),
            text("id DESC"),
        ),
        # The board filtered by temperature (a short range, not a walk down ix_leads_board until enough match),
        # and the dashboard's counts by temperature (an index-only scan): migration 0022.
        Index(
            "ix_leads_temperature",
            "tenant_id",
            "opted_out",
            "temperature",
            text("lead_score DESC"),
            text("id DESC"),
        ),
        # The board filtered by status (a rare status no longer walks the agency's board): migration 0022.
        Index(
            "ix_leads_status",
            "tenant_id",
            "opted_out",
            "status",
            text("lead_score DESC"),
            text("id DESC"),
        ),
        # The due-scan of the Ghost Protocol: only leads that could still be nudged are indexed.
        Index(
            "ix_leads_ghost_due",
            "tenant_id",
            "last_inbound_at",
            postgresql_include=["id"],  # the scan reads the index alone (index-only scan)
            postgresql_where=GHOST_ELIGIBLE,
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))

    # Identity and contact
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger)
    telegram_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    telegram_username: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20), doc="E.164")
    email: Mapped[str | None] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(8), default="en")
    time_zone: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(
        String(64), doc="Where the lead came from: expo_qr, catalog, referral..."
    )
    source_code: Mapped[str | None] = mapped_column(String(64), doc="The deep-link code that brought them.")
    status: Mapped[str] = mapped_column(String(24), default="new")
    outcome_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True),
        doc="When the deal was recorded won or lost (the learned score's label time).",
    )
    outcome_reason: Mapped[str | None] = mapped_column(
        String(40), doc="The reason code picked with won/lost, from the agency's short list."
    )
    outcome_note: Mapped[str | None] = mapped_column(Text, doc="Free text given with won/lost.")
    taken_over_by: Mapped[int | None] = mapped_column(
        BigInteger, doc="Telegram id of the rep or admin talking to the lead in person; the AI stays silent."
    )
    taken_over_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # Preferences
    budget_min: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    budget_max: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    budget_currency: Mapped[str | None] = mapped_column(String(3))
    bedrooms: Mapped[int | None]
    bathrooms: Mapped[int | None]
    budget_period: Mapped[str | None] = mapped_column(
        String(8), doc="month | year: the budget is a rent per period."
    )
    property_type: Mapped[str | None] = mapped_column(String(20), doc="The first of `property_types`.")
    property_types: Mapped[list[str] | None] = mapped_column(
        ARRAY(String(20)), doc='Every type the lead named as an alternative ("house or villa"), first first.'
    )
    location: Mapped[str | None] = mapped_column(String(120), doc="The first of `locations`.")
    locations: Mapped[list[str] | None] = mapped_column(
        ARRAY(String(120)),
        doc='Every area the lead named as an alternative ("Canggu or Seminyak"), first first.',
    )
    transaction: Mapped[str | None] = mapped_column(String(8))
    payment_method: Mapped[str | None] = mapped_column(String(20))
    timeline: Mapped[str | None] = mapped_column(String(120))
    pets: Mapped[bool | None] = mapped_column(Boolean)
    furnished: Mapped[bool | None] = mapped_column(Boolean)

    # Engagement counters
    message_count: Mapped[int] = mapped_column(default=0)
    voice_message_count: Mapped[int] = mapped_column(default=0)
    qr_scan_count: Mapped[int] = mapped_column(default=0)
    catalog_views: Mapped[int] = mapped_column(default=0)
    total_interactions: Mapped[int] = mapped_column(default=0)
    urgency_mentions: Mapped[int] = mapped_column(default=0)
    specific_questions: Mapped[int] = mapped_column(default=0)

    # Scoring
    lead_score: Mapped[int] = mapped_column(default=0)
    temperature: Mapped[str] = mapped_column(String(10), default="cold")
    score_confidence: Mapped[float] = mapped_column(default=0.0)
    scored_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # Follow-up state
    urgency_score: Mapped[int] = mapped_column(default=0)
    fomo_messages_sent: Mapped[int] = mapped_column(default=0)
    ghost_reminder_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    first_inbound_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_inbound_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_outbound_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    assigned_rep_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("sales_representatives.id", ondelete="SET NULL")
    )
    notes: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, object]] = mapped_column(JSONB, default=dict)

    def follow_up_stop(self) -> str | None:
        """Why FOLLOW_UP_ALLOWED fails for this row ("opted out", "lead is lost"); None when it holds."""
        if self.opted_out:
            return "opted out"
        if self.taken_over_by is not None:
            return "taken over by a person"
        if self.status in LEAD_STOP_STATUSES:
            return f"lead is {self.status}"
        return None

    def ghost_stop(self) -> str | None:
        """Why GHOST_ELIGIBLE fails for this row ("already reminded", ...); None when the nudge may go."""
        if self.phone is None:
            return "no phone number"
        if self.ghost_reminder_sent:
            return "already reminded"
        return self.follow_up_stop()


class LeadInteraction(Base):
    __tablename__ = "lead_interactions"
    __table_args__ = (Index("ix_lead_interactions_lead_time", "lead_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(
        String(32), doc="message, voice, contact, qr_scan, follow_up, note, ..."
    )
    channel: Mapped[str] = mapped_column(String(16), default="telegram")
    direction: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="done")
    text: Mapped[str | None] = mapped_column(Text)
    meta: Mapped[dict[str, object]] = mapped_column("metadata", JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LeadScoreFactor(Base):
    """The latest score breakdown of a lead: one row per factor, replaced on every rescore."""

    __tablename__ = "lead_score_factors"
    __table_args__ = (UniqueConstraint("lead_id", "factor"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    factor: Mapped[str] = mapped_column(String(40))
    value: Mapped[int] = mapped_column(doc="Points earned.")
    weight: Mapped[int] = mapped_column(doc="Maximum points of this factor.")
    explanation: Mapped[str] = mapped_column(Text)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LeadAlert(Base):
    """A hot-lead event: recorded by the agent, delivered by the team bot."""

    __tablename__ = "lead_alerts"
    __table_args__ = (
        UniqueConstraint("lead_id", "kind"),
        Index("ix_lead_alerts_undelivered", "created_at", postgresql_where="delivered_at IS NULL"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24), doc="phone_captured | burning")
    payload: Mapped[dict[str, object]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
