"""Lead service: what the bot, the tools and the jobs do to a lead, one transaction at a time.

Every function takes the caller's session (the caller owns the transaction) and a lead loaded in it,
scoped by tenant (`load_lead`). Nothing here trusts text the model produced to choose a record.

- `intake`: find or create the lead, keep what it sends and what we send it;
- `profile`: the lead as JSON and what is still to be learned; `preferences`: validate and apply what it wants;
  `status`: its place in the funnel;
- `contact`: its phone, e-mail and name; `attribution`: where it came from (deep links, prospects);
- `handoff`: which rep takes it, and the demo rep;
- `scoring`: rescore the stored lead (once per unit of work) and raise the team's alerts.
- `training`: learn the agency's conversion likelihood from its won and lost leads (imported on its own: it
  loads scikit-learn).
"""

from __future__ import annotations

from agent.core.zones import zone_of  # the one zone helper, where the lead's callers look for it
from agent.services.leads.attribution import (
    DEEP_LINK_SOURCES,
    PROSPECT_PREFIX,
    DeepLinkSource,
    deep_link_source,
    mark_prospect_replied,
    record_source,
)
from agent.services.leads.contact import (
    ContactResult,
    InvalidPhone,
    normalize_phone,
    phone_error,
    replace_question,
    save_contact,
    shown_phone,
)
from agent.services.leads.handoff import DEMO_REP_TELEGRAM_ID, candidate_reps, ensure_demo_rep, hand_off
from agent.services.leads.intake import (
    INBOUND_TYPES,
    MESSAGE_KINDS,
    InboundKind,
    create_lead,
    get_or_create_telegram_lead,
    load_lead,
    record_inbound,
    record_outbound,
    telegram_name,
)
from agent.services.leads.preferences import (
    MAX_AMOUNT,
    MAX_ROOMS,
    PAYMENT_METHODS,
    PreferenceError,
    PreferenceUpdate,
    amount_value,
    apply_preferences,
    currency_value,
    rooms_value,
    vocabulary_value,
)
from agent.services.leads.profile import QUALIFICATION_ORDER, json_number, lead_profile, missing_fields
from agent.services.leads.scoring import (
    lead_changed,
    lead_signals,
    raise_alert,
    rescore,
    rescore_at_end,
    settle,
    tenant_of,
)
from agent.services.leads.status import advance_status, qualification_status

__all__ = [
    "DEEP_LINK_SOURCES",
    "DEMO_REP_TELEGRAM_ID",
    "INBOUND_TYPES",
    "MAX_AMOUNT",
    "MAX_ROOMS",
    "MESSAGE_KINDS",
    "PAYMENT_METHODS",
    "PROSPECT_PREFIX",
    "QUALIFICATION_ORDER",
    "ContactResult",
    "DeepLinkSource",
    "InboundKind",
    "InvalidPhone",
    "PreferenceError",
    "PreferenceUpdate",
    "advance_status",
    "amount_value",
    "apply_preferences",
    "candidate_reps",
    "create_lead",
    "currency_value",
    "deep_link_source",
    "ensure_demo_rep",
    "get_or_create_telegram_lead",
    "hand_off",
    "json_number",
    "lead_changed",
    "lead_profile",
    "lead_signals",
    "load_lead",
    "mark_prospect_replied",
    "missing_fields",
    "normalize_phone",
    "phone_error",
    "qualification_status",
    "raise_alert",
    "record_inbound",
    "record_outbound",
    "record_source",
    "replace_question",
    "rescore",
    "rescore_at_end",
    "rooms_value",
    "save_contact",
    "settle",
    "shown_phone",
    "telegram_name",
    "tenant_of",
    "vocabulary_value",
    "zone_of",
]
