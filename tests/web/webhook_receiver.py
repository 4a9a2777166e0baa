"""The outside world for outgoing webhooks: an agency's HTTP receiver on a loopback port.

It checks every delivery the way the README tells a receiver to (`verify_realty_webhook`, written here from the
README, not imported from our code) and answers with the status codes a test lines up: 500, "timeout" (it
sleeps past the sender's timeout), 200...
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request, Response

from tests.web.web_support import live_server

TIMEOUT = "timeout"


def verify_realty_webhook(secret: str, headers: dict[str, str], body: bytes, now: float) -> bool:
    """The README's recipe: HMAC-SHA256 over f"{t}.{body}", constant-time compare, refuse anything over 5 minutes old."""
    parts = dict(p.split("=", 1) for p in headers["x-realty-signature"].split(","))
    timestamp = int(parts["t"])
    if abs(now - timestamp) > 300:
        return False  # a replay (or a clock far off)
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool

    @property
    def json(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.body)
        return result


@dataclass
class Receiver:
    url: str = ""
    secrets: dict[str, str] = field(default_factory=dict)
    """path -> the secret the admin was shown for the endpoint at that path."""
    answers: deque[int | str] = field(default_factory=deque)
    """What to answer next (200 when none is lined up)."""
    received: list[Received] = field(default_factory=list)
    now: float = 0.0
    """The receiver's own clock (Unix seconds), set by the test."""
    delay: float = 0.0
    on_request: Callable[[int], None] | None = None
    """Called with the number of requests received so far, as each one arrives (a test moves its clock)."""

    def at(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]


@asynccontextmanager
async def webhook_receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver()
    app = FastAPI()

    @app.post("/{path}")
    async def hook(path: str, request: Request) -> Response:
        body = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        secret = receiver.secrets.get(path, "")
        verified = bool(secret) and verify_realty_webhook(secret, headers, body, receiver.now)
        receiver.received.append(Received(path, headers, body, verified))
        if receiver.on_request is not None:
            receiver.on_request(len(receiver.received))
        answer = receiver.answers.popleft() if receiver.answers else 200
        if receiver.delay:
            await asyncio.sleep(receiver.delay)
        if answer == TIMEOUT:
            await asyncio.sleep(2.0)
            answer = 200
        return Response(status_code=int(answer) if verified else 400)

    async with live_server(app) as url:
        receiver.url = url
        yield receiver
