"""Whose numbers: the viewer's visible leads, narrowed to one rep when an admin picks one."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false

from agent.services.analytics.period import Period
from agent.services.web_access import Viewer, visible_leads
from storage.models import EventFacts, Lead, LeadFacts


@dataclass(frozen=True)
class Scope:
    """A viewer, the rep they look at (None: everything they may see) and the period."""

    viewer: Viewer
    rep_id: uuid.UUID | None
    period: Period

    def leads(self) -> ColumnElement[bool]:
        """Leads whose numbers count (any creation time); SQL over `Lead`."""
        seen = visible_leads(self.viewer)
        return and_(seen, Lead.assigned_rep_id == self.rep_id) if self.rep_id is not None else seen

    def cohort(self) -> ColumnElement[bool]:
        """Leads that arrived in the period: the funnel, sources, temperatures and first replies count them."""
        return and_(self.leads(), Lead.created_at >= self.period.start, Lead.created_at < self.period.end)

    def facts(self, table: type[LeadFacts] | type[EventFacts]) -> ColumnElement[bool]:
        """`leads()` over consolidated facts, which carry the lead's agency and rep (as `visible_leads` reads)."""
        viewer = self.viewer
        rep_id = self.rep_id
        if not viewer.sees_whole_agency:
            if viewer.rep_id is None:
                return false()
            rep_id = viewer.rep_id if rep_id is None else rep_id
            if rep_id != viewer.rep_id:
                return false()
        in_agency = table.tenant_id == viewer.tenant_id
        return and_(in_agency, table.rep_id == rep_id) if rep_id is not None else in_agency
