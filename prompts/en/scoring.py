"""English: why a lead scored its points, one reason per score factor (agent.core.scoring, prompts.scoring)."""

from __future__ import annotations

from typing import Final

# A reason reads "<statement> — <tally>", a counted one "<statement> × <each> = <tally>"; `_one` and
# `_other` are the statement for one event and for any other count.
TEXTS: Final[dict[str, str]] = {
    "tally": "{points} of {max}",
    "note.capped": "capped",
    "note.bonus_limit": "bonus limit",
    # engagement
    "qr_scans_one": "{n} QR scan",
    "qr_scans_other": "{n} QR scans",
    "catalog_views_one": "{n} catalog view",
    "catalog_views_other": "{n} catalog views",
    "messages_one": "{n} message",
    "messages_other": "{n} messages",
    "voice_yes_one": "{n} voice message, a one-time bonus",
    "voice_yes_other": "{n} voice messages, a one-time bonus",
    "voice_no": "No voice message yet",
    # qualification
    "field_known": "{field} known",
    "field_unknown": "{field} not known yet",
    "field.phone": "Phone number",
    "field.budget": "Budget",
    "field.transaction_type": "Transaction type",
    "field.property_type": "Property type",
    "field.location": "Preferred location",
    "field.payment_method": "Payment method",
    # recency: never, then the bands of agent.core.scoring.RECENCY_BANDS and older
    "recency_none": "No interaction recorded yet",
    "recency_0": "Last interaction less than 1 hour ago",
    "recency_1": "Last interaction 1–6 hours ago",
    "recency_2": "Last interaction 6–24 hours ago",
    "recency_3": "Last interaction 1–3 days ago",
    "recency_4": "Last interaction 3 or more days ago",
    # the intent bonus
    "urgency_one": "{n} urgency mention",
    "urgency_other": "{n} urgency mentions",
    "specific_questions_one": "{n} specific question",
    "specific_questions_other": "{n} specific questions",
    "source": "Source: {name}",
    "source_unknown": "Source unknown",
    "source_unrated": "Source “{name}” is not rated",
    "source.referral": "referral",
    "source.expo_qr": "expo QR code",
    "source.website": "website",
    "source.catalog": "catalog",
    "source.ads": "ads",
    "hour_business": "Inquiry between {hh}:00 and {hh}:59 local time, within business hours",
    "hour_off": "Inquiry between {hh}:00 and {hh}:59 local time, outside business hours",
    "hour_unknown": "Inquiry time unknown",
}
