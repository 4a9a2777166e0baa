"""Who may open the team's web app: sessions from sign-in links or the Mini App, and the viewer they give."""

from agent.services.web_access.sessions import SESSION_LIFETIME, NotAllowed, Viewer, WebAccess

__all__ = ["SESSION_LIFETIME", "NotAllowed", "Viewer", "WebAccess"]
