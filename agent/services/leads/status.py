"""Where a lead stands in the funnel: it moves forward only, and qualifies once the essentials are known."""

from __future__ import annotations

from storage.models import Lead, LeadStatus

_STATUS_RANK = {
    LeadStatus.NEW: 0,
    LeadStatus.QUALIFYING: 1,
    LeadStatus.QUALIFIED: 2,
    LeadStatus.CONTACT_CAPTURED: 3,
    LeadStatus.VIEWING_SCHEDULED: 4,
}


def advance_status(lead: Lead, status: LeadStatus) -> None:
    """Move the lead forward along the funnel; never backwards, never out of handoff/won/lost."""
    current = _STATUS_RANK.get(LeadStatus(lead.status)) if lead.status in _STATUS_RANK else None
    if current is not None and _STATUS_RANK[status] > current:
        lead.status = status.value


def qualification_status(lead: Lead) -> LeadStatus:
    """Qualified once what, where, which way and how much are known; qualifying once anything is."""
    core = (lead.transaction, lead.property_type, lead.location, lead.budget_max or lead.budget_min)
    if all(core):
        return LeadStatus.QUALIFIED
    return LeadStatus.QUALIFYING if any(core) or lead.bedrooms is not None else LeadStatus.NEW
