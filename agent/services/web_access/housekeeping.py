"""Forgetting what sign-in no longer needs, hourly (bot housekeeping): old sessions, links, failures."""

from __future__ import annotations

from datetime import timedelta

from agent.core.clock import Clock
from agent.services.web_access.links import LINK_LIFETIME
from storage.db import Database
from storage.repositories.web import WebSessionRepository

KEEP = timedelta(days=7)
"""Ended and expired sessions and failed attempts stay this long (for a look after an incident), then go."""


async def purge_old_sign_ins(database: Database, clock: Clock) -> int:
    """Delete sessions ended or expired a week ago, dead sign-in links and spent initData, and sign-in
    failures older than a week (the rate limit reads only the last ten minutes); how many rows went."""
    async with database.session() as session:
        return await WebSessionRepository(session).purge_across_tenants(
            now=clock.now(), keep=KEEP, link_lifetime=LINK_LIFETIME
        )
