"""/integrations (admins): the agency's webhook endpoints, their last deliveries, add, remove, new secret, test.

A new or rotated secret is shown once, on the page that answers the POST (never stored in the clear, never
in a redirect's URL); other changes redirect back (POST-redirect-GET).
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from agent.services.integrations.endpoints import MAX_ENDPOINTS, InvalidEndpoint, NewEndpoint
from agent.services.integrations.events import EVENT_KINDS
from agent.services.web_access import Viewer
from agent.services.webhook_admin import WebhookAdmin, WebhooksRefused
from agent.web.deps import FormDep, ServicesDep, ViewerDep
from agent.web.errors import Forbidden, NotFound
from agent.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE = "/integrations"
NOTICES = frozenset({"test_queued", "removed"})


def _admin(services: ServicesDep) -> WebhookAdmin:
    return WebhookAdmin(services.database, services.settings, services.clock)


async def _page(
    request: Request,
    services: ServicesDep,
    viewer: Viewer,
    *,
    error: str | None = None,
    url: str = "",
    status_code: int = 200,
) -> Response:
    try:
        overview = await _admin(services).overview(viewer)
    except WebhooksRefused:
        raise Forbidden("admins only") from None
    urls = {endpoint.id: endpoint.url for endpoint in overview.endpoints}
    notice = request.query_params.get("done")
    return render(
        request,
        "integrations/index.html",
        viewer,
        {
            "nav": "integrations",
            "endpoints": overview.endpoints,
            "recent": overview.recent,
            "urls": urls,
            "kinds": [kind.value for kind in EVENT_KINDS],
            "error": error,
            "max_endpoints": MAX_ENDPOINTS,
            "url": url,
            "notice": notice if notice in NOTICES else None,
        },
        status_code=status_code,
    )


@router.get(PAGE)
async def integrations_page(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    return await _page(request, services, viewer)


def _secret_page(request: Request, viewer: Viewer, new: NewEndpoint) -> Response:
    return render(
        request,
        "integrations/secret.html",
        viewer,
        {"nav": "integrations", "endpoint": new.endpoint, "secret": new.secret},
    )


@router.post(PAGE)
async def add_endpoint(request: Request, services: ServicesDep, viewer: ViewerDep, form: FormDep) -> Response:
    url = str(form.get("url") or "")
    events = [str(value) for value in form.getlist("events")]
    try:
        new = await _admin(services).add(viewer, url, events)
    except WebhooksRefused:
        raise Forbidden("admins only") from None
    except InvalidEndpoint as exc:
        return await _page(request, services, viewer, error=exc.code, url=url[:2000], status_code=400)
    return _secret_page(request, viewer, new)


@router.post(PAGE + "/{endpoint_id}/rotate")
async def rotate_secret(
    request: Request, endpoint_id: uuid.UUID, services: ServicesDep, viewer: ViewerDep, form: FormDep
) -> Response:
    try:
        new = await _admin(services).rotate(viewer, endpoint_id)
    except WebhooksRefused:
        raise Forbidden("admins only") from None
    if new is None:
        raise NotFound()
    return _secret_page(request, viewer, new)


@router.post(PAGE + "/{endpoint_id}/remove")
async def remove_endpoint(
    endpoint_id: uuid.UUID, services: ServicesDep, viewer: ViewerDep, form: FormDep
) -> Response:
    try:
        removed = await _admin(services).remove(viewer, endpoint_id)
    except WebhooksRefused:
        raise Forbidden("admins only") from None
    if not removed:
        raise NotFound()
    return RedirectResponse(PAGE + "?done=removed", status_code=303)


@router.post(PAGE + "/{endpoint_id}/test")
async def send_test_event(
    endpoint_id: uuid.UUID, services: ServicesDep, viewer: ViewerDep, form: FormDep
) -> Response:
    try:
        queued = await _admin(services).send_test(viewer, endpoint_id)
    except WebhooksRefused:
        raise Forbidden("admins only") from None
    if not queued:
        raise NotFound()
    return RedirectResponse(PAGE + "?done=test_queued", status_code=303)
