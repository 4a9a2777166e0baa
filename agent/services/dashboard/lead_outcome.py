"""Won/lost (and reopening) from the web app and the API, for a viewer who may see the lead.

A rep sees (and so may close) only their own leads; an admin and an integration token the whole agency.
A lead out of sight is refused as not found and the refusal audited, as every lead action is
(agent.services.dashboard.lead_actions); the change itself goes through the team's `record_outcome`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.dashboard.lead_actions import BadValue, LeadActions, StaleLead
from agent.services.dashboard.leads_detail import lead_etag
from agent.services.team.outcome_effects import OUTCOME_STATUSES
from agent.services.team.outcomes import (
    OutcomeDone,
    OutcomeError,
    Recorder,
    reasons_of,
    record_outcome,
    reopen_lead,
)
from agent.services.web_access import Viewer
from prompts.outcomes import reason_name
from storage.models import Lead, Tenant


@dataclass(frozen=True)
class OutcomeForm:
    """What the lead page's outcome form shows: the agency's reasons per outcome (code, name in the viewer's
    language) and the lead's outcome, if it has one."""

    reasons: dict[str, list[tuple[str, str]]]
    outcome: str | None
    reason: str | None
    note: str | None
    at: datetime | None


async def outcome_form(session: AsyncSession, lead: Lead, language: str) -> OutcomeForm:
    tenant = await session.get(Tenant, lead.tenant_id)
    closed = lead.status in OUTCOME_STATUSES
    return OutcomeForm(
        reasons={
            outcome: [(code, reason_name(language, code)) for code in codes]
            for outcome, codes in reasons_of(tenant).items()
        },
        outcome=lead.status if closed else None,
        reason=reason_name(language, lead.outcome_reason) if closed else None,
        note=lead.outcome_note if closed else None,
        at=lead.outcome_at if closed else None,
    )


@dataclass
class OutcomeActions(LeadActions):
    """Record or reopen a deal on behalf of a viewer."""

    def _recorder(self, viewer: Viewer) -> Recorder:
        return Recorder(self._by(viewer), viewer.telegram_id, viewer.via)

    async def record(
        self,
        viewer: Viewer,
        lead_id: int,
        outcome: str,
        reason: str | None,
        note: str | None,
        *,
        if_match: str | None = None,
    ) -> OutcomeDone:
        """Mark the lead won or lost (BadValue for an unknown outcome or reason, StaleLead on a stale ETag)."""
        async with self.database.session() as session:
            lead = await self._lead(session, viewer, lead_id, "lead.outcome")
            if if_match is not None and if_match.strip() not in (lead_etag(lead), "*"):
                raise StaleLead(lead_etag(lead))
            try:
                return await record_outcome(
                    session,
                    lead,
                    outcome=outcome,
                    reason=reason,
                    note=note,
                    who=self._recorder(viewer),
                    now=self.clock.now(),
                    channel="web",
                )
            except OutcomeError as exc:
                error = BadValue(str(exc))
        raise await self._refused(viewer, "lead.outcome", lead_id, error)

    async def reopen(self, viewer: Viewer, lead_id: int, *, if_match: str | None = None) -> OutcomeDone:
        """Back to an open status (the one before won/lost); BadValue when the lead is neither won nor lost."""
        async with self.database.session() as session:
            lead = await self._lead(session, viewer, lead_id, "lead.reopen")
            if if_match is not None and if_match.strip() not in (lead_etag(lead), "*"):
                raise StaleLead(lead_etag(lead))
            try:
                return await reopen_lead(
                    session, lead, who=self._recorder(viewer), now=self.clock.now(), channel="web"
                )
            except OutcomeError as exc:
                error = BadValue(str(exc))
        raise await self._refused(viewer, "lead.reopen", lead_id, error)
