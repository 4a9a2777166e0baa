"""Zoom meetings through one organisational Server-to-Server OAuth app (httpx + tenacity).

The token comes from the account_credentials grant and is reused until shortly before it expires.
A meeting is created for the rep's own Zoom user when we know it, else on the shared account's owner
("me") with the rep's name in the topic. 429 answers are retried after the Retry-After Zoom sends.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt, wait_exponential

from agent.core.clock import Clock

if TYPE_CHECKING:
    from agent.settings import Settings

log = logging.getLogger(__name__)

ZOOM_TOKEN_URL = "https://zoom.us/oauth/token"
ZOOM_API_URL = "https://api.zoom.us/v2"
TOKEN_EXPIRY_MARGIN = timedelta(minutes=2)
SHARED_HOST = "me"
"""The user who owns the Server-to-Server app: host of meetings of reps without their own Zoom user."""
MEETING_NOT_FOUND = 3001
USER_NOT_FOUND = 1001


class ZoomError(RuntimeError):
    """Zoom could not do what was asked; the message says why."""


class ZoomAuthFailed(ZoomError):
    """The Server-to-Server app's credentials were refused: an operator must check ZOOM_* settings."""


class ZoomRateLimited(ZoomError):
    def __init__(self, message: str, retry_after: float | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ZoomUnavailable(ZoomError):
    """Zoom answered 5xx or could not be reached."""


class ZoomRequestRejected(ZoomError):
    def __init__(self, status: int, code: int | None, message: str) -> None:
        super().__init__(f"Zoom refused the request ({status}, code {code}): {message}")
        self.status = status
        self.code = code


class _TokenRejected(ZoomError):
    """A 401 on an API call: the cached token is dropped and the call retried with a fresh one."""


@dataclass(frozen=True)
class ZoomCredentials:
    account_id: str
    client_id: str
    client_secret: str = field(repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> ZoomCredentials | None:
        """The app's credentials, or None when ZOOM_ACCOUNT_ID / ZOOM_CLIENT_ID / ZOOM_CLIENT_SECRET are not all set."""
        secret = settings.zoom_client_secret.get_secret_value() if settings.zoom_client_secret else ""
        if not (settings.zoom_account_id and settings.zoom_client_id and secret):
            return None
        return cls(settings.zoom_account_id, settings.zoom_client_id, secret)


@dataclass(frozen=True)
class MeetingRequest:
    topic: str
    starts_at: datetime
    duration: timedelta
    time_zone: str
    agenda: str = ""


@dataclass(frozen=True)
class ZoomMeeting:
    id: str
    join_url: str
    host_id: str | None = None
    password: str | None = None


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds, an HTTP date, or the ISO time Zoom sends."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when: datetime | None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - now).total_seconds(), 0.0)


class ZoomClient:
    """Create, move and delete Zoom meetings. One per process: it caches the account token."""

    def __init__(
        self,
        credentials: ZoomCredentials,
        *,
        http: httpx.AsyncClient,
        clock: Clock,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        max_attempts: int = 4,
        max_retry_after: float = 60.0,
    ) -> None:
        self.credentials = credentials
        self.http = http
        self.clock = clock
        self.sleep = sleep
        self.max_attempts = max_attempts
        self.max_retry_after = max_retry_after
        self._token: str | None = None
        self._token_expires_at: datetime | None = None
        self._token_lock = asyncio.Lock()

    async def create_meeting(
        self, request: MeetingRequest, *, rep_name: str, rep_zoom_user_id: str | None
    ) -> ZoomMeeting:
        """A scheduled meeting hosted by the rep's Zoom user, or by the shared account with the rep named."""
        if rep_zoom_user_id:
            try:
                return await self._create(request, rep_zoom_user_id, request.topic)
            except ZoomRequestRejected as exc:
                if exc.code != USER_NOT_FOUND:
                    raise
                log.warning("zoom user %s does not exist; hosting on the shared account", rep_zoom_user_id)
        return await self._create(request, SHARED_HOST, f"{request.topic} — {rep_name}")

    async def update_meeting(self, meeting_id: str, request: MeetingRequest) -> None:
        """Move a meeting (and retitle it); Zoom answers 204."""
        body = _meeting_body(request, request.topic)
        body.pop("topic")  # keep the topic the meeting was created with (it may carry the rep's name)
        await self._call("PATCH", f"/meetings/{meeting_id}", json=body)

    async def delete_meeting(self, meeting_id: str) -> bool:
        """Delete a meeting; False when Zoom no longer has it."""
        try:
            await self._call("DELETE", f"/meetings/{meeting_id}", params={"schedule_for_reminder": "true"})
        except ZoomRequestRejected as exc:
            if exc.status == 404 and exc.code == MEETING_NOT_FOUND:
                return False
            raise
        return True

    async def _create(self, request: MeetingRequest, user_id: str, topic: str) -> ZoomMeeting:
        response = await self._call("POST", f"/users/{user_id}/meetings", json=_meeting_body(request, topic))
        data = response.json()
        return ZoomMeeting(
            id=str(data["id"]),
            join_url=data["join_url"],
            host_id=data.get("host_id"),
            password=data.get("password"),
        )

    async def _call(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
    ) -> httpx.Response:
        async for attempt in self._retrying():
            with attempt:
                token = await self._access_token()
                response = await self._send(
                    method,
                    f"{ZOOM_API_URL}{path}",
                    json=json,
                    params=params,
                    headers={"Authorization": f"Bearer {token}"},
                )
                if response.status_code == 401:
                    self._token = None
                    raise _TokenRejected(_message(response))
                return response
        raise AssertionError("unreachable: tenacity re-raises the last error")

    async def _access_token(self) -> str:
        async with self._token_lock:
            now = self.clock.now()
            if self._token and self._token_expires_at and now < self._token_expires_at:
                return self._token
            response = await self._send(
                "POST",
                ZOOM_TOKEN_URL,
                params={"grant_type": "account_credentials", "account_id": self.credentials.account_id},
                auth=(self.credentials.client_id, self.credentials.client_secret),
            )
            data = response.json()
            self._token = str(data["access_token"])
            self._token_expires_at = (
                now + timedelta(seconds=int(data.get("expires_in", 3600))) - TOKEN_EXPIRY_MARGIN
            )
            return self._token

    async def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One HTTP exchange, its failures turned into typed errors."""
        try:
            response = await self.http.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            raise ZoomUnavailable(f"Zoom could not be reached: {type(exc).__name__}") from exc
        status = response.status_code
        if status < 400 or (status == 401 and url.startswith(ZOOM_API_URL)):
            return response
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("Retry-After"), self.clock.now())
            raise ZoomRateLimited(f"Zoom rate limit: {_message(response)}", retry_after)
        if status >= 500:
            raise ZoomUnavailable(f"Zoom answered {status}: {_message(response)}")
        if url == ZOOM_TOKEN_URL:
            raise ZoomAuthFailed(
                f"Zoom refused the Server-to-Server credentials ({_message(response)}): "
                "check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET"
            )
        code = _json(response).get("code")
        raise ZoomRequestRejected(status, code if isinstance(code, int) else None, _message(response))

    def _retrying(self) -> AsyncRetrying:
        return AsyncRetrying(
            retry=retry_if_exception(self._retryable),
            stop=stop_after_attempt(self.max_attempts),
            wait=self._wait,
            sleep=self.sleep,
            reraise=True,
        )

    def _retryable(self, error: BaseException) -> bool:
        if isinstance(error, ZoomRateLimited):
            return error.retry_after is None or error.retry_after <= self.max_retry_after
        return isinstance(error, ZoomUnavailable | _TokenRejected)

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, _TokenRejected):
            return 0.0
        if isinstance(error, ZoomRateLimited) and error.retry_after is not None:
            return error.retry_after
        return float(wait_exponential(multiplier=0.5, max=8)(state))


def _meeting_body(request: MeetingRequest, topic: str) -> dict[str, Any]:
    return {
        "topic": topic[:200],
        "type": 2,  # scheduled
        "start_time": request.starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "duration": max(1, int(request.duration.total_seconds() // 60)),
        "timezone": request.time_zone,
        "agenda": request.agenda[:2000],
        "settings": {"join_before_host": False, "waiting_room": True},
    }


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _message(response: httpx.Response) -> str:
    data = _json(response)
    return str(data.get("message") or data.get("reason") or data.get("error") or response.reason_phrase)
