"""`realty db seed`: the demo agency, its Bali catalog and the registry's test prospects. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import text

from agent.services.catalog.demo import DEMO_LISTINGS, DEMO_PROSPECTS, DEMO_TENANT, DEMO_TENANT_SLUG
from agent.services.catalog.schema import ListingIn
from agent.services.jobs.sequences import ensure_default_sequences
from agent.services.leads import ensure_demo_rep
from storage.repositories.listings import Progress, UpsertReport, upsert_listings
from storage.repositories.seed import count_prospects, insert_missing_prospects
from storage.repositories.tenants import TenantRepository

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from agent.adapters.embeddings import Embedder
    from agent.settings import Settings


@dataclass(frozen=True)
class SeedReport:
    tenant_id: int
    tenant_slug: str
    tenant_name: str
    tenant_created: bool
    listings: UpsertReport
    prospects_created: int
    prospects_total: int
    demo_rep: str


async def seed_demo(
    session: AsyncSession,
    embedder: Embedder,
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> SeedReport:
    """Create the demo tenant if missing, upsert its listings, add missing test prospects, make sure a
    bookable demo agent and the default follow-up sequences exist.

    An existing demo tenant keeps its settings; listings are brought back to the demo data (changed ones
    updated, unchanged ones untouched); prospects already there keep their status and assignments.
    """
    # Two first runs at once (say `realty chat` in two terminals): the second waits here for the first to
    # commit, then finds the demo agency and leaves it as it is.
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended('realty.seed_demo', 0))"))
    tenants = TenantRepository(session)
    tenant = await tenants.by_slug(DEMO_TENANT_SLUG)
    created = tenant is None
    if tenant is None:
        fields = dict(DEMO_TENANT)
        if settings is not None and settings.corporate_email_domain:
            fields["corporate_email_domain"] = settings.corporate_email_domain
        tenant = await tenants.create(**fields)
    listings = [ListingIn.model_validate(item).to_record() for item in DEMO_LISTINGS]
    report = await upsert_listings(session, tenant.id, listings, embedder, progress=progress)
    prospects_created = await insert_missing_prospects(session, tenant.id, DEMO_PROSPECTS)
    rep = await ensure_demo_rep(session, tenant)
    await ensure_default_sequences(session, tenant.id)
    return SeedReport(
        tenant_id=tenant.id,
        tenant_slug=tenant.slug,
        tenant_name=tenant.name,
        tenant_created=created,
        listings=report,
        prospects_created=prospects_created,
        prospects_total=await count_prospects(session, tenant.id),
        demo_rep=f"{rep.name} <{rep.email}>",
    )
