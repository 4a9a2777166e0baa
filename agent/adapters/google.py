"""Google Calendar for one rep: the OAuth consent link, the code exchange, and the calendar calls.

Thin adapter over google-auth-oauthlib (consent and code exchange, with PKCE), google-auth (token refresh)
and google-api-python-client (calendarList, freeBusy, events). The client libraries block, so every call
runs in a worker thread; they are imported on first use. How Google is reached is a `GoogleTransport`; tests hand in stand-ins that speak
Google's wire format. Nothing here touches the database: `connection` and `service` do.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from agent.core.availability import Interval

if TYPE_CHECKING:  # the Google client libraries are imported where they are used, on a rep's first call
    import httplib2
    from google.oauth2.credentials import Credentials
    from google_auth_oauthlib.flow import Flow
    from googleapiclient.errors import HttpError
    from requests.adapters import BaseAdapter

    from agent.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")

SCOPES = (
    "openid",
    "https://www.googleapis.com/auth/userinfo.email",
    "https://www.googleapis.com/auth/calendar.events",
    "https://www.googleapis.com/auth/calendar.readonly",
)
"""Who the account is, and its calendar: read (free/busy, the primary calendar) and write events."""

GOOGLE_AUTH_URI = "https://accounts.google.com/o/oauth2/auth"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
GOOGLE_USERINFO_URI = "https://openidconnect.googleapis.com/v1/userinfo"
GOOGLE_ISSUERS = ("accounts.google.com", "https://accounts.google.com")
LOOPBACK_REDIRECT_URI = "http://127.0.0.1:8765/"
"""Where Google sends the browser when there is no public URL. Nothing listens there: the browser shows an
error page whose address holds the code, and the rep pastes that address to the bot (the out-of-band flow
Google retired worked the same way). Needs an OAuth client of type "Desktop app"."""
CALLBACK_PATH = "/oauth/google/callback"
"""Path of the callback endpoint under PUBLIC_BASE_URL (an OAuth client of type "Web application")."""
FREEBUSY_MAX_RANGE = timedelta(days=60)


# --- Errors ------------------------------------------------------------------------------------------


class GoogleCalendarError(RuntimeError):
    """Google could not do what was asked."""


class ReconnectRequired(GoogleCalendarError):
    """The rep's grant is revoked, expired or lacks a permission: only the rep can fix it, by reconnecting."""


class GoogleUnavailable(GoogleCalendarError):
    """Google answered 5xx, rate-limited us, or could not be reached; worth trying again later."""


class GoogleRequestRejected(GoogleCalendarError):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"Google Calendar refused the request ({status}): {reason}")
        self.status = status


class AuthorizationProblem(ValueError):
    """What the rep pasted or granted does not connect a calendar; the message can be shown to an operator."""


class AuthorizationTextInvalid(AuthorizationProblem):
    """Neither an authorization code nor a redirect address."""


class AuthorizationDenied(AuthorizationProblem):
    """The rep pressed Cancel on Google's consent screen."""


class AuthorizationCodeRejected(AuthorizationProblem):
    """Google refused the code: used already, expired, or from another link."""


class WrongAccountDomain(AuthorizationProblem):
    def __init__(self, email: str, domain: str) -> None:
        super().__init__(f"{email} is not an account of {domain}")
        self.email = email
        self.domain = domain


class MissingPermissions(AuthorizationProblem):
    def __init__(self, missing: list[str]) -> None:
        super().__init__(f"calendar permissions not granted: {', '.join(missing)}")
        self.missing = missing


# --- Configuration and transport ------------------------------------------------------------------------


@dataclass(frozen=True)
class GoogleOAuthConfig:
    """The OAuth client of this deployment and the redirect the consent screen returns to."""

    client_id: str
    client_secret: str = field(repr=False)
    redirect_uri: str = LOOPBACK_REDIRECT_URI

    @classmethod
    def from_settings(cls, settings: Settings) -> GoogleOAuthConfig | None:
        """None when GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET are not set: reps use the internal calendar."""
        secret = settings.google_client_secret.get_secret_value() if settings.google_client_secret else ""
        if not (settings.google_client_id and secret):
            return None
        return cls(settings.google_client_id, secret, redirect_uri_for(settings))

    def client_config(self) -> dict[str, dict[str, object]]:
        kind = "installed" if self.redirect_uri == LOOPBACK_REDIRECT_URI else "web"
        return {
            kind: {
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "auth_uri": GOOGLE_AUTH_URI,
                "token_uri": GOOGLE_TOKEN_URI,
                "redirect_uris": [self.redirect_uri],
            }
        }


def redirect_uri_for(settings: Settings) -> str:
    """The public callback when PUBLIC_BASE_URL is set, else the loopback address the rep copies back."""
    if settings.public_base_url:
        return settings.public_base_url.rstrip("/") + CALLBACK_PATH
    return LOOPBACK_REDIRECT_URI


def _default_http() -> httplib2.Http:
    import httplib2

    return httplib2.Http(timeout=20)


@dataclass(frozen=True)
class GoogleTransport:
    """How Google is reached: httplib2 for the calendar API and token refresh, requests for the code exchange."""

    http_factory: Callable[[], Any] = _default_http
    """A fresh httplib2.Http (or anything with its `request`), one per calendar client."""
    token_adapter: BaseAdapter | None = None
    """Mounted for https:// on the OAuth session that exchanges the code; None is the real network."""
    api_retries: int = 2
    """googleapiclient's own retries of 429/5xx answers, with exponential backoff."""


# --- Consent and code exchange -------------------------------------------------------------------------


def new_state() -> str:
    return secrets.token_urlsafe(32)


def new_code_verifier() -> str:
    """A PKCE verifier: 86 unreserved characters (RFC 7636 allows 43-128)."""
    return secrets.token_urlsafe(64)


def authorization_url(
    config: GoogleOAuthConfig, *, state: str, code_verifier: str, login_hint: str | None, domain: str | None
) -> str:
    """The consent link: offline access (a refresh token), PKCE, the rep's address and domain pre-filled."""
    flow = _flow(config, code_verifier)
    extra = {"login_hint": login_hint} if login_hint else {}
    if domain:
        extra["hd"] = domain
    url, _ = flow.authorization_url(state=state, access_type="offline", prompt="consent", **extra)
    return str(url)


@dataclass(frozen=True)
class PastedAuthorization:
    code: str
    state: str | None = None


def parse_pasted(text: str) -> PastedAuthorization:
    """The code from what the rep pasted: the bare code, or the whole address the browser ended on."""
    text = text.strip().strip("<>\"'")
    if (
        "code=" in text
        or "error=" in text
        or text.startswith(("http://", "https://", "127.0.0.1", "localhost"))
    ):
        query = parse_qs(urlsplit(text if "://" in text else f"http://{text}").query)
        if not query and "?" not in text:
            query = parse_qs(text)
        if query.get("error"):
            raise AuthorizationDenied(f"Google returned error={query['error'][0]}")
        if not query.get("code"):
            raise AuthorizationTextInvalid("the address has no code= in it")
        state = query.get("state")
        return PastedAuthorization(code=query["code"][0].strip(), state=state[0] if state else None)
    code = text.split()[0] if text.split() else ""
    # Google's codes look like 4/0AfJohX...: printable, no spaces, a few dozen characters at least.
    if len(code) < 20 or not code.isprintable():
        raise AuthorizationTextInvalid("this does not look like an authorization code")
    return PastedAuthorization(code=code)


@dataclass(frozen=True)
class GoogleAccount:
    email: str
    email_verified: bool
    hosted_domain: str | None = None


@dataclass(frozen=True)
class GoogleGrant:
    """What a successful code exchange gives: the token to store and whose account it is."""

    token: dict[str, object]
    account: GoogleAccount


async def exchange_code(
    config: GoogleOAuthConfig, *, code: str, code_verifier: str, transport: GoogleTransport
) -> GoogleGrant:
    """Trade the authorization code for tokens; checks the permissions granted and reads the account."""
    token = await asyncio.to_thread(_fetch_token, config, code, code_verifier, transport)
    scope = token.get("scope") or ""
    # oauthlib hands the granted scope back as a list; Google sends it space-separated.
    granted = set(
        scope.split() if isinstance(scope, str) else map(str, scope if isinstance(scope, list) else [])
    )
    missing = [scope for scope in SCOPES if scope not in granted and scope != "openid"]
    if granted and missing:
        raise MissingPermissions(missing)
    if token.get("id_token"):
        account = _account_from_id_token(str(token["id_token"]), config.client_id)
    else:
        account = await asyncio.to_thread(_userinfo, str(token["access_token"]), transport)
    expires_in = token.get("expires_in")
    # System time on purpose: google-auth judges expiry against it when deciding to refresh.
    expiry = datetime.now(UTC) + timedelta(seconds=float(str(expires_in))) if expires_in is not None else None
    stored: dict[str, object] = {
        "token": token["access_token"],
        "refresh_token": token.get("refresh_token"),
        "expiry": expiry.isoformat() if expiry else None,
        "scopes": sorted(granted),
        "account": account.email,
    }
    return GoogleGrant(token=stored, account=account)


def check_account_domain(account: GoogleAccount, domain: str) -> None:
    """The calendar account must be a verified address of the rep's corporate domain."""
    email = account.email.strip().lower()
    if not account.email_verified or not email.endswith("@" + domain.strip().lower().lstrip("@")):
        raise WrongAccountDomain(account.email, domain)


def _flow(config: GoogleOAuthConfig, code_verifier: str) -> Flow:
    from google_auth_oauthlib.flow import Flow

    return Flow.from_client_config(
        config.client_config(),
        scopes=list(SCOPES),
        redirect_uri=config.redirect_uri,
        code_verifier=code_verifier,
        autogenerate_code_verifier=False,
    )


def _fetch_token(
    config: GoogleOAuthConfig, code: str, code_verifier: str, transport: GoogleTransport
) -> dict[str, object]:
    from oauthlib.oauth2 import OAuth2Error

    flow = _flow(config, code_verifier)
    if transport.token_adapter is not None:
        flow.oauth2session.mount("https://", transport.token_adapter)
    try:
        return dict(flow.fetch_token(code=code))
    except Warning as changed:
        # oauthlib raises when Google grants a different scope set than asked (the rep unticked a box,
        # or earlier grants were added); the token is still good and exchange_code checks what is missing.
        token = getattr(changed, "token", None)
        if token is None:
            raise
        return dict(token)
    except OAuth2Error as exc:
        raise AuthorizationCodeRejected(f"Google refused the code ({exc.error})") from exc
    except OSError as exc:  # requests' ConnectionError is an OSError
        raise GoogleUnavailable(
            f"Google's token endpoint could not be reached: {type(exc).__name__}"
        ) from exc


def _account_from_id_token(id_token: str, client_id: str) -> GoogleAccount:
    # The id_token came straight from Google's token endpoint over TLS, which OpenID Connect Core 3.1.3.7
    # accepts in place of checking its signature; audience and issuer are still checked.
    from google.auth import jwt

    claims = jwt.decode(id_token, verify=False)
    if claims.get("aud") != client_id or claims.get("iss") not in GOOGLE_ISSUERS:
        raise AuthorizationCodeRejected("the id_token is not for this OAuth client")
    if not claims.get("email"):
        raise MissingPermissions(["https://www.googleapis.com/auth/userinfo.email"])
    return GoogleAccount(
        email=str(claims["email"]),
        email_verified=bool(claims.get("email_verified")),
        hosted_domain=claims.get("hd"),
    )


def _userinfo(access_token: str, transport: GoogleTransport) -> GoogleAccount:
    response, content = transport.http_factory().request(
        GOOGLE_USERINFO_URI, "GET", headers={"Authorization": f"Bearer {access_token}"}
    )
    if int(response.status) != 200:
        raise AuthorizationCodeRejected(f"Google's userinfo answered {response.status}")
    data = json.loads(content)
    return GoogleAccount(
        email=str(data["email"]),
        email_verified=bool(data.get("email_verified")),
        hosted_domain=data.get("hd"),
    )


# --- Stored tokens ------------------------------------------------------------------------------------


def credentials_from_token(token: Mapping[str, object], config: GoogleOAuthConfig) -> Credentials:
    """google-auth credentials that refresh themselves with this deployment's OAuth client."""
    from google.oauth2.credentials import Credentials

    expiry = token.get("expiry")
    parsed = datetime.fromisoformat(str(expiry)).astimezone(UTC).replace(tzinfo=None) if expiry else None
    return Credentials(  # type: ignore[no-untyped-call]
        token=token.get("token"),
        refresh_token=token.get("refresh_token"),
        token_uri=GOOGLE_TOKEN_URI,
        client_id=config.client_id,
        client_secret=config.client_secret,
        expiry=parsed,  # google-auth keeps expiry as naive UTC
    )


def token_from_credentials(credentials: Credentials, previous: Mapping[str, object]) -> dict[str, object]:
    """The stored token after google-auth refreshed the access token (scopes and account carried over)."""
    expiry = credentials.expiry.replace(tzinfo=UTC).isoformat() if credentials.expiry else None
    return {
        **previous,
        "token": credentials.token,
        "refresh_token": credentials.refresh_token or previous.get("refresh_token"),
        "expiry": expiry,
    }


# --- The calendar ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarInfo:
    id: str
    time_zone: str | None
    access_role: str | None


@dataclass(frozen=True)
class EventDraft:
    """A viewing as a Google Calendar event."""

    summary: str
    description: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    location: str | None = None
    attendees: tuple[tuple[str, str | None], ...] = ()
    """(e-mail, display name) of each guest: the lead, when their e-mail is known."""
    google_meet: bool = False
    key: str | None = None
    """Our id for the event (the viewing's), used for an idempotent insert and found in extendedProperties."""


@dataclass(frozen=True)
class CalendarEvent:
    id: str
    html_link: str | None
    meet_link: str | None
    status: str | None


def event_id_for(key: str) -> str:
    """A Google event id derived from our key: base32hex characters only, the same on every retry."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"realty-agent:{key}").hex


class GoogleCalendar:
    """One rep's primary calendar. Not shared between tasks: each booking opens its own."""

    def __init__(
        self,
        credentials: Credentials,
        transport: GoogleTransport,
        *,
        stored_token: Mapping[str, object] | None = None,
        calendar_id: str = "primary",
    ) -> None:
        self.credentials = credentials
        self.transport = transport
        self.calendar_id = calendar_id
        self._stored_token = dict(stored_token or {})
        self._initial_token = credentials.token
        self._service: Any = None
        self._lock = asyncio.Lock()

    def refreshed_token(self) -> dict[str, object] | None:
        """The token to store again when google-auth refreshed the access token during a call, else None."""
        if not self.credentials.token or self.credentials.token == self._initial_token:
            return None
        return token_from_credentials(self.credentials, self._stored_token)

    async def primary(self) -> CalendarInfo:
        """The primary calendar: the real API call behind "calendar connected ✓"."""
        data = await self._run(lambda api: api.calendarList().get(calendarId=self.calendar_id))
        return CalendarInfo(id=data["id"], time_zone=data.get("timeZone"), access_role=data.get("accessRole"))

    async def busy(self, start: datetime, end: datetime) -> list[Interval]:
        """Busy blocks of the calendar between two instants, from the freeBusy API."""
        blocks: list[Interval] = []
        for chunk_start, chunk_end in _chunks(start, end, FREEBUSY_MAX_RANGE):
            body = {
                "timeMin": _rfc3339(chunk_start),
                "timeMax": _rfc3339(chunk_end),
                "timeZone": "UTC",
                "items": [{"id": self.calendar_id}],
            }
            data = await self._run(_freebusy_query(body))
            calendars = data.get("calendars", {})
            entry = calendars.get(self.calendar_id) or (
                next(iter(calendars.values())) if len(calendars) == 1 else {}
            )
            errors = entry.get("errors") or []
            if errors:
                reasons = ", ".join(str(error.get("reason")) for error in errors)
                raise GoogleRequestRejected(200, f"free/busy of {self.calendar_id}: {reasons}")
            blocks += [
                Interval(_parse_time(b["start"]), _parse_time(b["end"])) for b in entry.get("busy", [])
            ]
        return blocks

    async def insert_event(self, draft: EventDraft) -> CalendarEvent:
        """Create the event, inviting the guests; a retry of an insert that already landed returns that event."""
        body = _event_body(draft)
        if draft.key:
            body["id"] = event_id_for(draft.key)
        try:
            data = await self._run(
                lambda api: api.events().insert(
                    calendarId=self.calendar_id,
                    body=body,
                    sendUpdates="all" if draft.attendees else "none",
                    conferenceDataVersion=1 if draft.google_meet else 0,
                )
            )
        except GoogleRequestRejected as exc:
            if exc.status != 409 or "id" not in body:
                raise
            data = await self._run(
                lambda api: api.events().get(calendarId=self.calendar_id, eventId=body["id"])
            )
        return _event(data)

    async def patch_event(self, event_id: str, draft: EventDraft) -> CalendarEvent:
        """Move or retitle an event; guests are told."""
        body = _event_body(draft)
        body.pop("conferenceData", None)  # keep the Meet the event already has
        data = await self._run(
            lambda api: api.events().patch(
                calendarId=self.calendar_id,
                eventId=event_id,
                body=body,
                sendUpdates="all" if draft.attendees else "none",
            )
        )
        return _event(data)

    async def delete_event(self, event_id: str, *, notify: bool = True) -> bool:
        """Delete an event; False when Google no longer has it (404, or 410 already deleted)."""
        try:
            await self._run(
                lambda api: api.events().delete(
                    calendarId=self.calendar_id, eventId=event_id, sendUpdates="all" if notify else "none"
                )
            )
        except GoogleRequestRejected as exc:
            if exc.status in (404, 410):
                return False
            raise
        return True

    async def _run(self, call: Callable[[Any], Any]) -> Any:
        async with self._lock:
            return await asyncio.to_thread(self._execute, call)

    def _execute(self, call: Callable[[Any], Any]) -> Any:
        import google_auth_httplib2
        import httplib2
        from google.auth import exceptions as auth_exceptions
        from googleapiclient.discovery import build_from_document
        from googleapiclient.errors import HttpError

        if self._service is None:
            http = google_auth_httplib2.AuthorizedHttp(self.credentials, http=self.transport.http_factory())
            self._service = build_from_document(_calendar_discovery(), http=http)
        try:
            return call(self._service).execute(num_retries=self.transport.api_retries)
        except auth_exceptions.RefreshError as exc:
            if getattr(exc, "retryable", False):
                raise GoogleUnavailable(f"token refresh failed for now: {exc}") from exc
            raise ReconnectRequired(f"Google refused to refresh the token: {exc}") from exc
        except auth_exceptions.TransportError as exc:
            raise GoogleUnavailable(f"Google could not be reached: {exc}") from exc
        except HttpError as exc:
            raise _http_error(exc) from exc
        except (OSError, httplib2.HttpLib2Error) as exc:
            raise GoogleUnavailable(f"Google could not be reached: {type(exc).__name__}") from exc


def _freebusy_query(body: dict[str, Any]) -> Callable[[Any], Any]:
    return lambda api: api.freebusy().query(body=body)


@cache
def _calendar_discovery() -> str:
    """The Calendar v3 discovery document shipped with google-api-python-client (read once, on first use)."""
    import googleapiclient

    path = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents" / "calendar.v3.json"
    return path.read_text()


def _http_error(exc: HttpError) -> GoogleCalendarError:
    status = int(exc.resp.status)
    reasons = _error_reasons(exc)
    message = exc.reason if isinstance(exc.reason, str) else str(exc)
    if status == 401 or (
        status == 403 and reasons & {"insufficientPermissions", "forbidden", "accessNotConfigured"}
    ):
        return ReconnectRequired(f"Google Calendar refused the rep's token ({status}: {message})")
    if (
        status == 429
        or status >= 500
        or (status == 403 and reasons & {"rateLimitExceeded", "userRateLimitExceeded"})
    ):
        return GoogleUnavailable(f"Google Calendar is busy ({status}: {message})")
    return GoogleRequestRejected(status, message)


def _error_reasons(exc: HttpError) -> set[str]:
    try:
        error = json.loads(exc.content).get("error", {})
    except (ValueError, AttributeError):
        return set()
    reasons = {str(item.get("reason")) for item in error.get("errors", []) if isinstance(item, dict)}
    for detail in error.get("details", []) or []:
        if isinstance(detail, dict) and detail.get("reason"):
            reasons.add(str(detail["reason"]))
    if error.get("status") == "PERMISSION_DENIED" and "ACCESS_TOKEN_SCOPE_INSUFFICIENT" in reasons:
        reasons.add("insufficientPermissions")
    return reasons


def _event_body(draft: EventDraft) -> dict[str, Any]:
    body: dict[str, Any] = {
        "summary": draft.summary,
        "description": draft.description,
        "start": {"dateTime": _local_rfc3339(draft.starts_at, draft.time_zone), "timeZone": draft.time_zone},
        "end": {"dateTime": _local_rfc3339(draft.ends_at, draft.time_zone), "timeZone": draft.time_zone},
        "attendees": [
            {"email": email, **({"displayName": name} if name else {})} for email, name in draft.attendees
        ],
        "reminders": {"useDefault": True},
    }
    if draft.location:
        body["location"] = draft.location
    if draft.key:
        body["extendedProperties"] = {"private": {"realty_key": draft.key}}
    if draft.google_meet:
        body["conferenceData"] = {
            "createRequest": {
                "requestId": event_id_for(f"meet:{draft.key or draft.starts_at.isoformat()}"),
                "conferenceSolutionKey": {"type": "hangoutsMeet"},
            }
        }
    return body


def _event(data: Mapping[str, Any]) -> CalendarEvent:
    meet = data.get("hangoutLink")
    for entry in (data.get("conferenceData") or {}).get("entryPoints", []):
        if entry.get("entryPointType") == "video":
            meet = meet or entry.get("uri")
    return CalendarEvent(
        id=data["id"], html_link=data.get("htmlLink"), meet_link=meet, status=data.get("status")
    )


def _chunks(start: datetime, end: datetime, size: timedelta) -> Iterator[tuple[datetime, datetime]]:
    while start < end:
        yield start, min(start + size, end)
        start += size


def _rfc3339(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _local_rfc3339(instant: datetime, zone: str) -> str:
    return instant.astimezone(ZoneInfo(zone)).isoformat()


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
