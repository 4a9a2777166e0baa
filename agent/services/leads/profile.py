"""The lead as the agent sees it: its fields as JSON, and what is still to be learned."""

from __future__ import annotations

from decimal import Decimal

from storage.models import Lead, PropertyType

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
        "property_types": list(lead.property_types or ([lead.property_type] if lead.property_type else [])),
        "location": lead.location,
        "locations": list(lead.locations or ([lead.location] if lead.location else [])),
        "budget_min": json_number(lead.budget_min),
        "budget_max": json_number(lead.budget_max),
        "currency": lead.budget_currency,
        "budget_period": lead.budget_period,
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
