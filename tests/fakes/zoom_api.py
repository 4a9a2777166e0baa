"""Zoom's REST API as respx routes, answering with the shapes Zoom really sends.

with zoom_api() as zoom:
    client = ZoomClient(CREDENTIALS, http=httpx.AsyncClient(), clock=clock)
    await client.create_meeting(...)
    assert zoom.created[0]["topic"] == ...
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import respx

from agent.adapters.zoom import ZOOM_API_URL, ZOOM_TOKEN_URL, ZoomCredentials

JSON = dict[str, Any]
CREDENTIALS = ZoomCredentials(
    account_id="aBcDeFgHiJkLmN0pQr", client_id="zoomClientId01", client_secret="zoomSecret"
)


def token_body(n: int) -> JSON:
    return {
        "access_token": f"eyJzdiI6IjAwMDAwMSIsImFsZyI6IkhTNTEyIn0.token-{n}",
        "token_type": "bearer",
        "expires_in": 3599,
        "scope": "meeting:write:meeting:admin meeting:update:meeting:admin meeting:delete:meeting:admin",
        "api_url": "https://api.zoom.us",
    }


def meeting_body(meeting_id: int, request: JSON, host_email: str = "owner@acme-realty.com") -> JSON:
    """201 of POST /users/{userId}/meetings."""
    pwd = "Ab1cD2eF3gH4iJ5kL6mN7oP8qR9sT0.1"
    return {
        "uuid": "R0zb4m6vQN2h3k5fB9eE6A==",
        "id": meeting_id,
        "host_id": "KDcuGIm1QgePTO8WbOqwIQ",
        "host_email": host_email,
        "topic": request.get("topic"),
        "type": 2,
        "status": "waiting",
        "start_time": request.get("start_time"),
        "duration": request.get("duration"),
        "timezone": request.get("timezone"),
        "agenda": request.get("agenda", ""),
        "created_at": "2026-01-01T09:00:01Z",
        "start_url": f"https://us05web.zoom.us/s/{meeting_id}?zak=eyJ0eXAiOiJKV1QiLCJzdiI6IjAwMDAwMSJ9",
        "join_url": f"https://us05web.zoom.us/j/{meeting_id}?pwd={pwd}",
        "password": "x1Y2z3",
        "h323_password": "123456",
        "pstn_password": "123456",
        "encrypted_password": pwd,
        "settings": {"join_before_host": False, "waiting_room": True, "mute_upon_entry": False},
        "pre_schedule": False,
    }


def error(status: int, code: int, message: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json={"code": code, "message": message}, headers=headers)


@dataclass
class ZoomStub:
    router: respx.MockRouter
    token_calls: int = 0
    created: list[JSON] = field(default_factory=list)
    created_for: list[str] = field(default_factory=list)
    updated: list[tuple[str, JSON]] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unknown_users: set[str] = field(default_factory=set)
    meetings: set[str] = field(default_factory=set)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(85746065432))

    def token(self, request: httpx.Request) -> httpx.Response:
        self.token_calls += 1
        return httpx.Response(200, json=token_body(self.token_calls))

    def create(self, request: httpx.Request, user_id: str) -> httpx.Response:
        if user_id in self.unknown_users:
            return error(404, 1001, f"User does not exist: {user_id}.")
        body = json.loads(request.content)
        self.created.append(body)
        self.created_for.append(user_id)
        meeting_id = next(self._ids)
        self.meetings.add(str(meeting_id))
        return httpx.Response(201, json=meeting_body(meeting_id, body))

    def update(self, request: httpx.Request, meeting_id: str) -> httpx.Response:
        if meeting_id not in self.meetings:
            return error(404, 3001, f"Meeting does not exist: {meeting_id}.")
        self.updated.append((meeting_id, json.loads(request.content)))
        return httpx.Response(204)

    def delete(self, request: httpx.Request, meeting_id: str) -> httpx.Response:
        if meeting_id not in self.meetings:
            return error(404, 3001, f"Meeting does not exist: {meeting_id}.")
        self.meetings.discard(meeting_id)
        self.deleted.append(meeting_id)
        return httpx.Response(204)


@contextmanager
def zoom_api() -> Iterator[ZoomStub]:
    """Route Zoom's token and meeting endpoints to a stub for the duration of the block."""
    with respx.mock(assert_all_called=False) as router:
        router.route(
            host="127.0.0.1"
        ).pass_through()  # loopback stand-ins (the Telegram Bot API) stay reachable
        stub = ZoomStub(router)
        router.post(ZOOM_TOKEN_URL, name="token").mock(side_effect=stub.token)
        router.post(url__regex=rf"{ZOOM_API_URL}/users/(?P<user_id>[^/]+)/meetings", name="create").mock(
            side_effect=stub.create
        )
        router.patch(url__regex=rf"{ZOOM_API_URL}/meetings/(?P<meeting_id>\d+)", name="update").mock(
            side_effect=stub.update
        )
        router.delete(url__regex=rf"{ZOOM_API_URL}/meetings/(?P<meeting_id>\d+)", name="delete").mock(
            side_effect=stub.delete
        )
        yield stub
