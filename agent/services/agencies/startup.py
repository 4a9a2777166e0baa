"""What `realty bot` does with the agencies when it starts: make sure reps can register, and say who is served.

On a fresh install with CORPORATE_EMAIL_DOMAIN set, no agency takes that domain yet: one is created for it
(named after the domain, time zone UTC until `realty tenants set` says otherwise), or the one agency an operator
already created takes it. The demo agency `realty chat` seeds is never given the domain.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.agencies.agencies import DEMO_SLUG, lead_bot_tenant_ids
from agent.services.agencies.fields import AgencyFieldError, email_domain, slug_from
from agent.settings import Settings
from storage.db import Database
from storage.models import Tenant
from storage.repositories.tenants import TenantRepository


def name_from_domain(domain: str) -> str:
    """ "acme-realty.co.id" -> "Acme Realty"."""
    return slug_from(domain.split(".")[0]).replace("-", " ").title() or domain


async def _free_slug(session: AsyncSession, wanted: str) -> str:
    tenants = TenantRepository(session)
    candidate, n = wanted, 1
    while candidate == DEMO_SLUG or await tenants.by_slug(candidate) is not None:
        n += 1
        candidate = f"{wanted[:60]}-{n}"
    return candidate


async def ensure_default_agency(
    session: AsyncSession, settings: Settings
) -> tuple[Tenant | None, str | None]:
    """The agency that takes CORPORATE_EMAIL_DOMAIN, and what was done to have it ("created", "took"), if anything.

    None when the setting is unset, or when several agencies exist and none takes the domain (the operator
    chooses, with `realty tenants set SLUG --email-domain ...`).
    """
    try:
        domain = email_domain(settings.corporate_email_domain or "")
    except AgencyFieldError:
        return None, None
    if domain is None:
        return None, None
    # Several `realty bot` processes may start at once: one at a time decides, the others find its agency.
    tenants = TenantRepository(session)
    await tenants.lock_default_agency()
    owner = await tenants.by_email_domain(domain)
    if owner is not None:
        return owner, None
    own = [tenant for tenant in await tenants.all() if tenant.slug != DEMO_SLUG]
    if not own:
        slug = await _free_slug(session, slug_from(domain.split(".")[0]))
        return await tenants.create(
            name=name_from_domain(domain), slug=slug, corporate_email_domain=domain
        ), "created"
    if len(own) == 1 and not own[0].corporate_email_domain:
        await tenants.update(own[0], corporate_email_domain=domain)
        return own[0], "took"
    return None, None


async def agencies_on_start(database: Database, settings: Settings) -> list[str]:
    """Make sure reps can register (see the module docstring); the lines `realty bot` prints about the agencies."""
    async with database.session() as session:
        default, done = await ensure_default_agency(session, settings)
        tenants = await TenantRepository(session).all()
        with_bot = await lead_bot_tenant_ids(session)
    lines: list[str] = []
    if default is not None and done == "created":
        lines.append(
            f"created agency '{default.slug}' for e-mails @{default.corporate_email_domain} (time zone UTC; "
            f"change it with `realty tenants set {default.slug} --time-zone ZONE`)"
        )
    elif default is not None and done == "took":
        lines.append(f"agency '{default.slug}' now takes reps' e-mails @{default.corporate_email_domain}")
    elif settings.corporate_email_domain and default is None:
        lines.append(
            f"no agency takes e-mails @{settings.corporate_email_domain}: "
            "give one the domain with `realty tenants set SLUG --email-domain DOMAIN`"
        )
    if not tenants:
        lines.append(
            "no agency yet, so reps cannot register: set CORPORATE_EMAIL_DOMAIN or run `realty tenants create NAME`"
        )
    for tenant in tenants:
        if tenant.id in with_bot:
            bot = (
                f"lead bot @{tenant.lead_bot_username}"
                if tenant.lead_bot_username
                else "lead bot (name unknown)"
            )
        else:
            bot = "no lead bot"
        lines.append(f"serving {tenant.name} ({tenant.slug}): {bot}")
    return lines
