"""A loopback stand-in for an OpenAI-compatible chat-completions endpoint, speaking its HTTP wire format.

Tests queue what the endpoint answers (a reply, tool calls, an error status with headers, a delay)
and read back the requests it received. Runs on 127.0.0.1 only; nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Answer:
    status: int = 200
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def completion(content: str | None = None, tool_calls: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A chat.completion body with one choice."""
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_calls:
        message["tool_calls"] = tool_calls
    return {
        "id": "chatcmpl-loopback",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "loopback-model",
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": "tool_calls" if tool_calls else "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def tool_call(name: str, arguments: dict[str, Any] | str, call_id: str = "call_1") -> dict[str, Any]:
    """One tool call as OpenAI sends it; a str `arguments` is sent as is (to send malformed JSON)."""
    raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": raw}}


def error(status: int, message: str = "error", headers: dict[str, str] | None = None) -> Answer:
    return Answer(
        status=status,
        body={"error": {"message": message, "type": "server_error", "code": None}},
        headers=headers or {},
    )


class FakeOpenAI:
    """`async with FakeOpenAI() as api:` then point a client at `api.base_url`."""

    def __init__(self) -> None:
        self.answers: deque[Answer] = deque()
        self.requests: list[dict[str, Any]] = []
        self.default: Answer | None = None
        self._server: asyncio.AbstractServer | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def queue(self, *answers: Answer | dict[str, Any]) -> None:
        for answer in answers:
            self.answers.append(answer if isinstance(answer, Answer) else Answer(body=answer))

    async def __aenter__(self) -> FakeOpenAI:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request_line = await reader.readline()
                if not request_line:
                    return
                headers: dict[str, str] = {}
                while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0") or 0))
                method, path, _ = request_line.decode("latin-1").split(" ", 2)
                self.requests.append(
                    {"method": method, "path": path, "headers": headers, "json": json.loads(body or b"{}")}
                )
                answer = (
                    self.answers.popleft() if self.answers else self.default or error(500, "no answer queued")
                )
                if answer.delay:
                    await asyncio.sleep(answer.delay)
                payload = json.dumps(answer.body or {}).encode()
                head = [
                    f"HTTP/1.1 {answer.status} X",
                    "Content-Type: application/json",
                    f"Content-Length: {len(payload)}",
                ]
                head += [f"{name}: {value}" for name, value in answer.headers.items()]
                writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            return
        finally:
            writer.close()
