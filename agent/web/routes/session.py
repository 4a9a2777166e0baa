"""The home address and signing out (sign-in itself: agent.web.routes.signin)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from agent.web.deps import SESSION_COOKIE, FormDep, ViewerDep, optional_viewer, web_access
from agent.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
async def home(request: Request) -> Response:
    viewer = await optional_viewer(request)
    if viewer is None:
        return render(request, "error.html", None, {"page": "signed_out"}, status_code=401)
    return RedirectResponse("/leads", status_code=303)


@router.post("/signout")
async def sign_out(request: Request, viewer: ViewerDep, form: FormDep) -> Response:
    """End this person's sessions on every device where they signed in."""
    await web_access(request).sign_out_everywhere(viewer)
    response = render(request, "error.html", None, {"page": "signed_out"}, language=viewer.language)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
