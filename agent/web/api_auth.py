"""Who calls /api/v1: an integration with `Authorization: Bearer <token>`, or a signed-in browser (the
dashboard's own scripts), which must then send X-CSRF-Token with every write."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from agent.services.web_access import Viewer
from agent.services.web_access.api_callers import ApiCallers
from agent.web.deps import CSRF_HEADER, optional_viewer, services_of
from agent.web.errors import BadForm, Forbidden, SignInRequired

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def api_viewer(request: Request) -> Viewer:
    """The caller: a bearer token's integration, else the session's person (CSRF-checked on writes)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if header:
        if scheme.lower() != "bearer":
            raise SignInRequired("use Authorization: Bearer <token>")
        services = services_of(request)
        viewer = await ApiCallers(services.database, services.settings, services.clock).viewer_of_token(
            token.strip()
        )
        if viewer is None:
            raise SignInRequired("unknown or revoked API token")
        request.state.viewer = viewer
        return viewer
    person = await optional_viewer(request)
    if person is None:
        raise SignInRequired("sign in, or send an API token")
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not hmac.compare_digest(sent.encode(), person.csrf_token.encode()):
            raise BadForm("missing or wrong X-CSRF-Token")
    return person


async def api_admin(viewer: Annotated[Viewer, Depends(api_viewer)]) -> Viewer:
    """Admins of the agency and integrations (which act for the agency)."""
    if not viewer.sees_whole_agency:
        raise Forbidden("admins only")
    return viewer


ApiViewerDep = Annotated[Viewer, Depends(api_viewer)]
ApiAdminDep = Annotated[Viewer, Depends(api_admin)]
