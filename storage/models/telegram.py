"""Telegram bookkeeping: processed update ids, server-side callback state, OAuth states."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class ProcessedUpdate(Base):
    """An update id a bot has claimed: a second delivery of it is dropped once it is handled, or while the
    claim is fresh (see bot/dedupe.py)."""

    __tablename__ = "processed_updates"

    bot_key: Mapped[str] = mapped_column(String(64), primary_key=True, doc="team | lead:<tenant slug>")
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), doc="when it was last claimed")
    handled_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), doc="when all its handlers had run; NULL while claimed and not yet handled"
    )


class CallbackState(Base):
    """What a button means, kept on the server; the button carries only a signed key."""

    __tablename__ = "callback_states"

    key: Mapped[str] = mapped_column(String(24), primary_key=True)
    payload: Mapped[dict[str, object]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class OAuthState(Base):
    """A pending calendar authorization: unique per rep, expires."""

    __tablename__ = "oauth_states"

    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    rep_id: Mapped[str] = mapped_column(String(64), index=True)
    provider: Mapped[str] = mapped_column(String(16), default="google")
    code_verifier: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
