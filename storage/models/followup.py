"""Follow-up sequences, their steps, the exactly-once sends ledger, and reps' own follow-up tasks."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Timestamped


class FollowUpSequence(Timestamped, Base):
    __tablename__ = "followup_sequences"
    __table_args__ = (UniqueConstraint("tenant_id", "temperature", "name"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    temperature: Mapped[str] = mapped_column(String(10), doc="hot | warm | cold")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class FollowUpStep(Base):
    __tablename__ = "followup_steps"
    __table_args__ = (UniqueConstraint("sequence_id", "position"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    sequence_id: Mapped[int] = mapped_column(ForeignKey("followup_sequences.id", ondelete="CASCADE"))
    position: Mapped[int]
    delay_minutes: Mapped[int] = mapped_column(doc="After the lead's last inbound message.")
    channel: Mapped[str] = mapped_column(String(16), default="telegram", doc="telegram | email | whatsapp")
    purpose: Mapped[str] = mapped_column(Text, doc="What the drafted message should do.")
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False)


class FollowUpSend(Base):
    """The sends ledger: one row per (lead, step) or (prospect, step), claimed before sending."""

    __tablename__ = "followup_sends"
    __table_args__ = (
        UniqueConstraint("lead_id", "step_key"),
        UniqueConstraint("tenant_id", "prospect_id", "step_key"),
        # A prospect's id is unique within its tenant only, so the reference carries the tenant.
        ForeignKeyConstraint(
            ["tenant_id", "prospect_id"], ["prospects.tenant_id", "prospects.id"], ondelete="CASCADE"
        ),
        # The dispatcher's claim scan (ORDER BY due_at, id LIMIT 1 ... SKIP LOCKED): claimed rows leave it at once.
        Index("ix_followup_sends_due", "due_at", "id", postgresql_where="status IN ('pending', 'held')"),
        # The stale-claim sweep: only rows in flight.
        Index("ix_followup_sends_claimed", "claimed_at", postgresql_where="status = 'claimed'"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    prospect_id: Mapped[str | None] = mapped_column(String(255))
    step_key: Mapped[str] = mapped_column(
        String(64), doc="ghost | seq:<step id> | outreach | reminder:<viewing>:<h>"
    )
    channel: Mapped[str] = mapped_column(String(16), default="telegram")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    hold_reason: Mapped[str | None] = mapped_column(String(32), doc="quiet_hours | awaiting_approval")
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    text: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    external_message_id: Mapped[str | None] = mapped_column(
        String(120), doc="Telegram message id, SMTP id..."
    )
    error: Mapped[str | None] = mapped_column(Text)
    approved_by_rep_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sales_representatives.id"))
    recipient_rep_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("sales_representatives.id", ondelete="CASCADE"),
        doc="The rep a team-bot card goes to (outreach); null for messages to leads and prospects.",
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RepTask(Timestamped, Base):
    """A follow-up a rep scheduled for themself from the chat CRM."""

    __tablename__ = "rep_tasks"
    __table_args__ = (
        Index("ix_rep_tasks_rep_due", "rep_id", "due_at"),
        Index("ix_rep_tasks_lead", "lead_id", postgresql_where="done_at IS NULL"),  # a lead's open tasks
        # An agency's open tasks by due time (the API dashboard's follow-ups for an admin): migration 0022.
        Index("ix_rep_tasks_open_due", "tenant_id", "due_at", "id", postgresql_where="done_at IS NULL"),
        ForeignKeyConstraint(
            ["tenant_id", "prospect_id"], ["prospects.tenant_id", "prospects.id"], ondelete="CASCADE"
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    rep_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sales_representatives.id", ondelete="CASCADE"))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    prospect_id: Mapped[str | None] = mapped_column(String(255))
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
