"""The sales team: representatives, prospects assigned to them, and the admin audit log."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Timestamped


class SalesRepresentative(Timestamped, Base):
    __tablename__ = "sales_representatives"
    __table_args__ = (
        UniqueConstraint("tenant_id", "telegram_id"),
        Index("ix_sales_representatives_email", "email"),
        Index("ix_sales_representatives_status", "tenant_id", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    telegram_id: Mapped[int] = mapped_column(BigInteger)
    telegram_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    telegram_username: Mapped[str | None] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(8), default="ru")
    status: Mapped[str] = mapped_column(String(50), default="pending")
    calendar_account_name: Mapped[str | None] = mapped_column(String(255))
    calendar_connected: Mapped[bool] = mapped_column(Boolean, default=False)
    calendar_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    google_token_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    zoom_user_id: Mapped[str | None] = mapped_column(String(255))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    working_hours: Mapped[dict[str, object]] = mapped_column(
        JSONB, default=dict, doc='{"mon": ["09:00", "18:00"], ...}; empty means the tenant default'
    )
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    registered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sales_representatives.id"))
    decided_by_telegram_id: Mapped[int | None] = mapped_column(BigInteger)


PROSPECT_LINK_TOKEN_BYTES = 18
"""144 random bits: a prospect's deep-link token (24 url-safe characters) cannot be guessed or enumerated."""


def new_prospect_link_token() -> str:
    """A fresh random token for a prospect's /start link (Telegram allows [A-Za-z0-9_-], up to 64)."""
    return secrets.token_urlsafe(PROSPECT_LINK_TOKEN_BYTES)


class Prospect(Timestamped, Base):
    """Someone a rep should reach out to; `id` is the agency's own id, unique within its tenant only."""

    __tablename__ = "prospects"
    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "link_token"),
        Index("ix_prospects_status", "tenant_id", "status"),
        Index("ix_prospects_assigned_rep_id", "assigned_rep_id"),
    )

    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    id: Mapped[str] = mapped_column(String(255))
    telegram_id: Mapped[str] = mapped_column(String(255), doc="@username or numeric id")
    telegram_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(255))
    context: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(50), default="unreached")
    assigned_rep_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("sales_representatives.id", ondelete="SET NULL")
    )
    email: Mapped[str | None] = mapped_column(String(255))
    notes: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8), default="ru")
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id", ondelete="SET NULL"))
    last_contact_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    link_token: Mapped[str] = mapped_column(
        String(64),
        default=new_prospect_link_token,
        doc="The secret in the prospect's deep link (`p_<token>`); see agent.services.leads.prospect_links.",
    )


class AuditLog(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_tenant_time", "tenant_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    actor_telegram_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(255))
    allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
