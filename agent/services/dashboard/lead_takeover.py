"""Taking a lead over from the web app (or the API): the same decisions as the team bot's (agent.services.takeover).

A viewer who may not see the lead is refused as not found (audited); an integration has no Telegram chat to
talk from, so it may not take a lead over; a rep may not take a lead over from someone else (admins may). The change and its audit ("via=web" or the token) are one
transaction, in the takeover service.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.calendars.service import lead_name
from agent.services.dashboard.lead_actions import LeadActionError, LeadHidden, NotAllowedHere
from agent.services.dashboard.leads_detail import visible_lead
from agent.services.provider import Services
from agent.services.takeover import (
    HAND_BACK_ACTION,
    TAKE_ACTION,
    Decision,
    Takeovers,
    person_name,
    tell_others,
)
from agent.services.takeover.reach import reachable_in_team_bot
from agent.services.web_access import Viewer, audit_refusal
from prompts.catalogue import text
from storage.models import Lead

TAKEOVER_VERBS = ("takeover", "handback")
"""The lead page's actions (POST /leads/{id}/takeover, /leads/{id}/handback)."""


class NoTeamChat(LeadActionError):
    """The viewer has no private chat with the team bot: their lead's messages would have nowhere to go."""

    code = "no_team_chat"


@dataclass(frozen=True)
class TakeoverView:
    """What the lead page shows: who talks to the lead in person, and which button this viewer gets."""

    person: str | None
    mine: bool
    can_take: bool
    can_hand_back: bool


@dataclass(frozen=True)
class _ViewerAdmin:
    """The viewer's role in the agency, as the web session established it."""

    viewer: Viewer

    async def is_admin(self, telegram_id: int, tenant_id: int | None = None) -> bool:
        return (
            self.viewer.is_admin
            and telegram_id == self.viewer.telegram_id
            and tenant_id == self.viewer.tenant_id
        )


async def takeover_view(session: AsyncSession, viewer: Viewer, lead: Lead) -> TakeoverView:
    holder = lead.taken_over_by
    person = (
        await person_name(session, holder, lead.tenant_id, viewer.language) if holder is not None else None
    )
    mine = holder is not None and holder == viewer.telegram_id
    person_viewer = viewer.telegram_id is not None
    return TakeoverView(
        person=person,
        mine=mine,
        can_take=person_viewer and not mine and (holder is None or viewer.is_admin),
        can_hand_back=person_viewer and holder is not None and (mine or viewer.is_admin),
    )


async def take_or_hand_back(services: Services, viewer: Viewer, lead_id: int, verb: str) -> Decision:
    """`verb` ("takeover" | "handback") by the viewer on a lead they see (else LeadHidden; an integration:
    NotAllowedHere). The decision comes back, done or not (someone else talks to the lead); whoever else
    should know is told in the team bot."""
    database, clock = services.database, services.clock
    action = TAKE_ACTION if verb == "takeover" else HAND_BACK_ACTION
    async with database.session() as session:
        lead = await visible_lead(session, viewer, lead_id)
    if lead is None:
        await audit_refusal(database, clock, viewer, action, f"lead:{lead_id}", "not_their_lead")
        raise LeadHidden(f"lead {lead_id}")
    if viewer.telegram_id is None:
        await audit_refusal(database, clock, viewer, action, f"lead:{lead_id}", "not_a_person")
        raise NotAllowedHere("an integration is not a person")
    if verb == "takeover" and not await reachable_in_team_bot(services, viewer.telegram_id):
        await audit_refusal(database, clock, viewer, action, f"lead:{lead_id}", "no_team_chat")
        raise NoTeamChat(text(viewer.language, "takeover", "refused_no_chat", lead=lead_name(lead)))
    takeovers = Takeovers(database, _ViewerAdmin(viewer), clock)
    act = takeovers.take_over if verb == "takeover" else takeovers.hand_back
    decision = await act(viewer.actor(), lead.id, tenant_id=viewer.tenant_id, via=viewer.via)
    await tell_others(services, decision)
    return decision
