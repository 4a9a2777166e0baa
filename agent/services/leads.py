"""Lead service: what the bot, the tools and the jobs do to a lead, one transaction at a time.

Every function takes the caller's session (the caller owns the transaction) and a lead loaded in it,
scoped by tenant (`load_lead`). Nothing here trusts text the model produced to choose a record.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.policies.alerts import (
    ALERT_CHANNEL,
    AlertFacts,
    AlertKind,
    burning_alert_due,
    phone_alert_due,
)
from agent.core.policies.vocabulary import language_of
from agent.core.scoring import (
    LeadScore,
    LeadSignals,
    count_specific_questions,
    count_urgency_mentions,
    score_lead,
)
from agent.services.jobs.outreach import mark_prospect_replied
from prompts.alerts import alert_payload
from storage.models import (
    Lead,
    LeadInteraction,
    LeadStatus,
    PropertyType,
    RepStatus,
    SalesRepresentative,
    Tenant,
    Transaction,
)
from storage.repositories.followups import FollowUpRepository
from storage.repositories.leads import FactorRow, LeadRepository
from storage.repositories.reps import RepRepository
from storage.repositories.viewings import ViewingRepository

log = logging.getLogger(__name__)

InboundKind = Literal["text", "voice", "contact", "button", "start"]

# Interaction type recorded for each kind of inbound update.
INBOUND_TYPES: dict[str, str] = {
    "text": "message",
    "voice": "voice",
    "contact": "contact",
    "button": "button",
    "start": "start",
}
# Kinds that are messages the lead wrote or spoke (scored as messages; voice also as voice).
MESSAGE_KINDS = frozenset({"text", "voice", "contact"})


# --- Loading and creating -------------------------------------------------------------------------------


async def load_lead(session: AsyncSession, tenant_id: int, lead_id: int, *, for_update: bool = True) -> Lead:
    """The lead of this tenant, locked for this transaction by default; LeadNotFound otherwise."""
    return await LeadRepository(session).require(tenant_id, lead_id, for_update=for_update)


async def get_or_create_telegram_lead(
    session: AsyncSession,
    tenant: Tenant,
    telegram_user_id: int,
    *,
    chat_id: int | None = None,
    username: str | None = None,
    name: str | None = None,
    language: str | None = None,
) -> Lead:
    """The lead behind a Telegram user of this tenant's bot, created on first contact.

    `name` (the Telegram profile's name) fills in a lead with no name yet; a name the lead gave is kept.
    """
    lead = await LeadRepository(session).get_or_create_by_telegram(
        tenant.id,
        telegram_user_id,
        telegram_chat_id=chat_id,
        telegram_username=username,
        name=clean_name(name),
        language=language_of(language or tenant.default_language),
    )
    if chat_id is not None and lead.telegram_chat_id != chat_id:
        lead.telegram_chat_id = chat_id
    if username and lead.telegram_username != username:
        lead.telegram_username = username
    if lead.name is None and clean_name(name):
        lead.name = clean_name(name)
    return lead


def telegram_name(first_name: str | None, last_name: str | None = None) -> str | None:
    """A Telegram profile's (or shared contact's) display name: "first last", cleaned; None when blank."""
    return clean_name(" ".join(part for part in (first_name, last_name) if part))


async def create_lead(
    session: AsyncSession, tenant_id: int, *, name: str | None = None, language: str = "en"
) -> Lead:
    """A lead with no Telegram identity (CLI chat, evals, imports)."""
    return await LeadRepository(session).create(
        tenant_id, name=clean_name(name), language=language_of(language)
    )


# --- Inbound, outbound, sources ----------------------------------------------------------------------------


async def record_inbound(
    session: AsyncSession, lead: Lead, *, text: str | None, kind: InboundKind, now: datetime
) -> LeadInteraction:
    """Count what the lead just sent, keep it as an interaction, and rescore the lead.

    text/voice/contact are messages (voice also counts as voice); buttons and /start are interactions
    only. Urgency and specific questions are read from the text (a voice message's transcript).
    The lead's open follow-ups are cancelled at once (the dispatcher would drop them anyway: the lead
    wrote first), so the team never sees a stale one; their viewing reminders stay.
    """
    if kind not in INBOUND_TYPES:
        raise ValueError(f"unknown inbound kind {kind!r}")
    if kind in MESSAGE_KINDS:
        lead.message_count += 1
    if kind == "voice":
        lead.voice_message_count += 1
    lead.total_interactions += 1
    if text and kind in ("text", "voice"):
        lead.urgency_mentions += count_urgency_mentions(text)
        lead.specific_questions += count_specific_questions(text)
    lead.last_inbound_at = now
    if lead.first_inbound_at is None:
        lead.first_inbound_at = now
    interaction = await LeadRepository(session).add_interaction(
        lead, type=INBOUND_TYPES[kind], direction="inbound", text=text, now=now
    )
    await FollowUpRepository(session).cancel_open_for_lead(
        lead.id, "lead wrote first", keep_viewing_messages=True
    )
    await rescore(session, lead, now)
    return interaction


async def record_outbound(
    session: AsyncSession,
    lead: Lead,
    *,
    text: str | None,
    now: datetime,
    type: str = "message",
    channel: str = "telegram",
    meta: dict[str, object] | None = None,
) -> LeadInteraction:
    """Keep something we sent the lead (a reply, a follow-up, listings)."""
    lead.last_outbound_at = now
    return await LeadRepository(session).add_interaction(
        lead, type=type, direction="outbound", text=text, channel=channel, meta=meta, now=now
    )


PROSPECT_PREFIX = "p"
"""`p_<prospect id>`: the link outreach sends a prospect (agent.services.jobs.outreach.prospect_link)."""


@dataclass(frozen=True)
class DeepLinkSource:
    prefix: str
    source: str
    counter: Literal["qr_scan_count", "catalog_views"] | None
    interaction: str


# The one table of deep-link codes (`t.me/<bot>?start=<code>`). A code is `<prefix>` or
# `<prefix>_<detail>` / `<prefix>-<detail>`, e.g. `expo_dubai2026`, `catalog_villas`, `ref_anna`.
# The first code a lead arrives with sets `source` (first-touch attribution); every scan counts.
DEEP_LINK_SOURCES: tuple[DeepLinkSource, ...] = (
    DeepLinkSource("expo", "expo_qr", "qr_scan_count", "qr_scan"),
    DeepLinkSource("qr", "expo_qr", "qr_scan_count", "qr_scan"),
    DeepLinkSource("catalog", "catalog", "catalog_views", "catalog_view"),
    DeepLinkSource("ref", "referral", None, "referral"),
    DeepLinkSource("web", "website", None, "deep_link"),
    DeepLinkSource("ads", "ads", None, "deep_link"),
    DeepLinkSource("outreach", "outreach", None, "deep_link"),
    DeepLinkSource(PROSPECT_PREFIX, "outreach", None, "prospect_reply"),
)
_DEEP_LINK_CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def deep_link_source(code: str) -> DeepLinkSource | None:
    """The table row of a deep-link code, or None for an unknown or malformed code."""
    if not _DEEP_LINK_CODE.match(code):
        return None
    prefix = re.split(r"[_-]", code.lower(), maxsplit=1)[0]
    return next((row for row in DEEP_LINK_SOURCES if row.prefix == prefix), None)


async def record_source(session: AsyncSession, lead: Lead, code: str, now: datetime) -> str | None:
    """Attribute a deep-link start: count the scan or view, set the first-touch source, rescore.

    A prospect's link (`p_<id>`) also marks that prospect of this tenant as replied and links it to the lead;
    an unknown or another tenant's prospect id is an unknown code.
    Returns the source name, or None when the code is unknown (it is still kept as an interaction).
    """
    code = code.strip()
    if not _DEEP_LINK_CODE.match(code):
        log.info("lead %s: ignored malformed deep-link code", lead.id)
        return None
    row = deep_link_source(code)
    if (
        row is not None
        and row.prefix == PROSPECT_PREFIX
        and not await _prospect_replied(session, lead, code[len(PROSPECT_PREFIX) + 1 :], now)
    ):
        log.info("lead %s: ignored a link to an unknown prospect", lead.id)
        row = None
    if row is not None and row.counter == "qr_scan_count":
        lead.qr_scan_count += 1
    elif row is not None and row.counter == "catalog_views":
        lead.catalog_views += 1
    lead.total_interactions += 1
    if lead.source is None and row is not None:
        lead.source = row.source
        lead.source_code = code
    elif lead.source_code is None:
        lead.source_code = code
    await LeadRepository(session).add_interaction(
        lead,
        type=row.interaction if row else "deep_link",
        direction="inbound",
        now=now,
        meta={"code": code, "source": row.source if row else None},
    )
    await rescore(session, lead, now)
    return row.source if row else None


async def _prospect_replied(session: AsyncSession, lead: Lead, prospect_id: str, now: datetime) -> bool:
    """Mark this tenant's prospect as in conversation with `lead`; False when there is no such prospect."""
    if not prospect_id:
        return False
    first_touch = lead.source is None
    prospect = await mark_prospect_replied(
        session,
        prospect_id,
        now=now,
        lead_id=lead.id,
        chat_id=lead.telegram_chat_id,
        tenant_id=lead.tenant_id,
    )
    if prospect is not None and first_touch:
        lead.source, lead.source_code = "outreach", f"{PROSPECT_PREFIX}_{prospect_id}"[:64]
    return prospect is not None


# --- Scoring and alerts ------------------------------------------------------------------------------------


def zone_of(name: str | None) -> ZoneInfo:
    """A zone by IANA name; an unknown or missing name is UTC (logged, never fatal)."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone %r, using UTC", name)
        return ZoneInfo("UTC")


def lead_signals(lead: Lead, zone: ZoneInfo) -> LeadSignals:
    """What the scoring core knows of a lead; the inquiry hour is the first message's local hour."""
    return LeadSignals(
        qr_scan_count=lead.qr_scan_count,
        catalog_views=lead.catalog_views,
        message_count=lead.message_count,
        voice_message_count=lead.voice_message_count,
        has_phone=bool(lead.phone),
        has_budget=lead.budget_max is not None or lead.budget_min is not None,
        has_transaction_type=bool(lead.transaction),
        has_property_type=bool(lead.property_type),
        has_location=bool(lead.location),
        has_payment_method=bool(lead.payment_method),
        last_interaction_at=lead.last_inbound_at,
        urgency_mentions=lead.urgency_mentions,
        specific_questions=lead.specific_questions,
        inquiry_local_hour=lead.first_inbound_at.astimezone(zone).hour if lead.first_inbound_at else None,
        source=lead.source,
    )


async def tenant_of(session: AsyncSession, lead: Lead) -> Tenant:
    tenant = await session.get(Tenant, lead.tenant_id)
    if tenant is None:  # the foreign key makes this impossible short of a concurrent delete
        raise LookupError(f"tenant {lead.tenant_id} of lead {lead.id} is gone")
    return tenant


async def rescore(session: AsyncSession, lead: Lead, now: datetime, language: str | None = None) -> LeadScore:
    """Recompute the score, store it with its factors, and alert the team on the first burning crossing."""
    tenant = await tenant_of(session, lead)
    previous = lead.lead_score if lead.scored_at is not None else None
    score = score_lead(
        lead_signals(lead, zone_of(lead.time_zone or tenant.time_zone)), now, language or lead.language
    )
    lead.lead_score = score.score
    lead.temperature = score.temperature.value
    lead.score_confidence = score.confidence
    lead.scored_at = now
    await LeadRepository(session).replace_factors(
        lead, [FactorRow(f.key, f.points, f.max_points, f.reason) for f in score.factors], now
    )
    if burning_alert_due(previous, score.score):
        await raise_alert(session, lead, AlertKind.BURNING, now)
    return score


async def raise_alert(
    session: AsyncSession, lead: Lead, kind: AlertKind, now: datetime, detail: str | None = None
) -> bool:
    """Record a hot-lead alert once per (lead, kind) and NOTIFY the team bot; False if it existed.

    Reasons are written in the tenant's language (the team reads them); the structured fields let
    the team bot render them in each rep's language.
    """
    tenant = await tenant_of(session, lead)
    team_language = tenant.default_language
    explained = score_lead(
        lead_signals(lead, zone_of(lead.time_zone or tenant.time_zone)), now, team_language
    )
    facts = AlertFacts(
        lead_id=lead.id,
        name=lead.name,
        phone=lead.phone,
        language=lead.language,
        transaction=lead.transaction,
        property_type=lead.property_type,
        location=lead.location,
        budget_min=lead.budget_min,
        budget_max=lead.budget_max,
        currency=lead.budget_currency,
        score=explained.score,
        temperature=explained.temperature.value,
        factors=explained.factors,
    )
    payload = alert_payload(kind, facts, team_language, detail)
    payload.update(
        transaction=lead.transaction,
        property_type=lead.property_type,
        location=lead.location,
        budget_min=json_number(lead.budget_min),
        budget_max=json_number(lead.budget_max),
        currency=lead.budget_currency,
    )
    alert_id = await LeadRepository(session).add_alert(
        lead, kind=kind.value, payload=payload, now=now, channel=ALERT_CHANNEL
    )
    if alert_id is not None:
        log.info("lead %s: %s alert %s recorded", lead.id, kind.value, alert_id)
    return alert_id is not None


# --- Profile -----------------------------------------------------------------------------------------------

QUALIFICATION_ORDER = (
    "transaction",
    "property_type",
    "location",
    "budget",
    "bedrooms",
    "payment_method",
    "name",
    "phone",
)


def missing_fields(lead: Lead) -> list[str]:
    """What the agent still has to learn, in the order it is worth asking."""
    known = {
        "transaction": bool(lead.transaction),
        "property_type": bool(lead.property_type),
        "location": bool(lead.location),
        "budget": lead.budget_max is not None or lead.budget_min is not None,
        "bedrooms": lead.bedrooms is not None or lead.property_type == PropertyType.LAND,
        "payment_method": bool(lead.payment_method),
        "name": bool(lead.name),
        "phone": bool(lead.phone),
    }
    return [name for name in QUALIFICATION_ORDER if not known[name]]


def lead_profile(lead: Lead) -> dict[str, object]:
    """The lead as JSON-able fields: identity, preferences, counters, score."""
    return {
        "id": lead.id,
        "name": lead.name,
        "phone": lead.phone,
        "email": lead.email,
        "language": lead.language,
        "status": lead.status,
        "source": lead.source,
        "transaction": lead.transaction,
        "property_type": lead.property_type,
        "location": lead.location,
        "budget_min": json_number(lead.budget_min),
        "budget_max": json_number(lead.budget_max),
        "currency": lead.budget_currency,
        "bedrooms": lead.bedrooms,
        "bathrooms": lead.bathrooms,
        "payment_method": lead.payment_method,
        "timeline": lead.timeline,
        "pets": lead.pets,
        "furnished": lead.furnished,
        "message_count": lead.message_count,
        "voice_message_count": lead.voice_message_count,
        "qr_scan_count": lead.qr_scan_count,
        "catalog_views": lead.catalog_views,
        "total_interactions": lead.total_interactions,
        "urgency_score": lead.urgency_score,
        "fomo_messages_sent": lead.fomo_messages_sent,
        "score": lead.lead_score,
        "temperature": lead.temperature,
        "confidence": lead.score_confidence,
        "assigned_rep_id": str(lead.assigned_rep_id) if lead.assigned_rep_id else None,
        "last_inbound_at": lead.last_inbound_at.isoformat() if lead.last_inbound_at else None,
    }


def json_number(value: Decimal | float | None) -> int | float | None:
    """A stored amount as a JSON number: 1200000.00 -> 1200000, 2.5 -> 2.5."""
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


# --- Preferences -------------------------------------------------------------------------------------------

PAYMENT_METHODS = ("cash", "mortgage", "installments", "crypto")

_PROPERTY_TYPE_ALIASES = {
    "flat": "apartment",
    "condo": "apartment",
    "studio": "apartment",
    "penthouse": "apartment",
    "apt": "apartment",
    "plot": "land",
    "home": "house",
    "town house": "townhouse",
    "town-house": "townhouse",
}
_TRANSACTION_ALIASES = {
    "buy": "sale",
    "buying": "sale",
    "purchase": "sale",
    "sell": "sale",
    "own": "sale",
    "rental": "rent",
    "renting": "rent",
    "lease": "rent",
    "let": "rent",
}
_PAYMENT_ALIASES = {
    "installment": "installments",
    "payment plan": "installments",
    "plan": "installments",
    "loan": "mortgage",
    "bank": "mortgage",
    "credit": "mortgage",
    "bitcoin": "crypto",
    "usdt": "crypto",
    "cryptocurrency": "crypto",
}
_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB", "руб": "RUB", "rub": "RUB"}
MAX_AMOUNT = Decimal("1e13")
MAX_ROOMS = 50


class PreferenceError(ValueError):
    """A value the lead's profile cannot take; `code` says which rule, for the reply."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def vocabulary_value(value: str, allowed: tuple[str, ...], aliases: Mapping[str, str], what: str) -> str:
    key = " ".join(value.strip().lower().replace("_", " ").split())
    key = aliases.get(key, key)
    if key not in allowed and key.endswith("s") and key[:-1] in allowed:
        key = key[:-1]
    if key not in allowed:
        raise PreferenceError("vocabulary", f"{what} must be one of: {', '.join(allowed)}")
    return key


def amount_value(value: float | int | str | Decimal) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise PreferenceError("number", "not a number") from None
    if not amount.is_finite():
        raise PreferenceError("number", "not a number")
    if amount < 0:
        raise PreferenceError("negative", "cannot be negative")
    if amount >= MAX_AMOUNT:
        raise PreferenceError("too_large", "too large")
    return amount.quantize(Decimal("0.01"))


def currency_value(value: str) -> str:
    key = value.strip()
    code = _CURRENCY_SYMBOLS.get(key.lower(), _CURRENCY_SYMBOLS.get(key, key.upper()))
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise PreferenceError("currency", "use a three-letter ISO currency code such as USD, EUR or AED")
    return code


def rooms_value(value: int | float) -> int:
    if isinstance(value, bool) or int(value) != value:
        raise PreferenceError("number", "must be a whole number")
    if not 0 <= int(value) <= MAX_ROOMS:
        raise PreferenceError("range", f"must be between 0 and {MAX_ROOMS}")
    return int(value)


def clean_name(value: str | None, limit: int = 200) -> str | None:
    if value is None:
        return None
    cleaned = " ".join(value.split())[:limit]
    return cleaned or None


@dataclass
class PreferenceUpdate:
    """What `update_preferences` changed and what it refused, per field."""

    updated: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def apply_preferences(lead: Lead, changes: Mapping[str, object]) -> PreferenceUpdate:
    """Validate and apply the given preference fields; None or "" means "not given".

    Budgets are non-negative and min <= max after the change (swapped otherwise). A field that fails
    validation is left as it was and reported in `errors`.
    """
    result = PreferenceUpdate()
    given = {key: value for key, value in changes.items() if value is not None and value != ""}

    def put(column: str, value: object, reported: str | None = None) -> None:
        if getattr(lead, column) != value:
            setattr(lead, column, value)
            result.updated.append(reported or column)

    converters: dict[str, tuple[str, Callable[[Any], object]]] = {
        "property_type": (
            "property_type",
            lambda v: vocabulary_value(str(v), tuple(PropertyType), _PROPERTY_TYPE_ALIASES, "property_type"),
        ),
        "transaction": (
            "transaction",
            lambda v: vocabulary_value(str(v), tuple(Transaction), _TRANSACTION_ALIASES, "transaction"),
        ),
        "payment_method": (
            "payment_method",
            lambda v: vocabulary_value(str(v), PAYMENT_METHODS, _PAYMENT_ALIASES, "payment_method"),
        ),
        "currency": ("budget_currency", lambda v: currency_value(str(v))),
        "bedrooms": ("bedrooms", rooms_value),
        "bathrooms": ("bathrooms", rooms_value),
        "location": ("location", lambda v: clean_name(str(v), 120)),
        "timeline": ("timeline", lambda v: clean_name(str(v), 120)),
        "name": ("name", lambda v: clean_name(str(v))),
        "pets": ("pets", _boolean),
        "furnished": ("furnished", _boolean),
    }
    for key, (column, convert) in converters.items():
        if key not in given:
            continue
        try:
            value = convert(given[key])
        except (PreferenceError, ValueError, TypeError) as exc:
            result.errors[key] = str(exc)
            continue
        if value is not None:
            put(column, value, key)

    budget_min, budget_max = lead.budget_min, lead.budget_max
    for key in ("budget_min", "budget_max"):
        if key in given:
            try:
                amount = amount_value(given[key])  # type: ignore[arg-type]  # float, int or str from the tool
            except PreferenceError as exc:
                result.errors[key] = str(exc)
                continue
            if key == "budget_min":
                budget_min = amount
            else:
                budget_max = amount
    if budget_min is not None and budget_max is not None and budget_min > budget_max:
        budget_min, budget_max = budget_max, budget_min
    if budget_min != lead.budget_min:
        put("budget_min", budget_min)
    if budget_max != lead.budget_max:
        put("budget_max", budget_max)
    advance_status(lead, qualification_status(lead))
    return result


def _boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise PreferenceError("boolean", "must be true or false")


_STATUS_RANK = {
    LeadStatus.NEW: 0,
    LeadStatus.QUALIFYING: 1,
    LeadStatus.QUALIFIED: 2,
    LeadStatus.CONTACT_CAPTURED: 3,
    LeadStatus.VIEWING_SCHEDULED: 4,
}


def advance_status(lead: Lead, status: LeadStatus) -> None:
    """Move the lead forward along the funnel; never backwards, never out of handoff/converted/lost."""
    current = _STATUS_RANK.get(LeadStatus(lead.status)) if lead.status in _STATUS_RANK else None
    if current is not None and _STATUS_RANK[status] > current:
        lead.status = status.value


def qualification_status(lead: Lead) -> LeadStatus:
    """Qualified once what, where, which way and how much are known; qualifying once anything is."""
    core = (lead.transaction, lead.property_type, lead.location, lead.budget_max or lead.budget_min)
    if all(core):
        return LeadStatus.QUALIFIED
    return LeadStatus.QUALIFYING if any(core) or lead.bedrooms is not None else LeadStatus.NEW


# --- Contact -----------------------------------------------------------------------------------------------

_PHONE_ERRORS = {
    "en": "That doesn't look like a valid phone number. Please send it with the country code, e.g. {example}.",
    "ru": "Похоже, это не номер телефона. Пришлите его с кодом страны, например {example}.",
    "fa": "این شماره تلفن معتبر به نظر نمی‌رسد. لطفاً با کد کشور بفرستید، مثلاً {example}.",
    "ar": "لا يبدو هذا رقم هاتف صالحاً. أرسله مع رمز الدولة، مثلاً {example}.",
}
_EMAIL_ERRORS = {
    "en": "That e-mail address doesn't look right. Could you check it?",
    "ru": "Кажется, в адресе e-mail ошибка. Проверьте, пожалуйста.",
    "fa": "به نظر می‌رسد آدرس ایمیل درست نیست. لطفاً بررسی کنید.",
    "ar": "يبدو أن عنوان البريد الإلكتروني غير صحيح. هل يمكنك التحقق منه؟",
}


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
    return _PHONE_ERRORS[language_of(language)].format(example=shown)


def normalize_email(raw: str) -> str:
    """The normalised address; EmailNotValidError when it is not one (no DNS lookups)."""
    return validate_email(raw.strip(), check_deliverability=False).normalized


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
            result.errors["email"] = _EMAIL_ERRORS[language_of(lead.language)]
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
    await rescore(session, lead, now)
    if phone_alert_due(had_phone, bool(lead.phone)):
        result.alerted = await raise_alert(session, lead, AlertKind.PHONE_CAPTURED, now)
    return result


# --- Reps and handoff --------------------------------------------------------------------------------------


async def candidate_reps(session: AsyncSession, lead: Lead, now: datetime) -> list[SalesRepresentative]:
    """Who may take this lead: its assigned rep while active, else every active rep, least busy first.

    Ties are broken by when the rep joined, then by id, so the order is stable.
    """
    active = await RepRepository(session).active_for_tenant(lead.tenant_id)
    assigned = next((rep for rep in active if rep.id == lead.assigned_rep_id), None)
    if assigned is not None:
        return [assigned]
    load = await ViewingRepository(session).upcoming_counts(lead.tenant_id, [rep.id for rep in active], now)
    return sorted(active, key=lambda rep: (load.get(rep.id, 0), rep.created_at, str(rep.id)))


async def hand_off(
    session: AsyncSession, lead: Lead, reason: str, now: datetime
) -> SalesRepresentative | None:
    """The lead asked for a person: assign a rep if none, mark handed off, alert the team."""
    reps = await candidate_reps(session, lead, now)
    rep = reps[0] if reps else None
    if rep is not None and lead.assigned_rep_id is None:
        lead.assigned_rep_id = rep.id
    lead.status = LeadStatus.HANDED_OFF.value
    reason = " ".join(reason.split())[:500]
    await LeadRepository(session).add_interaction(
        lead,
        type="handoff",
        direction="inbound",
        text=reason,
        now=now,
        meta={"rep_id": str(rep.id) if rep else None},
    )
    await raise_alert(session, lead, AlertKind.HANDOFF, now, detail=reason)
    return rep


DEMO_REP_TELEGRAM_ID = 100000001
"""A clearly fake Telegram id: the demo agent can be booked but never receives messages."""


async def ensure_demo_rep(session: AsyncSession, tenant: Tenant) -> SalesRepresentative:
    """An ACTIVE "Demo Agent" in this tenant, so the offline demo can book viewings. Idempotent."""
    repo = RepRepository(session)
    rep = await repo.by_telegram_id(DEMO_REP_TELEGRAM_ID, tenant_id=tenant.id)
    domain = tenant.corporate_email_domain or f"{tenant.slug}.example"
    if rep is None:
        rep = SalesRepresentative(
            id=uuid.uuid4(),
            tenant_id=tenant.id,
            telegram_id=DEMO_REP_TELEGRAM_ID,
            name="Demo Agent",
            email=f"demo.agent@{domain}",
            language=tenant.default_language,
            working_hours={},
        )
        session.add(rep)
    rep.status = RepStatus.ACTIVE.value
    await session.flush()
    return rep
