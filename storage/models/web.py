"""Who may open the team's web app and API: browser sessions, one-time sign-in links, API tokens.

Only digests of the secrets are stored (SHA-256 of the random token): a copy of the database opens nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class WebSession(Base):
    """A signed-in browser (or Mini App): the cookie holds the token, this row its digest."""

    __tablename__ = "web_sessions"
    __table_args__ = (Index("ix_web_sessions_person", "tenant_id", "telegram_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    token_digest: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    telegram_id: Mapped[int] = mapped_column(BigInteger, doc="Who signed in, as Telegram said.")
    via: Mapped[str] = mapped_column(String(16), doc="link | miniapp")
    csrf_token: Mapped[str] = mapped_column(
        String(64), doc="Every form and write request of the session carries it."
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SignInLink(Base):
    """A one-time sign-in link the team bot sent: short-lived, used once."""

    __tablename__ = "web_sign_in_links"

    token_digest: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    telegram_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApiToken(Base):
    """An integration's bearer token for /api/v1, scoped to one agency; shown once, revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    token_digest: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    prefix: Mapped[str] = mapped_column(String(16), doc="The token's first characters, to tell tokens apart.")
    created_by: Mapped[str] = mapped_column(String(64), doc='"cli" or "telegram:<id>"')
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SignInFailure(Base):
    """A failed sign-in attempt, counted per key ("ip:<digest>", "tg:<id>") for the rate limit.

    Kept in PostgreSQL so every web process counts the same attempts; rows older than the window are
    deleted as new ones come.
    """

    __tablename__ = "web_sign_in_failures"
    __table_args__ = (Index("ix_web_sign_in_failures_key_time", "key", "failed_at"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(80))
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
