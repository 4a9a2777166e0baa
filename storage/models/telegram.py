"""Telegram bookkeeping: processed update ids, server-side callback state, OAuth states."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class ProcessedUpdate(Base):
    """An update id a bot has taken: a second delivery of it is dropped."""

    __tablename__ = "processed_updates"

    bot_key: Mapped[str] = mapped_column(String(64), primary_key=True, doc="team | lead:<tenant slug>")
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


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
