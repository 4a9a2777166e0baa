"""Signing in: the Telegram Mini App (`GET /app`, `POST /auth/telegram`) and one-time links (`/signin/<token>`).

Both end in a session cookie for an active rep or an admin; every refusal gets a page in the person's
language, an audit row and a count against the sign-in rate limit (per IP, and per Telegram id when known).
A GET never uses a link: chat apps fetch links for their previews.
"""

from __future__ import annotations

import logging
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from agent.core.telegram_webapp import InitDataRefused, Refusal, WebAppUser, validate_init_data
from agent.services.web_access import (
    NotAllowed,
    SignInLimits,
    SignInLinks,
    audit_refusal,
    home_agency,
    ip_key,
    telegram_key,
)
from agent.web.deps import ServicesDep, set_session_cookie, web_access
from agent.web.templating import render

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

AUDIT_ACTION = "web.sign_in"
HOME = "/leads"
_PAGE_OF_REFUSAL = {Refusal.TOO_OLD: "too_old", Refusal.FROM_FUTURE: "too_old"}


def _foreign(request: Request, services: ServicesDep) -> bool:
    """Whether the POST came from another site's page (login CSRF): its Origin (else its Referer) names a host
    other than the one it was sent to (or PUBLIC_BASE_URL's, for a proxy that rewrites Host). Absent headers
    pass: old browsers send neither, and a browser always sends Origin on a cross-site form post. Telegram's
    in-app browser posts from our own /app page."""
    sent = request.headers.get("origin") or request.headers.get("referer")
    if not sent:
        return False
    if sent == "null":
        return True  # a sandboxed or opaque origin: never one of our pages
    ours = {request.url.netloc.lower(), urlsplit(services.settings.public_base_url or "").netloc.lower()}
    return urlsplit(sent).netloc.lower() not in ours - {""}


async def _refuse_foreign(request: Request, services: ServicesDep) -> Response:
    await audit_refusal(services.database, services.clock, None, AUDIT_ACTION, "sign-in", "foreign_origin")
    log.info("sign-in refused: foreign_origin")
    return _refused(request, "bad_data", 403)


def _ip(request: Request) -> str | None:
    return request.client.host if request.client is not None else None


def _refused(request: Request, page: str, status: int, language: str | None = None) -> Response:
    return render(request, "signin.html", None, {"page": page}, status_code=status, language=language)


async def _refuse(
    request: Request,
    services: ServicesDep,
    reason: str,
    page: str,
    status: int,
    *,
    user: WebAppUser | None = None,
    telegram_id: int | None = None,
) -> Response:
    """Count the failure, audit it, and answer with its page."""
    telegram_id = user.id if user is not None else telegram_id
    keys = [ip_key(_ip(request))] + ([telegram_key(telegram_id)] if telegram_id else [])
    await SignInLimits(services.database, services.settings, services.clock).failed(*keys)
    target = f"telegram:{telegram_id}" if telegram_id else "sign-in"
    await audit_refusal(services.database, services.clock, None, AUDIT_ACTION, target, reason)
    log.info("sign-in refused: %s", reason)
    language = user.language_code if user is not None else None
    return _refused(request, page, status, language)


async def _over_limit(request: Request, services: ServicesDep, *keys: str) -> bool:
    limits = SignInLimits(services.database, services.settings, services.clock)
    return await limits.blocked(ip_key(_ip(request)), *keys)


def _signed_in(request: Request, token: str, *, cross_site: bool) -> Response:
    response = RedirectResponse(HOME, status_code=303)
    set_session_cookie(request, response, token, cross_site=cross_site)
    return response


# -- the Mini App ----------------------------------------------------------------------------------


@router.get("/app")
async def mini_app(request: Request, tenant: str = "") -> Response:
    """The page Telegram opens: its script posts Telegram's signed initData to /auth/telegram."""
    return render(request, "signin_app.html", None, {"tenant": tenant[:64]})


@router.post("/auth/telegram")
async def telegram_sign_in(
    request: Request,
    services: ServicesDep,
    init_data: Annotated[str, Form()] = "",
    tenant: Annotated[str, Form()] = "",
) -> Response:
    """Check initData with the team bot's token, then open a session in the person's agency."""
    if _foreign(request, services):
        return await _refuse_foreign(request, services)
    if await _over_limit(request, services):
        return _refused(request, "too_many", 429)
    token = services.settings.registry_bot_token
    if token is None:
        return await _refuse(request, services, "no_team_bot_token", "bad_data", 503)
    try:
        user = validate_init_data(init_data, token.get_secret_value(), services.clock.now())
    except InitDataRefused as refused:
        page = _PAGE_OF_REFUSAL.get(refused.reason, "bad_data")
        return await _refuse(request, services, refused.reason.value, page, 401)
    if await _over_limit(request, services, telegram_key(user.id)):
        return _refused(request, "too_many", 429, user.language_code)
    async with services.database.session() as session:
        agency = await home_agency(session, services.settings, user.id, tenant or None)
    if agency is None:
        return await _refuse(request, services, "not_a_rep_or_admin", "not_allowed", 403, user=user)
    links = SignInLinks(services.database, services.settings, services.clock)
    if not await links.spend_init_data(user, agency.id):
        return await _refuse(request, services, "initdata_replayed", "bad_data", 401, user=user)
    try:
        session_token = await web_access(request).open_session(agency.id, user.id, via="miniapp")
    except NotAllowed:
        return await _refuse(request, services, "not_a_rep_or_admin", "not_allowed", 403, user=user)
    return _signed_in(request, session_token, cross_site=True)


# -- one-time links --------------------------------------------------------------------------------


@router.get("/signin/{token}")
async def sign_in_link(request: Request, services: ServicesDep, token: str) -> Response:
    """A page with a Continue button; the link is used only when it is pressed (POST)."""
    if await _over_limit(request, services):
        return _refused(request, "too_many", 429)
    links = SignInLinks(services.database, services.settings, services.clock)
    if not await links.is_live(token):
        return _refused(request, "link_dead", 410)
    return render(request, "signin.html", None, {"page": "signin", "action": f"/signin/{token}"})


@router.post("/signin/{token}")
async def use_sign_in_link(request: Request, services: ServicesDep, token: str) -> Response:
    """Use the link (once) and open the session it is for."""
    if _foreign(request, services):
        return await _refuse_foreign(request, services)
    if await _over_limit(request, services):
        return _refused(request, "too_many", 429)
    holder = await SignInLinks(services.database, services.settings, services.clock).use(token)
    if holder is None:
        return await _refuse(request, services, "link_unknown_used_or_expired", "link_dead", 410)
    try:
        session_token = await web_access(request).open_session(
            holder.tenant_id, holder.telegram_id, via="link"
        )
    except NotAllowed:
        return await _refuse(
            request, services, "not_a_rep_or_admin", "not_allowed", 403, telegram_id=holder.telegram_id
        )
    return _signed_in(request, session_token, cross_site=False)
