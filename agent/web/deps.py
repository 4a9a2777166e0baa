"""What a route asks for: the services, the signed-in viewer, an admin, a checked form.

Authority is decided here and in the services, on the server, for every request: a page never relies on a
link being hidden.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request, Response
from starlette.datastructures import FormData

from agent.services.provider import Services
from agent.services.web_access import SESSION_LIFETIME, Viewer, WebAccess
from agent.web.errors import BadForm, Forbidden, SignInRequired

SESSION_COOKIE = "realty_session"
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def web_access(request: Request) -> WebAccess:
    services = services_of(request)
    return WebAccess(services.database, services.settings, services.clock)


async def optional_viewer(request: Request) -> Viewer | None:
    """The viewer of the session cookie, if it is live; remembered on request.state for error pages."""
    cached = getattr(request.state, "viewer", None)
    if cached is not None:
        return cached
    viewer = await web_access(request).viewer(request.cookies.get(SESSION_COOKIE))
    request.state.viewer = viewer
    return viewer


async def current_viewer(viewer: Annotated[Viewer | None, Depends(optional_viewer)]) -> Viewer:
    if viewer is None:
        raise SignInRequired()
    return viewer


async def current_admin(viewer: Annotated[Viewer, Depends(current_viewer)]) -> Viewer:
    if not viewer.is_admin:
        raise Forbidden("admins only")
    return viewer


async def checked_form(request: Request, viewer: Annotated[Viewer, Depends(current_viewer)]) -> FormData:
    """The posted form, once its CSRF token (field `csrf` or header X-CSRF-Token) matches the session's."""
    form = await request.form()
    sent = request.headers.get(CSRF_HEADER) or str(form.get(CSRF_FIELD) or "")
    if not sent or not hmac.compare_digest(sent.encode(), viewer.csrf_token.encode()):
        raise BadForm("missing or wrong CSRF token")
    return form


def set_session_cookie(request: Request, response: Response, token: str, *, cross_site: bool = False) -> None:
    """The session cookie: HttpOnly; Secure over https; SameSite=Lax, or None for the Mini App inside
    Telegram's web client (an iframe, where a Lax cookie is not sent; Telegram serves Mini Apps over https)."""
    secure = request.url.scheme == "https"
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        secure=secure or cross_site,
        samesite="none" if cross_site and secure else "lax",
    )


ServicesDep = Annotated[Services, Depends(services_of)]
ViewerDep = Annotated[Viewer, Depends(current_viewer)]
AdminDep = Annotated[Viewer, Depends(current_admin)]
FormDep = Annotated[FormData, Depends(checked_form)]
