"""The lead's contact details: phone and e-mail normalised, saved, and the first phone alerts the team."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import phonenumbers
from email_validator import EmailNotValidError
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.nlu.contact import normalize_email
from agent.core.nlu.text import clean_name
from agent.core.policies.alerts import AlertKind, phone_alert_due
from agent.services.leads.scoring import lead_changed, raise_alert, tenant_of
from agent.services.leads.status import advance_status
from prompts import text
from storage.models import Lead, LeadStatus
from storage.repositories.leads import LeadRepository


class InvalidPhone(ValueError):
    pass


def normalize_phone(raw: str, region: str) -> str:
    """E.164 of a phone number written locally (tenant's region) or internationally; InvalidPhone otherwise."""
    try:
        number = phonenumbers.parse(raw, region.upper())
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(str(exc)) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(f"{raw!r} is not a valid number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_error(language: str, region: str) -> str:
    example = phonenumbers.example_number_for_type(region.upper(), phonenumbers.PhoneNumberType.MOBILE)
    shown = (
        phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        if example
        else "+1 202 555 0123"
    )
    return text(language, "sales", "phone_rejected", example=shown)


@dataclass
class ContactResult:
    saved: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    alerted: bool = False


async def save_contact(
    session: AsyncSession,
    lead: Lead,
    *,
    now: datetime,
    phone: str | None = None,
    email: str | None = None,
    name: str | None = None,
) -> ContactResult:
    """Validate and keep the lead's contact details; the first phone number alerts the team once."""
    tenant = await tenant_of(session, lead)
    result = ContactResult()
    had_phone = bool(lead.phone)
    if phone and phone.strip():
        try:
            lead.phone = normalize_phone(phone, tenant.country_code)
            result.saved["phone"] = lead.phone
        except InvalidPhone:
            result.errors["phone"] = phone_error(lead.language, tenant.country_code)
    if email and email.strip():
        try:
            lead.email = normalize_email(email)
            result.saved["email"] = lead.email
        except EmailNotValidError:
            result.errors["email"] = text(lead.language, "sales", "email_rejected")
    cleaned = clean_name(name)
    if cleaned:
        lead.name = cleaned
        result.saved["name"] = cleaned
    if result.saved:
        await LeadRepository(session).add_interaction(
            lead, type="contact_saved", direction="inbound", now=now, meta={"fields": sorted(result.saved)}
        )
    if "phone" in result.saved or "email" in result.saved:
        advance_status(lead, LeadStatus.CONTACT_CAPTURED)
    await lead_changed(session, lead, now)
    if phone_alert_due(had_phone, bool(lead.phone)):
        result.alerted = await raise_alert(session, lead, AlertKind.PHONE_CAPTURED, now)
    return result
