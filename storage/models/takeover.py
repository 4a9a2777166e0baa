"""A lead's message while a person has taken the conversation over, waiting to be forwarded to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class TakeoverForward(Base):
    """One forward to the person talking to a lead: written with the lead's message, sent by the team bot.

    The lead's turn adds the row in the transaction that records the message, so a message is never
    forwarded without being kept, nor kept without being forwarded. A team-bot process takes an unsent row
    with `FOR UPDATE SKIP LOCKED` and sets `sent_at` in the same transaction: two processes never both send
    it, and a restart between the turn and the send still sends it.
    """

    __tablename__ = "takeover_forwards"
    __table_args__ = (
        Index("ix_takeover_forwards_unsent", "created_at", postgresql_where="sent_at IS NULL"),
        Index("ix_takeover_forwards_message", "to_telegram_id", "message_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    to_telegram_id: Mapped[int] = mapped_column(BigInteger, doc="The person talking to the lead.")
    kind: Mapped[str] = mapped_column(String(16), doc="text | voice | contact | button | start")
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    message_id: Mapped[int | None] = mapped_column(
        BigInteger,
        doc="The team-bot message it became (null: Telegram refused it); a reply to it answers the lead.",
    )
