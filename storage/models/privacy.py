"""A lead's request, made in the chat, to have their personal data erased: waits for an admin's decision."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class ErasureStatus(StrEnum):
    PENDING = "pending"
    ERASED = "erased"
    DECLINED = "declined"


class ErasureRequest(Base):
    """One request: asked in the chat, carded to the agency's admins once, decided once.

    It holds no personal data itself (only ids), so it survives the erasure it asked for as the record of it.
    """

    __tablename__ = "lead_erasure_requests"
    __table_args__ = (
        # At most one request of a lead waits at a time: asking again finds the one already waiting.
        Index(
            "ix_lead_erasure_requests_pending",
            "lead_id",
            unique=True,
            postgresql_where="status = 'pending'",
        ),
        Index("ix_lead_erasure_requests_tenant", "tenant_id", "requested_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default=ErasureStatus.PENDING.value)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    carded_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), doc="When the admins' cards went out (once)."
    )
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_telegram_id: Mapped[int | None] = mapped_column(BigInteger)
