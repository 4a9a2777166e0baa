"""What a viewer may see, as SQL: every query of the web app and the API goes through these.

A rep sees the leads assigned to them and what hangs off those leads; an admin or an integration sees the
whole agency; nobody sees another agency. Use these in the WHERE clause, never after loading.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false

from agent.services.web_access.sessions import Viewer
from storage.models import FollowUpSend, Lead, RepTask, Viewing


def visible_leads(viewer: Viewer) -> ColumnElement[bool]:
    """Leads this viewer may see."""
    in_agency = Lead.tenant_id == viewer.tenant_id
    if viewer.sees_whole_agency:
        return in_agency
    if viewer.rep_id is None:
        return false()
    return and_(in_agency, Lead.assigned_rep_id == viewer.rep_id)


def visible_viewings(viewer: Viewer) -> ColumnElement[bool]:
    """Viewings this viewer may see: a rep's own (by rep), the agency's for an admin."""
    in_agency = Viewing.tenant_id == viewer.tenant_id
    if viewer.sees_whole_agency:
        return in_agency
    if viewer.rep_id is None:
        return false()
    return and_(in_agency, Viewing.rep_id == viewer.rep_id)


def visible_tasks(viewer: Viewer) -> ColumnElement[bool]:
    """Follow-up tasks reps owe (RepTask): a rep's own, the agency's for an admin."""
    in_agency = RepTask.tenant_id == viewer.tenant_id
    if viewer.sees_whole_agency:
        return in_agency
    if viewer.rep_id is None:
        return false()
    return and_(in_agency, RepTask.rep_id == viewer.rep_id)


def visible_sends_in_agency(viewer: Viewer) -> ColumnElement[bool]:
    """Automatic follow-up sends of the agency; join Lead and add `visible_leads` for a rep's own."""
    return FollowUpSend.tenant_id == viewer.tenant_id
