"""Who may open the team's web app and API, and what they may see: sessions, the viewer, scopes, audit."""

from agent.services.web_access.api_tokens import (
    ApiTokens,
    NewToken,
    TokenAdmin,
    TokenLine,
    TokenNotFound,
    UnknownAgency,
)
from agent.services.web_access.audit import audit_change, audit_refusal
from agent.services.web_access.housekeeping import purge_old_sign_ins
from agent.services.web_access.links import (
    LINK_LIFETIME,
    IssuedLink,
    LinkHolder,
    SignInLinks,
    home_agency,
    mini_app_url,
    web_address,
)
from agent.services.web_access.rate_limits import SignInLimits, ip_key, telegram_key
from agent.services.web_access.scope import visible_leads, visible_tasks, visible_viewings
from agent.services.web_access.sessions import SESSION_LIFETIME, NotAllowed, Role, Viewer, WebAccess

__all__ = [
    "LINK_LIFETIME",
    "SESSION_LIFETIME",
    "ApiTokens",
    "IssuedLink",
    "LinkHolder",
    "NewToken",
    "NotAllowed",
    "Role",
    "SignInLimits",
    "SignInLinks",
    "TokenAdmin",
    "TokenLine",
    "TokenNotFound",
    "UnknownAgency",
    "Viewer",
    "WebAccess",
    "audit_change",
    "audit_refusal",
    "home_agency",
    "ip_key",
    "mini_app_url",
    "purge_old_sign_ins",
    "telegram_key",
    "visible_leads",
    "visible_tasks",
    "visible_viewings",
    "web_address",
]
