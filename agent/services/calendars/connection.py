"""Connecting a rep's Google Calendar by conversation, checking it, and noticing when it breaks.

The team bot calls `start` (a consent link with a fresh per-rep state), then `finish` with whatever the rep
pasted back (or the callback endpoint calls `finish_callback` with Google's redirect). The token is stored
encrypted; "calendar connected ✓" is set only after a real API call on the rep's primary calendar worked.
A token Google refuses later disconnects the rep: their viewings fall back to the internal calendar.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from agent.adapters.crypto import TokenUnreadable, decrypt_token, encrypt_token
from agent.adapters.google import (
    LOOPBACK_REDIRECT_URI,
    AuthorizationCodeRejected,
    AuthorizationDenied,
    AuthorizationTextInvalid,
    GoogleCalendar,
    GoogleCalendarError,
    GoogleOAuthConfig,
    GoogleTransport,
    GoogleUnavailable,
    ReconnectRequired,
    authorization_url,
    check_account_domain,
    credentials_from_token,
    exchange_code,
    new_code_verifier,
    new_state,
    parse_pasted,
)
from storage.models import OAuthState, SalesRepresentative, Tenant
from storage.repositories.oauth_states import OAuthStateRepository
from storage.repositories.reps import RepRepository

if TYPE_CHECKING:
    from agent.settings import Settings

log = logging.getLogger(__name__)

STATE_TTL = timedelta(minutes=30)
PROVIDER = "google"


class GoogleNotConfigured(RuntimeError):
    """GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET are not set: reps use the internal calendar."""


class AuthorizationLinkExpired(AuthorizationCodeRejected):
    """The rep answered after the link's state expired; a new link is needed."""


class NoPendingAuthorization(AuthorizationCodeRejected):
    """A code arrived but this rep has no live authorization (never asked, or the state belongs to someone else)."""


@dataclass(frozen=True)
class ConnectLink:
    url: str
    expires_at: datetime
    domain: str
    pasted_back: bool
    """True when the rep must copy the loopback address back to the bot (no PUBLIC_BASE_URL)."""


@dataclass(frozen=True)
class CalendarCheck:
    """The outcome of a real call on the rep's primary calendar."""

    connected: bool
    account: str | None = None
    time_zone: str | None = None
    reconnect: bool = False
    """The grant is gone: the rep has to connect again."""
    unavailable: bool = False
    """Google did not answer; nothing is known, nothing was changed."""


def corporate_domain(rep: SalesRepresentative, tenant: Tenant | None, settings: Settings) -> str:
    """The domain a rep's calendar account must belong to: the tenant's, the deployment's, else the rep's own."""
    domain = (tenant.corporate_email_domain if tenant else None) or settings.corporate_email_domain
    return (domain or rep.email.rsplit("@", 1)[-1]).strip().lower().lstrip("@")


def oauth_config(settings: Settings) -> GoogleOAuthConfig:
    config = GoogleOAuthConfig.from_settings(settings)
    if config is None:
        raise GoogleNotConfigured("set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET to connect Google Calendars")
    return config


async def start(
    session: AsyncSession,
    rep: SalesRepresentative,
    *,
    tenant: Tenant | None,
    settings: Settings,
    now: datetime,
) -> ConnectLink:
    """A consent link for this rep; any earlier link of theirs stops working."""
    config = oauth_config(settings)
    domain = corporate_domain(rep, tenant, settings)
    state, verifier = new_state(), new_code_verifier()
    expires_at = now + STATE_TTL
    await OAuthStateRepository(session).replace_for_rep(
        rep_id=str(rep.id),
        state=state,
        code_verifier=verifier,
        provider=PROVIDER,
        now=now,
        expires_at=expires_at,
    )
    url = authorization_url(config, state=state, code_verifier=verifier, login_hint=rep.email, domain=domain)
    return ConnectLink(
        url=url,
        expires_at=expires_at,
        domain=domain,
        pasted_back=config.redirect_uri == LOOPBACK_REDIRECT_URI,
    )


async def finish(
    session: AsyncSession,
    rep: SalesRepresentative,
    pasted: str,
    *,
    tenant: Tenant | None,
    settings: Settings,
    transport: GoogleTransport,
    now: datetime,
) -> CalendarCheck:
    """Finish the rep's authorization from what they pasted: the bare code or the whole redirect address.

    Raises an `AuthorizationProblem` the bot can explain (expired link, wrong account domain, Cancel
    pressed...) or `GoogleUnavailable` (try the same text again later; the link stays valid).
    """
    authorization = parse_pasted(pasted)
    states = OAuthStateRepository(session)
    if authorization.state is not None:
        row = await states.get(authorization.state, for_update=True)
        if row is None or row.rep_id != str(rep.id):
            raise NoPendingAuthorization("this address belongs to another or an older link")
    else:
        row = await states.latest_for_rep(str(rep.id), for_update=True)
        if row is None:
            raise NoPendingAuthorization("no authorization link is waiting for this rep")
    return await _complete(session, rep, row, authorization.code, tenant, settings, transport, now)


async def finish_callback(
    session: AsyncSession,
    *,
    state: str,
    code: str | None,
    error: str | None,
    settings: Settings,
    transport: GoogleTransport,
    now: datetime,
) -> tuple[SalesRepresentative, CalendarCheck]:
    """Finish an authorization from Google's redirect to the callback endpoint; the state names the rep."""
    row = await OAuthStateRepository(session).get(state, for_update=True)
    if row is None:
        raise NoPendingAuthorization("unknown or already used state")
    rep = await RepRepository(session).get(_rep_uuid(row.rep_id))
    if rep is None:
        raise NoPendingAuthorization("the rep of this state no longer exists")
    if error or not code:
        raise AuthorizationDenied(f"Google returned error={error or 'no code'}")
    tenant = await session.get(Tenant, rep.tenant_id)
    return rep, await _complete(session, rep, row, code, tenant, settings, transport, now)


async def rep_for_state(session: AsyncSession, state: str) -> SalesRepresentative | None:
    """Whose authorization a state is (for the callback endpoint to answer in the rep's chat)."""
    row = await OAuthStateRepository(session).get(state)
    return await RepRepository(session).get(_rep_uuid(row.rep_id)) if row else None


async def _complete(
    session: AsyncSession,
    rep: SalesRepresentative,
    row: OAuthState,
    code: str,
    tenant: Tenant | None,
    settings: Settings,
    transport: GoogleTransport,
    now: datetime,
) -> CalendarCheck:
    states = OAuthStateRepository(session)
    if row.expires_at <= now:
        await states.delete_for_rep(str(rep.id))
        raise AuthorizationLinkExpired("the authorization link has expired")
    if not row.code_verifier:
        raise AuthorizationTextInvalid("the pending authorization has no PKCE verifier")
    config = oauth_config(settings)
    grant = await exchange_code(config, code=code, code_verifier=row.code_verifier, transport=transport)
    # The code is spent whatever happens next: a second paste of it must not reach Google again.
    await states.delete_for_rep(str(rep.id))
    check_account_domain(grant.account, corporate_domain(rep, tenant, settings))
    if not grant.token.get("refresh_token"):
        log.warning(
            "rep %s: Google returned no refresh token; the connection lasts until the access token expires",
            rep.id,
        )
    rep.google_token_encrypted = encrypt_token(grant.token, settings)
    rep.calendar_account_name = grant.account.email
    rep.calendar_connected = False
    return await verify(rep, settings=settings, transport=transport)


async def verify(
    rep: SalesRepresentative, *, settings: Settings, transport: GoogleTransport
) -> CalendarCheck:
    """A real call on the rep's primary calendar; `calendar_connected` follows what Google says.

    A refused grant disconnects the rep (their token is dropped); an unreachable Google changes nothing.
    """
    calendar = open_calendar(rep, settings=settings, transport=transport)
    if calendar is None:
        rep.calendar_connected = False
        return CalendarCheck(connected=False, reconnect=rep.calendar_account_name is not None)
    try:
        info = await calendar.primary()
    except ReconnectRequired as exc:
        log.info("rep %s: Google refused the calendar grant (%s)", rep.id, exc)
        mark_disconnected(rep)
        return CalendarCheck(connected=False, account=rep.calendar_account_name, reconnect=True)
    except GoogleUnavailable as exc:
        log.warning("rep %s: could not check the calendar (%s)", rep.id, exc)
        return CalendarCheck(connected=False, account=rep.calendar_account_name, unavailable=True)
    except GoogleCalendarError as exc:
        log.warning("rep %s: calendar check refused (%s)", rep.id, exc)
        mark_disconnected(rep)
        return CalendarCheck(connected=False, account=rep.calendar_account_name, reconnect=True)
    store_token(rep, calendar, settings)
    rep.calendar_connected = True
    if not rep.time_zone and info.time_zone:
        rep.time_zone = info.time_zone
    return CalendarCheck(
        connected=True, account=rep.calendar_account_name or info.id, time_zone=info.time_zone
    )


def open_calendar(
    rep: SalesRepresentative, *, settings: Settings, transport: GoogleTransport
) -> GoogleCalendar | None:
    """The rep's Google Calendar client, or None when they have no usable token or Google is not configured."""
    config = GoogleOAuthConfig.from_settings(settings)
    if config is None or not rep.google_token_encrypted:
        return None
    try:
        token = decrypt_token(rep.google_token_encrypted, settings)
    except TokenUnreadable as exc:
        log.error("rep %s: %s; the rep has to reconnect", rep.id, exc)
        mark_disconnected(rep)
        return None
    return GoogleCalendar(credentials_from_token(token, config), transport, stored_token=token)


def store_token(rep: SalesRepresentative, calendar: GoogleCalendar, settings: Settings) -> None:
    """Keep the access token google-auth refreshed during a call, so the next call need not refresh."""
    token = calendar.refreshed_token()
    if token is not None:
        rep.google_token_encrypted = encrypt_token(token, settings)


def mark_disconnected(rep: SalesRepresentative) -> None:
    """The grant is gone: forget the token, keep the account name so the rep is asked to reconnect it."""
    rep.calendar_connected = False
    rep.google_token_encrypted = None


def _rep_uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise NoPendingAuthorization("the state names no rep") from exc
