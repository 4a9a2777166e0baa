"""Which agency (tenant) an e-mail belongs to; the team bot is one for all agencies.

A rep's tenant comes from their e-mail's domain: the tenant whose `corporate_email_domain` it is; otherwise,
when it is CORPORATE_EMAIL_DOMAIN, the only tenant (or the oldest tenant without a domain of its own). When no
domain is configured anywhere, any valid e-mail is accepted and a single tenant takes it.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.team.errors import EmailRejected, RegistrationClosed
from agent.settings import Settings
from storage.models import Tenant
from storage.repositories.tenants import TenantRepository


def domain_of(value: str | None) -> str | None:
    """A configured domain as compared ("@Agency.ru " -> "agency.ru"); None when unset."""
    return value.strip().lower().lstrip("@") if value and value.strip() else None


async def accepted_domains(session: AsyncSession, settings: Settings) -> tuple[str, ...]:
    """Every e-mail domain some tenant takes, the tenants' own first."""
    domains = [domain_of(t.corporate_email_domain) for t in await TenantRepository(session).all()]
    domains.append(domain_of(settings.corporate_email_domain))
    return tuple(dict.fromkeys(d for d in domains if d))


async def tenant_for_email(session: AsyncSession, settings: Settings, email: str) -> Tenant:
    """The tenant a normalised e-mail registers with; raises EmailRejected('domain') or RegistrationClosed."""
    domain = email.rsplit("@", 1)[1].lower()
    tenants = await TenantRepository(session).all()
    if not tenants:
        raise RegistrationClosed("no agency is set up yet")
    for tenant in tenants:
        if domain_of(tenant.corporate_email_domain) == domain:
            return tenant
    setting = domain_of(settings.corporate_email_domain)
    accepted = await accepted_domains(session, settings)
    if domain == setting or not accepted:
        if len(tenants) == 1:
            return tenants[0]
        without_domain = [tenant for tenant in tenants if not tenant.corporate_email_domain]
        if without_domain:
            return without_domain[0]
        if not accepted:
            raise RegistrationClosed("several agencies and no corporate domain configured")
    raise EmailRejected("domain", accepted)
