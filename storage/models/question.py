"""A question a lead asked that the listing data could not answer, relayed to the lead's rep in the team bot."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class QuestionStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    EXPIRED = "expired"


class LeadQuestion(Base):
    """One relayed question: asked, offered to the rep (the card), maybe reminded, maybe answered.

    `reminded_at` and `lead_told_at` are set once, when the timeout job claims that message: they are what
    makes each of them go at most once, whatever the number of workers.
    """

    __tablename__ = "lead_questions"
    __table_args__ = (
        Index("ix_lead_questions_lead", "lead_id", "asked_at"),
        # The timeout scan and a rep's "which question is this?": only open questions are indexed.
        Index("ix_lead_questions_open", "asked_at", postgresql_where="status = 'open'"),
        Index("ix_lead_questions_rep_open", "rep_id", postgresql_where="status = 'open'"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    property_id: Mapped[int | None] = mapped_column(ForeignKey("properties.id", ondelete="SET NULL"))
    rep_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("sales_representatives.id", ondelete="SET NULL"),
        doc="The lead's rep when asked; null: the card went to the agency's admins and alert chat.",
    )
    question: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=QuestionStatus.OPEN.value)
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_telegram_id: Mapped[int | None] = mapped_column(BigInteger)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lead_told_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    recipients: Mapped[list[dict[str, object]]] = mapped_column(
        JSONB,
        default=list,
        doc='Who got the card: [{"chat_id": ..., "language": ...}]; a reminder goes there too.',
    )
    card_chat_id: Mapped[int | None] = mapped_column(BigInteger, doc="The team-bot chat of the first card.")
    card_message_id: Mapped[int | None] = mapped_column(
        BigInteger, doc="The team-bot message id of that card; a reply to it answers this question."
    )
