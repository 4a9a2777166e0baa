"""`realty analytics refresh`: an operator consolidates one agency's changed leads, or rebuilds them all."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from agent.core.clock import FrozenClock
from storage.db import Database
from storage.models import FactsRefresh, LeadFacts, StaleLead
from tests.cli.conftest import Realty, realty
from tests.web.analytics_history import History, build_history
from tests.web.web_support import Agencies

__all__ = ["realty"]  # the command-line fixture, shared with tests/cli


@pytest.fixture
async def history(database: Database, agencies: Agencies, clock: FrozenClock) -> History:
    return await build_history(database, agencies, clock.now())


async def stale_of(database: Database, tenant_id: int) -> int:
    async with database.session() as session:
        found = await session.scalar(select(func.count()).where(StaleLead.tenant_id == tenant_id))
    return int(found or 0)


async def test_refresh_consolidates_one_agency_then_rebuilds_it(
    realty: Realty, database: Database, agencies: Agencies, history: History
) -> None:
    assert await stale_of(database, agencies.tre.id) == 7
    done = await realty("analytics", "refresh", "--tenant", "tre")
    assert done.exit_code == 0, done.output
    assert "tre: 7 leads consolidated." in done.output
    assert await stale_of(database, agencies.tre.id) == 0
    assert await stale_of(database, agencies.other.id) == 1  # another agency waits for its own run
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(LeadFacts)) == 7
        assert await session.scalar(select(FactsRefresh.tenant_id)) == agencies.tre.id

    nothing_new = await realty("analytics", "refresh", "--tenant", "tre")
    assert "tre: 0 leads consolidated." in nothing_new.output
    rebuilt = await realty("analytics", "refresh", "--tenant", "tre", "--full")
    assert rebuilt.exit_code == 0 and "tre: 7 leads consolidated." in rebuilt.output

    everyone = await realty("analytics", "refresh")
    assert everyone.exit_code == 0 and "other: 1 leads consolidated." in everyone.output
    unknown = await realty("analytics", "refresh", "--tenant", "nope")
    assert unknown.exit_code == 1
