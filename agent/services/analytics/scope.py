"""Whose numbers: the viewer's visible leads, narrowed to one rep when an admin picks one."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_

from agent.services.analytics.period import Period
from agent.services.web_access import Viewer, visible_leads
from storage.models import Lead


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
