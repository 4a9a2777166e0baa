"""Create, change and find agencies from what an operator typed; every refusal is one line saying what to do."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.agencies import fields
from agent.services.agencies.fields import AgencyFieldError
from storage.models import Tenant
from storage.repositories.tenants import TenantRepository

DEMO_SLUG = "demo"
"""The demo agency `realty chat` seeds (agent.services.catalog.demo); never the default for other commands."""


class AgencyError(ValueError):
    """An agency command that cannot be done as asked; the message says what to do."""


@dataclass(frozen=True)
class AgencyInput:
    """Settings as an operator typed them; None (or no rate) leaves a setting as it is."""

    name: str | None = None
    time_zone: str | None = None
    currency: str | None = None
    language: str | None = None
    country: str | None = None
    email_domain: str | None = None
    quiet_hours: str | None = None
    ghost_delay: str | None = None
    alert_chat: str | None = None
    meeting_provider: str | None = None
    rates: tuple[str, ...] = ()
    clear_rates: bool = False

    def columns(self, current: Tenant | None = None) -> dict[str, Any]:
        """The tenants columns to write, each checked (AgencyFieldError on the first bad value)."""
        out: dict[str, Any] = {}
        if self.name is not None:
            out["name"] = fields.name(self.name)
        if self.time_zone is not None:
            out["time_zone"] = fields.time_zone(self.time_zone)
        if self.currency is not None:
            out["default_currency"] = fields.currency(self.currency)
        if self.language is not None:
            out["default_language"] = fields.language(self.language)
        if self.country is not None:
            out["country_code"] = fields.country(self.country)
        if self.email_domain is not None:
            out["corporate_email_domain"] = fields.email_domain(self.email_domain)
        if self.quiet_hours is not None:
            out["quiet_hours_start"], out["quiet_hours_end"] = fields.quiet_hours(self.quiet_hours)
        if self.ghost_delay is not None:
            out["ghost_after_minutes"] = fields.ghost_delay(self.ghost_delay)
        if self.alert_chat is not None:
            out["alert_chat_id"] = fields.alert_chat(self.alert_chat)
        if self.meeting_provider is not None:
            out["meeting_provider"] = fields.meeting_provider(self.meeting_provider)
        new_base = out.get("default_currency")
        if (
            new_base
            and current is not None
            and new_base in (current.exchange_rates or {})
            and not self.clear_rates
        ):
            # a rate into the agency's own currency means nothing
            out["exchange_rates"] = {
                k: v for k, v in (current.exchange_rates or {}).items() if k != new_base
            } or None
        if self.rates or self.clear_rates:
            kept = out.get("exchange_rates", current.exchange_rates if current is not None else None)
            rates = {} if self.clear_rates else dict(kept or {})
            base = out.get("default_currency") or (current.default_currency if current else "USD")
            for typed in self.rates:
                code, rate = fields.exchange_rate(typed)
                if code == base:
                    raise AgencyFieldError(f"{code} is the agency's own currency: it needs no exchange rate")
                rates[code] = rate
            out["exchange_rates"] = rates or None
        return out


async def _no_such_agency(session: AsyncSession, slug: str) -> AgencyError:
    slugs = await TenantRepository(session).slugs()
    if not slugs:
        return AgencyError(f"no agency '{slug}', and none yet: create one with `realty tenants create NAME`")
    return AgencyError(f"no agency '{slug}': the agencies are {', '.join(slugs)} (see `realty tenants list`)")


async def find_agency(session: AsyncSession, slug: str) -> Tenant:
    tenant = await TenantRepository(session).by_slug(slug.strip().lower())
    if tenant is None:
        raise await _no_such_agency(session, slug)
    return tenant


async def agency_for_command(session: AsyncSession, slug: str | None) -> Tenant:
    """The agency asked for; without --tenant, the only agency (the demo one counts only when alone)."""
    if slug:
        return await find_agency(session, slug)
    tenants = await TenantRepository(session).all()
    own = [tenant for tenant in tenants if tenant.slug != DEMO_SLUG] or tenants
    if len(own) == 1:
        return own[0]
    if not own:
        raise AgencyError("no agency yet: create one with `realty tenants create NAME`")
    raise AgencyError(
        f"there are several agencies: pass --tenant SLUG, one of {', '.join(t.slug for t in own)}"
    )


async def _check_domain_is_free(session: AsyncSession, columns: dict[str, Any], slug: str) -> None:
    domain = columns.get("corporate_email_domain")
    if not domain:
        return
    owner = await TenantRepository(session).by_email_domain(domain)
    if owner is not None and owner.slug != slug:
        raise AgencyError(
            f"the e-mail domain {domain} already belongs to agency '{owner.slug}': reps could not tell the two "
            f"apart; clear it there first (`realty tenants set {owner.slug} --email-domain none`)"
        )


async def create_agency(session: AsyncSession, name: str, slug: str | None, typed: AgencyInput) -> Tenant:
    """A new agency with these settings (the model's defaults for the rest)."""
    chosen = fields.slug(slug) if slug else fields.slug_from(name)
    tenants = TenantRepository(session)
    if await tenants.by_slug(chosen) is not None:
        raise AgencyError(
            f"an agency with slug '{chosen}' exists: choose another with --slug, "
            f"or change that one with `realty tenants set {chosen}`"
        )
    columns = replace(typed, name=name).columns()
    await _check_domain_is_free(session, columns, chosen)
    return await tenants.create(slug=chosen, **columns)


async def change_agency(session: AsyncSession, slug: str, typed: AgencyInput) -> tuple[Tenant, list[str]]:
    """The agency with these settings changed, and the names of the columns that changed."""
    tenant = await find_agency(session, slug)
    columns = typed.columns(tenant)
    if not columns:
        raise AgencyError("nothing to change: pass at least one option (see `realty tenants set --help`)")
    await _check_domain_is_free(session, columns, tenant.slug)
    changed = [column for column, value in columns.items() if getattr(tenant, column) != value]
    await TenantRepository(session).update(tenant, **columns)
    return tenant, changed


def agency_view(tenant: Tenant, *, has_lead_bot: bool) -> dict[str, Any]:
    """What `tenants show` prints: every setting, never the lead bot's token."""
    return {
        "id": tenant.id,
        "name": tenant.name,
        "slug": tenant.slug,
        "time_zone": tenant.time_zone,
        "default_currency": tenant.default_currency,
        "default_language": tenant.default_language,
        "country_code": tenant.country_code,
        "corporate_email_domain": tenant.corporate_email_domain,
        "quiet_hours": f"{tenant.quiet_hours_start:%H:%M}-{tenant.quiet_hours_end:%H:%M}",
        "ghost_after_minutes": tenant.ghost_after_minutes,
        "alert_chat_id": tenant.alert_chat_id,
        "meeting_provider": tenant.meeting_provider,
        "exchange_rates": dict(tenant.exchange_rates or {}),
        "lead_bot": (f"@{tenant.lead_bot_username}" if tenant.lead_bot_username else "set")
        if has_lead_bot
        else None,
    }


async def lead_bot_tenant_ids(session: AsyncSession) -> set[int]:
    """The agencies with a lead bot token (the token itself is never read out here)."""
    return {tenant.id for tenant in await TenantRepository(session).with_lead_bots()}
