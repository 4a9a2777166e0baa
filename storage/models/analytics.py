"""Analytics facts: what each lead, follow-up send and hot alert counts as, consolidated for fast reports.

Rows are derived from the live tables by `agent.services.analytics.facts` (the same SQL a report runs live) and
refreshed for the leads in `analytics_stale_leads`, which triggers (migration 0019) fill on every change that
can move a lead's figures. A lead in that set is read live, never from its facts.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class LeadFacts(Base):
    """One lead: where it came from, how far it got, its first reply and the channels it wrote on."""

    __tablename__ = "analytics_lead_facts"
    __table_args__ = (
        Index("ix_analytics_lead_facts_tenant_arrived", "tenant_id", "arrived_at"),
        Index("ix_analytics_lead_facts_rep_arrived", "rep_id", "arrived_at"),
    )

    lead_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    rep_id: Mapped[uuid.UUID | None] = mapped_column()
    arrived_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str] = mapped_column(String())
    code: Mapped[str] = mapped_column(String())
    temperature: Mapped[str] = mapped_column(String(10))
    qualified: Mapped[bool] = mapped_column(Boolean)
    contact: Mapped[bool] = mapped_column(Boolean)
    viewing: Mapped[bool] = mapped_column(Boolean)
    won: Mapped[bool] = mapped_column(Boolean)
    lost: Mapped[bool] = mapped_column(Boolean)
    first_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_out_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    channels: Mapped[list[str] | None] = mapped_column(ARRAY(String(32)))
    channel_messages: Mapped[list[int] | None] = mapped_column(ARRAY(Integer))


class EventFacts(Base):
    """A sent follow-up (kind "send") or a delivered hot alert (kind "alert") and whether it was answered."""

    __tablename__ = "analytics_event_facts"
    __table_args__ = (
        Index("ix_analytics_event_facts_tenant", "tenant_id", "kind", "at"),
        Index("ix_analytics_event_facts_rep", "rep_id", "kind", "at"),
        Index("ix_analytics_event_facts_lead", "lead_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(8))
    lead_id: Mapped[int] = mapped_column(BigInteger)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    rep_id: Mapped[uuid.UUID | None] = mapped_column()
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    step_key: Mapped[str | None] = mapped_column(String())
    replied: Mapped[bool] = mapped_column(Boolean, default=False)
    replied_within_window: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StaleLead(Base):
    """A lead changed since its facts were consolidated (or never consolidated): reports read it live."""

    __tablename__ = "analytics_stale_leads"
    __table_args__ = (Index("ix_analytics_stale_leads_tenant", "tenant_id", "lead_id"),)

    lead_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(BigInteger)


class FactsRefresh(Base):
    """When an agency's facts were last consolidated (shown under the analytics page)."""

    __tablename__ = "analytics_refreshes"

    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True)
    refreshed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DailyFunnel(Base):
    """An agency's consolidated leads of one UTC day per (source, deep link, temperature): stage counts."""

    __tablename__ = "analytics_daily_funnel"

    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    source: Mapped[str] = mapped_column(String(), primary_key=True)
    code: Mapped[str] = mapped_column(String(), primary_key=True)
    temperature: Mapped[str] = mapped_column(String(10), primary_key=True)
    leads: Mapped[int] = mapped_column(Integer)
    qualified: Mapped[int] = mapped_column(Integer)
    contact: Mapped[int] = mapped_column(Integer)
    viewing: Mapped[int] = mapped_column(Integer)
    won: Mapped[int] = mapped_column(Integer)
    lost: Mapped[int] = mapped_column(Integer)


class DailyChannel(Base):
    """An agency's consolidated leads of one UTC day per inbound channel: leads, messages, viewing, won."""

    __tablename__ = "analytics_daily_channels"

    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    leads: Mapped[int] = mapped_column(Integer)
    messages: Mapped[int] = mapped_column(Integer)
    viewing: Mapped[int] = mapped_column(Integer)
    won: Mapped[int] = mapped_column(Integer)
