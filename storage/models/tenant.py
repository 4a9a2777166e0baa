"""A tenant: one real-estate agency with its own lead bot, catalog and team."""

from __future__ import annotations

from datetime import time

from sqlalchemy import BigInteger, Float, LargeBinary, String, Time
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Timestamped


class Tenant(Timestamped, Base):
    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    lead_bot_token_encrypted: Mapped[bytes | None] = mapped_column(
        LargeBinary,
        doc="The lead bot's token, Fernet-encrypted with TOKEN_ENCRYPTION_KEY (agent/adapters/crypto.py, "
        "LeadBotTokens); never stored in the clear.",
    )
    lead_bot_token_digest: Mapped[str | None] = mapped_column(
        String(64), unique=True, doc="SHA-256 hex of the token: one agency per bot, without the token itself."
    )
    lead_bot_username: Mapped[str | None] = mapped_column(String(64))
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    default_language: Mapped[str] = mapped_column(String(8), default="en")
    country_code: Mapped[str] = mapped_column(String(2), default="US", doc="Default phone region.")
    default_currency: Mapped[str] = mapped_column(String(3), default="USD")
    exchange_rates: Mapped[dict[str, float] | None] = mapped_column(
        JSONB,
        doc='Optional: {"EUR": 1.08} means one euro is 1.08 of `default_currency`; a budget in another currency '
        "is searched at this rate, and without one the lead is asked for the budget in `default_currency`.",
    )
    quiet_hours_start: Mapped[time] = mapped_column(Time, default=time(21, 0))
    quiet_hours_end: Mapped[time] = mapped_column(Time, default=time(8, 0))
    corporate_email_domain: Mapped[str | None] = mapped_column(String(200))
    alert_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    scoring_model_id: Mapped[int | None] = mapped_column(
        BigInteger,
        doc="The conversion model in use (scoring_models.id, set by training; no foreign key, the two tables "
        "would point at each other); null: the base score only, and a rescore reads no model.",
    )
    likely_alert_threshold: Mapped[float] = mapped_column(
        Float,
        default=0.5,
        server_default="0.5",
        doc="A lead whose learned likelihood rises across it is announced.",
    )
    ghost_after_minutes: Mapped[int | None] = mapped_column(
        default=None,
        doc="Silence before the Ghost Protocol nudge; null means the GHOST_AFTER_MINUTES setting.",
    )
    meeting_provider: Mapped[str] = mapped_column(String(16), default="none", doc="zoom | google_meet | none")
    webhook_events: Mapped[list[str]] = mapped_column(
        ARRAY(String(40)),
        default=list,
        server_default="{}",
        doc="The events some active webhook endpoint of the agency subscribes to (kept by WebhookRepository), "
        "so a change nobody listens to records its event with no statement at all.",
    )
    outcome_reasons: Mapped[dict[str, list[str]] | None] = mapped_column(
        JSONB,
        doc='The agency\'s reason codes for a won or a lost deal, {"won": [...], "lost": [...]}; null means the '
        "defaults (agent.core.outcomes.DEFAULT_REASONS).",
    )
