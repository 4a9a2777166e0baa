"""What a refused or failed request gets: a page in the viewer's language, or problem details for the API.

Routes raise these; `install` maps them to a page for a browser and to `application/problem+json`
(RFC 9457) under /api.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from agent.services.web_access.audit import audit_refusal, refusals_audited, start_counting_refusals
from agent.web.templating import render

log = logging.getLogger(__name__)

API_PREFIX = "/api/"


class WebError(Exception):
    status = 400
    page = "bad_form"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail)
        self.detail = detail


class SignInRequired(WebError):
    status = 401
    page = "signed_out"


class Forbidden(WebError):
    """Refused by role or ownership (the caller audits it before raising)."""

    status = 403
    page = "forbidden"


class NotFound(WebError):
    status = 404
    page = "not_found"


class BadForm(WebError):
    """A form without its CSRF token, or with a value the page cannot take."""

    status = 400
    page = "bad_form"


class BadInput(WebError):
    """A value in the address the page cannot use: an unknown cursor, a day out of range."""

    status = 400
    page = "bad_input"


class Conflict(WebError):
    """The thing changed since the caller read it (a stale ETag)."""

    status = 409
    page = "bad_form"


class PreconditionFailed(WebError):
    """An If-Match that names an older version: nothing was changed (RFC 9110, 412)."""

    status = 412
    page = "bad_form"


def problem(status: int, title: str, detail: str = "", **extra: object) -> JSONResponse:
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


class RefusalCounter:
    """Pure ASGI middleware: each request starts counting the refusals it audits from zero."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            start_counting_refusals()
        await self.app(scope, receive, send)


async def _audit_unrecorded_refusal(request: Request, exc: WebError) -> None:
    """A 403 or 404 a signed-in caller met that the code refusing did not audit itself: audit it here, with
    the route and the address (so every refusal is in the audit log, whichever route refused)."""
    viewer = getattr(request.state, "viewer", None)
    if viewer is None or not isinstance(exc, (Forbidden, NotFound)) or refusals_audited():
        return
    route = request.scope.get("route")
    template = getattr(route, "path", request.url.path)
    services = request.app.state.services
    try:
        await audit_refusal(
            services.database,
            services.clock,
            viewer,
            f"{request.method} {template}"[:64],
            request.url.path[:255],
            exc.page,
        )
    except Exception:  # the answer still goes out; the failure is logged
        log.exception("could not audit a refusal")


def install(app: FastAPI) -> None:
    """Register the handlers on the app."""
    app.add_middleware(RefusalCounter)

    @app.exception_handler(WebError)
    async def _web_error(request: Request, exc: WebError) -> Response:
        await _audit_unrecorded_refusal(request, exc)
        if _is_api(request):
            return problem(exc.status, exc.page.replace("_", " "), exc.detail)
        viewer = getattr(request.state, "viewer", None)
        return render(request, "error.html", viewer, {"page": exc.page}, status_code=exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request) or exc.status_code not in (404, 405):
            return problem(exc.status_code, str(exc.detail))
        viewer = getattr(request.state, "viewer", None)
        return render(request, "error.html", viewer, {"page": "not_found"}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        if _only_path(exc):  # an id that no row can have (a word, a negative or a too-large number)
            return await _web_error(request, NotFound("path"))
        if _is_api(request):
            errors = [
                {"loc": list(error.get("loc", ())), "msg": error.get("msg", "")} for error in exc.errors()
            ]
            return problem(422, "invalid request", errors=errors)
        viewer = getattr(request.state, "viewer", None)
        return render(request, "error.html", viewer, {"page": "bad_form"}, status_code=400)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        # The traceback goes to the log (redacted by the log's own filters); the caller learns nothing more.
        log.error("unhandled error on %s %s", request.method, request.url.path[:255], exc_info=exc)
        if _is_api(request):
            return problem(500, "internal error")
        viewer = getattr(request.state, "viewer", None)
        try:
            return render(request, "error.html", viewer, {"page": "failed"}, status_code=500)
        except Exception:  # the page itself failed: a bare answer beats none
            log.exception("could not render the error page")
            return Response("internal error", status_code=500, media_type="text/plain")


def _only_path(exc: RequestValidationError) -> bool:
    errors = exc.errors()
    return bool(errors) and all(tuple(error.get("loc", ()))[:1] == ("path",) for error in errors)
