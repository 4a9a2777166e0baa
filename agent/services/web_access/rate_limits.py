"""The sign-in rate limit: at most FAILURES_ALLOWED failed attempts per key (an IP, a Telegram id) in WINDOW.

Failures are rows in PostgreSQL, so every web process behind one address counts the same attempts. An IP is
kept as a digest, never as written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select

from agent.services.team.base import TeamPart
from storage.models import SignInFailure

FAILURES_ALLOWED = 10
WINDOW = timedelta(minutes=10)


def ip_key(ip: str | None) -> str:
    return "ip:" + hashlib.sha256((ip or "unknown").encode()).hexdigest()[:32]


def telegram_key(telegram_id: int) -> str:
    return f"tg:{telegram_id}"


@dataclass
class SignInLimits(TeamPart):
    async def blocked(self, *keys: str) -> bool:
        """Whether any of these keys failed FAILURES_ALLOWED times within the window."""
        if not keys:
            return False
        since = self.clock.now() - WINDOW
        async with self.database.session() as session:
            query = (
                select(func.count())
                .select_from(SignInFailure)
                .where(SignInFailure.key.in_(keys), SignInFailure.failed_at > since)
                .group_by(SignInFailure.key)
            )
            counts = (await session.execute(query)).scalars().all()
        return any(count >= FAILURES_ALLOWED for count in counts)

    async def failed(self, *keys: str) -> None:
        """Count one failed attempt against each key (and forget this key's attempts older than the window)."""
        now = self.clock.now()
        async with self.database.session() as session:
            await session.execute(
                delete(SignInFailure).where(
                    SignInFailure.key.in_(keys), SignInFailure.failed_at <= now - WINDOW
                )
            )
            session.add_all(SignInFailure(key=key, failed_at=now) for key in keys)
