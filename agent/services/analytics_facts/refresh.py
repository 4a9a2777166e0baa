"""Consolidate analytics facts: recompute the stale leads of an agency in batches and store their rows.

Each batch takes its leads out of `analytics_stale_leads`, writes their facts and moves their share of the
agency's daily counts (old facts out, new facts in) in one transaction, under a
per-agency advisory lock (the periodic job and `realty analytics refresh` may overlap). A full rebuild first
marks every lead of the agency stale, so reports stay exact (read live) while it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, cast, delete, exists, func, insert, select, true, union_all
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.clock import Clock
from agent.services.analytics_facts.facts import alert_facts, lead_facts, send_facts, utc_day
from storage.db import Database
from storage.models import (
    DailyChannel,
    DailyFunnel,
    EventFacts,
    FactsRefresh,
    Lead,
    LeadFacts,
    StaleLead,
    Tenant,
)

BATCH = 2_000
LOCK_KEY = 0x0A_7A_14
"""First half of the advisory lock key; the agency's id is the second."""
FUNNEL_COUNTS = ("leads", "qualified", "contact", "viewing", "won", "lost")
CHANNEL_COUNTS = ("leads", "messages", "viewing", "won")


@dataclass(frozen=True)
class Refreshed:
    tenant_id: int
    leads: int
    refreshed_at: datetime


async def stale_leads(database: Database, tenant_id: int) -> int:
    """How many of the agency's leads are waiting to be consolidated."""
    async with database.session() as session:
        found = await session.scalar(select(func.count()).where(StaleLead.tenant_id == tenant_id))
    return int(found or 0)


async def mark_all_stale(database: Database, tenant_id: int) -> int:
    """Put every lead of the agency in the stale set (a full rebuild); returns how many are stale now."""
    async with database.session() as session:
        await session.execute(
            pg_insert(StaleLead)
            .from_select(
                ["lead_id", "tenant_id"], select(Lead.id, Lead.tenant_id).where(Lead.tenant_id == tenant_id)
            )
            .on_conflict_do_nothing()
        )
    return await stale_leads(database, tenant_id)


async def consolidate_batch(session: AsyncSession, tenant_id: int, size: int = BATCH) -> int:
    """Take up to `size` stale leads of the agency and store their facts; how many were taken."""
    await session.execute(
        select(func.pg_advisory_xact_lock(cast(LOCK_KEY, Integer), cast(tenant_id, Integer)))
    )
    chosen = (
        select(StaleLead.lead_id)
        .where(StaleLead.tenant_id == tenant_id)
        .order_by(StaleLead.lead_id)
        .limit(size)
    )
    taken = (
        await session.scalars(
            delete(StaleLead).where(StaleLead.lead_id.in_(chosen)).returning(StaleLead.lead_id)
        )
    ).all()
    if not taken:
        return 0
    ids = list(taken)
    await add_to_days(session, ids, -1)
    await session.execute(delete(LeadFacts).where(LeadFacts.lead_id.in_(ids)))
    await session.execute(delete(EventFacts).where(EventFacts.lead_id.in_(ids)))
    lead_columns = [column.name for column in LeadFacts.__table__.columns]
    await session.execute(insert(LeadFacts).from_select(lead_columns, lead_facts(Lead.id.in_(ids))))
    event_columns = [column.name for column in EventFacts.__table__.columns if column.name != "id"]
    events = union_all(send_facts(Lead.id.in_(ids)), alert_facts(Lead.id.in_(ids)))
    await session.execute(insert(EventFacts).from_select(event_columns, events))
    await add_to_days(session, ids, 1)
    await session.execute(
        delete(DailyFunnel).where(DailyFunnel.tenant_id == tenant_id, DailyFunnel.leads == 0)
    )
    await session.execute(
        delete(DailyChannel).where(DailyChannel.tenant_id == tenant_id, DailyChannel.leads == 0)
    )
    return len(ids)


async def add_to_days(session: AsyncSession, ids: list[int], sign: int) -> None:
    """Add (sign 1) or take out (sign -1) the stored facts of these leads in the agencies' daily counts."""
    f = LeadFacts
    day = utc_day(f.arrived_at)
    counts = [DailyFunnel.__table__.c[name] for name in FUNNEL_COUNTS]
    funnel = pg_insert(DailyFunnel).from_select(
        ["tenant_id", "day", "source", "code", "temperature", *FUNNEL_COUNTS],
        select(
            f.tenant_id,
            day,
            f.source,
            f.code,
            f.temperature,
            sign * func.count(),
            *(sign * func.count().filter(f.__table__.c[name]) for name in FUNNEL_COUNTS[1:]),
        )
        .where(f.lead_id.in_(ids))
        .group_by(f.tenant_id, day, f.source, f.code, f.temperature),
    )
    await session.execute(
        funnel.on_conflict_do_update(
            index_elements=["tenant_id", "day", "source", "code", "temperature"],
            set_={c.name: c + funnel.excluded[c.name] for c in counts},
        )
    )
    wrote = (
        func.unnest(f.channels, f.channel_messages)
        .table_valued("channel", "messages")
        .render_derived(name="wrote")
    )
    channels = pg_insert(DailyChannel).from_select(
        ["tenant_id", "day", "channel", *CHANNEL_COUNTS],
        select(
            f.tenant_id,
            day,
            wrote.c.channel,
            sign * func.count(),
            sign * func.sum(wrote.c.messages),
            sign * func.count().filter(f.viewing),
            sign * func.count().filter(f.won),
        )
        .select_from(f)
        .join(wrote, true())
        .where(f.lead_id.in_(ids))
        .group_by(f.tenant_id, day, wrote.c.channel),
    )
    await session.execute(
        channels.on_conflict_do_update(
            index_elements=["tenant_id", "day", "channel"],
            set_={name: DailyChannel.__table__.c[name] + channels.excluded[name] for name in CHANNEL_COUNTS},
        )
    )


async def refresh_tenant(
    database: Database,
    clock: Clock,
    tenant_id: int,
    *,
    full: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Refreshed:
    """Consolidate the agency's stale leads (all of its leads with `full`), batch by batch."""
    if full:
        await mark_all_stale(database, tenant_id)
    done = 0
    while True:
        async with database.session() as session:
            taken = await consolidate_batch(session, tenant_id)
        if not taken:
            break
        done += taken
        if progress is not None:
            progress(taken)
    now = clock.now()
    async with database.session() as session:
        await session.execute(
            pg_insert(FactsRefresh)
            .values(tenant_id=tenant_id, refreshed_at=now)
            .on_conflict_do_update(index_elements=["tenant_id"], set_={"refreshed_at": now})
        )
    return Refreshed(tenant_id, done, now)


async def refresh_all(database: Database, clock: Clock) -> list[Refreshed]:
    """Consolidate the stale leads of every agency (the periodic job)."""
    async with database.session() as session:
        # Stale rows of agencies deleted since (their leads and facts went with them) would wait forever.
        await session.execute(delete(StaleLead).where(~exists().where(Tenant.id == StaleLead.tenant_id)))
        tenants = list(await session.scalars(select(Tenant.id).order_by(Tenant.id)))
    return [await refresh_tenant(database, clock, tenant_id) for tenant_id in tenants]


async def consolidated_at(session: AsyncSession, tenant_id: int) -> datetime | None:
    """When the agency's facts were last consolidated (None: never)."""
    found = await session.scalar(select(FactsRefresh.refreshed_at).where(FactsRefresh.tenant_id == tenant_id))
    return found
