"""The current insight on a lead: a summary of what they said and the next best action, language-neutral."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class LeadInsight(Base):
    """One row per lead, replaced on every refresh (each inbound message, and nightly)."""

    __tablename__ = "lead_insights"
    __table_args__ = (
        Index("ix_lead_insights_tenant", "tenant_id"),
        # The due job's scan: only rows waiting for a full refresh are indexed.
        Index("ix_lead_insights_due", "due_at", postgresql_where="due_at IS NOT NULL"),
    )

    lead_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True
    )
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    content: Mapped[dict[str, object]] = mapped_column(
        JSONB, doc="agent.core.insights.Insight.to_json(): facts and codes, worded at display time."
    )
    source: Mapped[str] = mapped_column(String(8), doc="offline | model: who wrote the summary.")
    refreshed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True),
        doc="Set when a full refresh is due (catalog search, the model's summary): the due job does it.",
    )
