"""Viewings, and the per-rep time blocks whose primary key makes double-booking impossible."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Timestamped

BLOCK_MINUTES = 15
"""Granularity of `viewing_blocks`: a viewing holds every block it overlaps."""


class Viewing(Timestamped, Base):
    __tablename__ = "viewings"
    __table_args__ = (
        Index("ix_viewings_rep_start", "rep_id", "starts_at"),
        Index("ix_viewings_lead", "lead_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    property_id: Mapped[int] = mapped_column(
        ForeignKey("properties.id", ondelete="RESTRICT"),
        doc="The listing viewed: always one (a listing with viewings is hidden, never deleted).",
    )
    rep_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("sales_representatives.id", ondelete="SET NULL")
    )
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    time_zone: Mapped[str] = mapped_column(String(64), doc="The tenant's zone the slot was offered in.")
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    online: Mapped[bool] = mapped_column(default=False)
    meeting_link: Mapped[str | None] = mapped_column(String(500))
    meeting_provider: Mapped[str | None] = mapped_column(String(16))
    meeting_id: Mapped[str | None] = mapped_column(String(120))
    calendar_event_id: Mapped[str | None] = mapped_column(String(255))
    outcome: Mapped[str | None] = mapped_column(
        String(24),
        doc="attended | no_show | interested | made_offer | not_interested (a lead's viewings, queryable per lead)",
    )
    notes: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, object]] = mapped_column(JSONB, default=dict)


class ViewingBlock(Base):
    """One BLOCK_MINUTES slice of a rep's time taken by a live viewing."""

    __tablename__ = "viewing_blocks"

    rep_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("sales_representatives.id", ondelete="CASCADE"), primary_key=True
    )
    block_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    viewing_id: Mapped[int] = mapped_column(ForeignKey("viewings.id", ondelete="CASCADE"), index=True)
