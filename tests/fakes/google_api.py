"""Stand-ins for Google's OAuth and Calendar endpoints, answering with the shapes Google really sends.

The calendar API and token refresh go through google-api-python-client's `HttpMockSequence` (an httplib2
stand-in, so google-auth's refresh also passes through it); the authorization-code exchange, which
google-auth-oauthlib makes with `requests`, goes through `TokenEndpoint`, a requests transport adapter.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import requests
from googleapiclient.http import HttpMockSequence
from requests.adapters import BaseAdapter

from agent.adapters.google import SCOPES, GoogleTransport

JSON = dict[str, Any]
GRANTED_SCOPE = " ".join(SCOPES)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def id_token(
    email: str, *, client_id: str, verified: bool = True, hd: str | None = None, issued: int = 1_767_258_000
) -> str:
    """An OpenID Connect id_token as Google's token endpoint returns it (the signature is not checked)."""
    header = {"alg": "RS256", "kid": "1e9gdk7", "typ": "JWT"}
    claims: JSON = {
        "iss": "https://accounts.google.com",
        "azp": client_id,
        "aud": client_id,
        "sub": "110169484474386276334",
        "email": email,
        "email_verified": verified,
        "at_hash": "HK6E_P6Dh8Y93mRNtsDB1Q",
        "iat": issued,
        "exp": issued + 3600,
    }
    if hd:
        claims["hd"] = hd
    return ".".join(
        (_b64(json.dumps(header).encode()), _b64(json.dumps(claims).encode()), _b64(b"signature-not-checked"))
    )


def token_response(
    *, email: str, client_id: str, scope: str = GRANTED_SCOPE, refresh: bool = True, verified: bool = True
) -> JSON:
    """POST https://oauth2.googleapis.com/token, grant_type=authorization_code, 200."""
    body: JSON = {
        "access_token": "ya29.a0AfB_byC-first-access-token",
        "expires_in": 3599,
        "scope": scope,
        "token_type": "Bearer",
        "id_token": id_token(email, client_id=client_id, verified=verified, hd=email.rsplit("@", 1)[-1]),
    }
    if refresh:
        body["refresh_token"] = "1//0gdZ-refresh-token-xyz"
    return body


def refresh_response(access_token: str = "ya29.a0AfB_byC-refreshed") -> tuple[JSON, str]:
    """POST https://oauth2.googleapis.com/token, grant_type=refresh_token, 200."""
    return (
        {"status": "200", "content-type": "application/json; charset=utf-8"},
        json.dumps(
            {
                "access_token": access_token,
                "expires_in": 3599,
                "scope": GRANTED_SCOPE,
                "token_type": "Bearer",
            }
        ),
    )


def invalid_grant() -> tuple[JSON, str]:
    """The token endpoint's answer for a revoked or expired refresh token."""
    return (
        {"status": "400", "content-type": "application/json; charset=utf-8"},
        json.dumps({"error": "invalid_grant", "error_description": "Token has been expired or revoked."}),
    )


def ok(body: JSON) -> tuple[JSON, str]:
    return {"status": "200", "content-type": "application/json; charset=UTF-8"}, json.dumps(body)


def no_content() -> tuple[JSON, str]:
    return {"status": "204"}, ""


def api_error(status: int, reason: str, message: str) -> tuple[JSON, str]:
    """Google's JSON error envelope."""
    body = {
        "error": {
            "errors": [{"domain": "global", "reason": reason, "message": message}],
            "code": status,
            "message": message,
        }
    }
    return {"status": str(status), "content-type": "application/json; charset=UTF-8"}, json.dumps(body)


def unauthorized() -> tuple[JSON, str]:
    body = {
        "error": {
            "code": 401,
            "message": "Request had invalid authentication credentials. Expected OAuth 2 access token, "
            "login cookie or other valid authentication credential.",
            "errors": [
                {
                    "message": "Invalid Credentials",
                    "domain": "global",
                    "reason": "authError",
                    "location": "Authorization",
                    "locationType": "header",
                }
            ],
            "status": "UNAUTHENTICATED",
        }
    }
    return {"status": "401", "content-type": "application/json; charset=UTF-8"}, json.dumps(body)


def calendar_list_entry(email: str, time_zone: str) -> JSON:
    """GET calendar/v3/users/me/calendarList/primary."""
    return {
        "kind": "calendar#calendarListEntry",
        "etag": '"1712345678901000"',
        "id": email,
        "summary": email,
        "timeZone": time_zone,
        "colorId": "14",
        "backgroundColor": "#9fe1e7",
        "foregroundColor": "#000000",
        "selected": True,
        "accessRole": "owner",
        "defaultReminders": [{"method": "popup", "minutes": 10}],
        "notificationSettings": {"notifications": [{"type": "eventCreation", "method": "email"}]},
        "primary": True,
        "conferenceProperties": {"allowedConferenceSolutionTypes": ["hangoutsMeet"]},
    }


def freebusy(time_min: datetime, time_max: datetime, busy: Iterable[tuple[datetime, datetime]]) -> JSON:
    """POST calendar/v3/freeBusy for items [{"id": "primary"}]."""

    def stamp(moment: datetime) -> str:
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    return {
        "kind": "calendar#freeBusy",
        "timeMin": stamp(time_min).replace("Z", ".000Z"),
        "timeMax": stamp(time_max).replace("Z", ".000Z"),
        "calendars": {"primary": {"busy": [{"start": stamp(s), "end": stamp(e)} for s, e in busy]}},
    }


def event(
    event_id: str,
    *,
    summary: str,
    start: str,
    end: str,
    time_zone: str,
    organizer: str,
    attendees: Iterable[str] = (),
    meet_code: str | None = None,
    sequence: int = 0,
) -> JSON:
    """An event resource as events.insert / patch / get return it."""
    body: JSON = {
        "kind": "calendar#event",
        "etag": '"3412345678901234"',
        "id": event_id,
        "status": "confirmed",
        "htmlLink": f"https://www.google.com/calendar/event?eid={_b64(f'{event_id} {organizer}'.encode())}",
        "created": "2026-01-01T09:00:01.000Z",
        "updated": "2026-01-01T09:00:01.512Z",
        "summary": summary,
        "creator": {"email": organizer, "self": True},
        "organizer": {"email": organizer, "self": True},
        "start": {"dateTime": start, "timeZone": time_zone},
        "end": {"dateTime": end, "timeZone": time_zone},
        "iCalUID": f"{event_id}@google.com",
        "sequence": sequence,
        "attendees": [{"email": email, "responseStatus": "needsAction"} for email in attendees],
        "reminders": {"useDefault": True},
        "eventType": "default",
    }
    if meet_code:
        body["hangoutLink"] = f"https://meet.google.com/{meet_code}"
        body["conferenceData"] = {
            "createRequest": {
                "requestId": "7c2f6a0e",
                "conferenceSolutionKey": {"type": "hangoutsMeet"},
                "status": {"statusCode": "success"},
            },
            "entryPoints": [
                {
                    "entryPointType": "video",
                    "uri": f"https://meet.google.com/{meet_code}",
                    "label": f"meet.google.com/{meet_code}",
                }
            ],
            "conferenceSolution": {
                "key": {"type": "hangoutsMeet"},
                "name": "Google Meet",
                "iconUri": "https://fonts.gstatic.com/s/i/productlogos/meet_2020q4/v6/web-512dp/logo_meet_2020q4_color_2x_web_512dp.png",
            },
            "conferenceId": meet_code,
        }
    return body


class TokenEndpoint(BaseAdapter):
    """Google's token endpoint for the code exchange, as a requests transport adapter."""

    def __init__(self, answers: Iterable[tuple[int, JSON]]) -> None:
        super().__init__()
        self.answers = list(answers)
        self.requests: list[requests.PreparedRequest] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.requests.append(request)
        status, body = self.answers.pop(0)
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(body).encode()
        response.headers["Content-Type"] = "application/json; charset=utf-8"
        response.url = str(request.url)
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        pass

    def form(self, index: int = -1) -> dict[str, str]:
        """The form fields of a request the endpoint received."""
        from urllib.parse import parse_qsl

        body = self.requests[index].body
        text = body.decode() if isinstance(body, bytes) else str(body or "")
        return dict(parse_qsl(text))


class GoogleStub:
    """One test's Google: queue API answers, read back what was asked."""

    def __init__(self) -> None:
        self.sequences: list[HttpMockSequence] = []
        self.queued: list[tuple[JSON, str]] = []
        self.token_endpoint = TokenEndpoint([])

    def queue(self, *answers: tuple[JSON, str]) -> None:
        self.queued.extend(answers)

    def http(self) -> HttpMockSequence:
        # Every calendar client gets its own httplib2 stand-in; all of them read from one queue.
        sequence = HttpMockSequence(self.queued)
        self.sequences.append(sequence)
        return sequence

    @property
    def transport(self) -> GoogleTransport:
        factory: Callable[[], Any] = self.http
        return GoogleTransport(http_factory=factory, token_adapter=self.token_endpoint, api_retries=0)

    @property
    def requests(self) -> list[tuple[str, str, Any, Any]]:
        """(uri, method, body, headers) of every call made through HttpMockSequence, in order."""
        return [call for sequence in self.sequences for call in sequence.request_sequence]

    def body(self, index: int) -> JSON:
        raw = self.requests[index][2]
        return json.loads(raw.decode() if isinstance(raw, bytes) else raw)
