"""Who may open the team's web app and API, and what they may see: sessions, the viewer, scopes, audit."""

from agent.services.web_access.audit import audit_change, audit_refusal
from agent.services.web_access.scope import visible_leads, visible_tasks, visible_viewings
from agent.services.web_access.sessions import SESSION_LIFETIME, NotAllowed, Role, Viewer, WebAccess

__all__ = [
    "SESSION_LIFETIME",
    "NotAllowed",
    "Role",
    "Viewer",
    "WebAccess",
    "audit_change",
    "audit_refusal",
    "visible_leads",
    "visible_tasks",
    "visible_viewings",
]
