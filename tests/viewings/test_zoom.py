"""Zoom meetings through the shared Server-to-Server app: the token, meetings for reps, and rate limits."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from agent.adapters.zoom import (
    ZOOM_TOKEN_URL,
    MeetingRequest,
    ZoomAuthFailed,
    ZoomClient,
    ZoomRateLimited,
    parse_retry_after,
)
from agent.core.clock import FrozenClock
from tests.fakes.zoom_api import CREDENTIALS, ZoomStub, error, zoom_api

REQUEST = MeetingRequest(
    topic="Viewing: Villa Sunset (Ivan Petrov)",
    starts_at=datetime(2026, 3, 10, 2, 0, tzinfo=UTC),
    duration=timedelta(minutes=60),
    time_zone="Asia/Makassar",
    agenda="Villa Sunset, Jl. Pantai Berawa 12, Canggu",
)


class Sleeps:
    """Records tenacity's waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def zoom(clock: FrozenClock, sleeps: Sleeps) -> AsyncIterator[tuple[ZoomClient, ZoomStub]]:
    with zoom_api() as stub:
        async with httpx.AsyncClient() as http:
            yield ZoomClient(CREDENTIALS, http=http, clock=clock, sleep=sleeps), stub


async def test_a_meeting_is_created_for_the_reps_own_zoom_user(zoom: tuple[ZoomClient, ZoomStub]) -> None:
    client, stub = zoom
    meeting = await client.create_meeting(REQUEST, rep_name="Anna", rep_zoom_user_id="anna@acme-realty.com")

    assert meeting.id == "85746065432" and meeting.join_url.startswith(
        "https://us05web.zoom.us/j/85746065432"
    )
    assert stub.created_for == ["anna@acme-realty.com"]
    assert stub.created[0] == {
        "topic": "Viewing: Villa Sunset (Ivan Petrov)",
        "type": 2,
        "start_time": "2026-03-10T02:00:00Z",
        "duration": 60,
        "timezone": "Asia/Makassar",
        "agenda": "Villa Sunset, Jl. Pantai Berawa 12, Canggu",
        "settings": {"join_before_host": False, "waiting_room": True},
    }
    token_request = stub.router.routes["token"].calls[0].request
    assert parse_qs(urlsplit(str(token_request.url)).query) == {
        "grant_type": ["account_credentials"],
        "account_id": [CREDENTIALS.account_id],
    }
    basic = base64.b64encode(f"{CREDENTIALS.client_id}:{CREDENTIALS.client_secret}".encode()).decode()
    assert token_request.headers["Authorization"] == f"Basic {basic}"
    create_request = stub.router.routes["create"].calls[0].request
    assert create_request.headers["Authorization"] == "Bearer eyJzdiI6IjAwMDAwMSIsImFsZyI6IkhTNTEyIn0.token-1"


async def test_without_a_zoom_user_the_shared_account_hosts_with_the_reps_name(
    zoom: tuple[ZoomClient, ZoomStub],
) -> None:
    client, stub = zoom
    await client.create_meeting(REQUEST, rep_name="Anna Smirnova", rep_zoom_user_id=None)
    stub.unknown_users.add("left-the-company@acme-realty.com")
    await client.create_meeting(
        REQUEST, rep_name="Boris", rep_zoom_user_id="left-the-company@acme-realty.com"
    )

    assert stub.created_for == ["me", "me"]
    assert stub.created[0]["topic"] == "Viewing: Villa Sunset (Ivan Petrov) — Anna Smirnova"
    assert stub.created[1]["topic"].endswith("— Boris")


async def test_the_token_is_reused_until_it_expires(
    zoom: tuple[ZoomClient, ZoomStub], clock: FrozenClock
) -> None:
    client, stub = zoom
    await client.create_meeting(REQUEST, rep_name="Anna", rep_zoom_user_id=None)
    await client.create_meeting(REQUEST, rep_name="Anna", rep_zoom_user_id=None)
    assert stub.token_calls == 1
    clock.advance(timedelta(minutes=58))  # inside the margin before Zoom's 3599 s
    await client.create_meeting(REQUEST, rep_name="Anna", rep_zoom_user_id=None)
    assert stub.token_calls == 2


async def test_a_revoked_token_is_replaced_once(zoom: tuple[ZoomClient, ZoomStub]) -> None:
    client, stub = zoom
    answers = iter([error(401, 124, "Invalid access token.")])
    original = stub.create

    def create(request: httpx.Request, user_id: str) -> httpx.Response:
        return next(answers, None) or original(request, user_id)

    stub.router.routes["create"].side_effect = create
    meeting = await client.create_meeting(REQUEST, rep_name="Anna", rep_zoom_user_id=None)
    assert meeting.id and stub.token_calls == 2


async def test_moving_and_deleting_a_meeting(zoom: tuple[ZoomClient, ZoomStub]) -> None:
    client, stub = zoom
    meeting = await client.create_meeting(REQUEST, rep_name="Anna", rep_zoom_user_id=None)
    moved = MeetingRequest(
        topic=REQUEST.topic,
        starts_at=datetime(2026, 3, 13, 6, 30, tzinfo=UTC),
        duration=timedelta(minutes=60),
        time_zone="Asia/Makassar",
    )
    await client.update_meeting(meeting.id, moved)
    assert stub.updated == [
        (
            meeting.id,
            {
                "type": 2,
                "start_time": "2026-03-13T06:30:00Z",
                "duration": 60,
                "timezone": "Asia/Makassar",
                "agenda": "",
                "settings": {"join_before_host": False, "waiting_room": True},
            },
        )
    ]
    assert await client.delete_meeting(meeting.id) is True
    assert stub.deleted == [meeting.id]
    assert await client.delete_meeting(meeting.id) is False  # 404, code 3001: already gone
    delete_request = stub.router.routes["delete"].calls[0].request
    assert delete_request.url.params["schedule_for_reminder"] == "true"


async def test_429_waits_for_retry_after_then_succeeds(
    zoom: tuple[ZoomClient, ZoomStub], sleeps: Sleeps
) -> None:
    client, stub = zoom
    limited = error(
        429,
        429,
        "You have reached the maximum per-second rate limit for this API. Try again later.",
        headers={"Retry-After": "2", "X-RateLimit-Type": "QPS", "X-RateLimit-Category": "Medium"},
    )
    answers = iter([limited, limited])
    original = stub.create

    def create(request: httpx.Request, user_id: str) -> httpx.Response:
        return next(answers, None) or original(request, user_id)

    stub.router.routes["create"].side_effect = create
    meeting = await client.create_meeting(REQUEST, rep_name="Anna", rep_zoom_user_id=None)

    assert meeting.id and sleeps.waits == [2.0, 2.0]
    assert stub.router.routes["create"].call_count == 3


async def test_a_daily_limit_is_not_waited_out(
    zoom: tuple[ZoomClient, ZoomStub], sleeps: Sleeps, clock: FrozenClock
) -> None:
    client, stub = zoom
    stub.router.routes["create"].side_effect = lambda request, user_id: error(
        429,
        429,
        "You have exceeded the daily rate limit (100) of Meeting Create/Update API requests.",
        headers={"Retry-After": "2026-01-02T00:00:00Z", "X-RateLimit-Type": "Daily-limit"},
    )
    with pytest.raises(ZoomRateLimited) as limited:
        await client.create_meeting(REQUEST, rep_name="Anna", rep_zoom_user_id=None)
    assert limited.value.retry_after == 15 * 3600 and sleeps.waits == []


async def test_a_server_error_is_retried_with_backoff(
    zoom: tuple[ZoomClient, ZoomStub], sleeps: Sleeps
) -> None:
    client, stub = zoom
    answers = iter([httpx.Response(502, text="Bad Gateway")])
    original = stub.create
    stub.router.routes["create"].side_effect = lambda request, user_id: (
        next(answers, None) or original(request, user_id)
    )
    await client.create_meeting(REQUEST, rep_name="Anna", rep_zoom_user_id=None)
    assert len(sleeps.waits) == 1 and 0 < sleeps.waits[0] <= 8


async def test_wrong_credentials_tell_the_operator_what_to_check(
    zoom: tuple[ZoomClient, ZoomStub], sleeps: Sleeps
) -> None:
    client, stub = zoom
    stub.router.routes["token"].side_effect = lambda request: httpx.Response(
        400, json={"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
    )
    with pytest.raises(ZoomAuthFailed, match="ZOOM_CLIENT_SECRET"):
        await client.create_meeting(REQUEST, rep_name="Anna", rep_zoom_user_id=None)
    assert stub.router.routes["token"].call_count == 1 and sleeps.waits == []
    assert str(stub.router.routes["token"].calls[0].request.url).startswith(ZOOM_TOKEN_URL)


def test_retry_after_in_every_form_zoom_and_http_use() -> None:
    now = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after("Thu, 01 Jan 2026 09:00:30 GMT", now) == 30.0
    assert parse_retry_after("2026-01-01T09:01:00Z", now) == 60.0
    assert parse_retry_after(None, now) is None and parse_retry_after("soon", now) is None
    assert json.dumps(parse_retry_after("2025-12-31T00:00:00Z", now)) == "0.0"
