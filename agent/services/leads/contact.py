"""The lead's contact details: phone and e-mail validated (`field_rules`), saved, and the first phone alerts the team.

A phone or e-mail that would replace a different one the lead gave before is not saved: it comes back as
`pending`, for the conversation to ask the lead first ("Shall I replace …?"), and is saved with `replace=True`
once they say yes. The lead row never holds an unconfirmed value, so no alert fires on one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import phonenumbers
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.nlu.text import clean_name
from agent.core.policies.alerts import AlertKind, phone_alert_due
from agent.core.policies.field_rules import FieldRejected, replaces, valid_email, valid_phone
from agent.services.integrations import events as integration_events
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
        return valid_phone(raw, region)
    except FieldRejected as exc:
        raise InvalidPhone(str(exc)) from None


def phone_error(language: str, region: str) -> str:
    example = phonenumbers.example_number_for_type(region.upper(), phonenumbers.PhoneNumberType.MOBILE)
    shown = (
        phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        if example
        else "+1 202 555 0123"
    )
    return text(language, "sales", "phone_rejected", example=shown)


def shown_phone(e164: str) -> str:
    """A stored number as people read it: "+62 812-3456-7890"."""
    try:
        return phonenumbers.format_number(
            phonenumbers.parse(e164, None), phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
    except phonenumbers.NumberParseException:
        return e164


def replace_question(language: str, field: str, old: str, new: str) -> str:
    """ "Shall I replace +62 812… with +62 813…?", in the lead's language."""
    if field == "phone":
        old, new = shown_phone(old), shown_phone(new)
    return text(language, "sales", f"{field}_replace_confirm", old=old, new=new)


@dataclass
class ContactResult:
    saved: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    """Per field refused, the sentence that says why, in the lead's language."""
    pending: dict[str, str] = field(default_factory=dict)
    """Per field, a valid new value that would replace a different one: kept nowhere until the lead says yes."""
    alerted: bool = False

    @property
    def status(self) -> str:
        """saved | confirm (a replacement to ask about) | rejected | unchanged."""
        if self.pending:
            return "confirm"
        if self.errors and not self.saved:
            return "rejected"
        return "saved" if self.saved else "unchanged"


async def save_contact(
    session: AsyncSession,
    lead: Lead,
    *,
    now: datetime,
    phone: str | None = None,
    email: str | None = None,
    name: str | None = None,
    replace: bool = False,
) -> ContactResult:
    """Validate and keep the lead's contact details; the first phone number alerts the team once.

    A valid phone or e-mail different from the one kept is only `pending` unless `replace` (the lead
    confirmed it); an invalid one is refused in `errors`. Neither touches the lead.
    """
    tenant = await tenant_of(session, lead)
    result = ContactResult()
    had_phone = bool(lead.phone)
    if phone and str(phone).strip():
        try:
            number = valid_phone(phone, tenant.country_code)
        except FieldRejected:
            result.errors["phone"] = phone_error(lead.language, tenant.country_code)
        else:
            if replaces(lead.phone, number) and not replace:
                result.pending["phone"] = number
            else:
                lead.phone = number
                result.saved["phone"] = number
    if email and str(email).strip():
        try:
            address = valid_email(email)
        except FieldRejected:
            result.errors["email"] = text(lead.language, "sales", "email_rejected")
        else:
            if replaces(lead.email, address) and not replace:
                result.pending["email"] = address
            else:
                lead.email = address
                result.saved["email"] = address
    cleaned = clean_name(name)
    if cleaned:
        lead.name = cleaned
        result.saved["name"] = cleaned
    if result.saved:
        await LeadRepository(session).add_interaction(
            lead, type="contact_saved", direction="inbound", now=now, meta={"fields": sorted(result.saved)}
        )
    if "phone" in result.saved or "email" in result.saved:
        previous = lead.status
        advance_status(lead, LeadStatus.CONTACT_CAPTURED)
        await integration_events.lead_status_changed(session, lead, previous, now)
    await lead_changed(session, lead, now)
    if phone_alert_due(had_phone, bool(lead.phone)):
        result.alerted = await raise_alert(session, lead, AlertKind.PHONE_CAPTURED, now)
    return result
