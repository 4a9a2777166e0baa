"""Telegram's limits and ours: long replies split, inputs capped, buttons signed, floods slowed down."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from agent.core.nlu.text import MAX_INPUT_CHARS

TEXT_LIMIT = 4096
"""Telegram's maximum message length, in UTF-16 code units."""
CAPTION_LIMIT = 1024
"""Telegram's maximum caption length under a document; a longer one is cut."""
CALLBACK_DATA_LIMIT = 64
"""Telegram's maximum callback_data length, in bytes."""

_KEY_BYTES = 12  # 16 base64url characters: fits CallbackState.key (24)
_SIGNATURE_BYTES = 9  # 12 base64url characters


def utf16_length(text: str) -> int:
    """Telegram counts message length in UTF-16 code units (an emoji is often two)."""
    return len(text.encode("utf-16-le")) // 2


def _cut_point(text: str, limit: int) -> int:
    """The largest prefix length <= limit code units, preferring a paragraph, line, sentence or word end."""
    end = 0
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            break
        end = index + 1
    if end >= len(text):
        return end
    window = text[:end]
    for separator in ("\n\n", "\n", ". ", " "):
        position = window.rfind(separator)
        if position > end // 2:
            return position + len(separator)
    return end


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split a reply into messages Telegram accepts, at natural boundaries where possible."""
    if limit <= 0:
        raise ValueError("limit must be positive")
    parts: list[str] = []
    rest = text
    while utf16_length(rest) > limit:
        cut = _cut_point(rest, limit)
        head = rest[:cut].rstrip()
        if head:
            parts.append(head)
        rest = rest[cut:].lstrip("\n ")
    if rest.strip() or not parts:
        parts.append(rest)
    return parts


def cap_input(text: str | None, limit: int = MAX_INPUT_CHARS) -> str:
    """The user's text, at most `limit` characters."""
    if not text:
        return ""
    return text if len(text) <= limit else text[:limit]


class CallbackTampered(ValueError):
    """A button's callback data was not signed by us."""


@dataclass(frozen=True)
class CallbackSigner:
    """Signs the server-side key a button carries, with a key derived from the bot's token.

    callback_data is `<key>.<signature>` (29 bytes); the payload itself lives in callback_states.
    """

    secret: bytes

    @classmethod
    def for_token(cls, token: str) -> CallbackSigner:
        return cls(hmac.new(b"realty-agent/callback-data/v1", token.encode(), hashlib.sha256).digest())

    @staticmethod
    def new_key() -> str:
        return base64.urlsafe_b64encode(secrets.token_bytes(_KEY_BYTES)).decode().rstrip("=")

    def _signature(self, key: str) -> str:
        digest = hmac.new(self.secret, key.encode(), hashlib.sha256).digest()[:_SIGNATURE_BYTES]
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def sign(self, key: str) -> str:
        data = f"{key}.{self._signature(key)}"
        if len(data.encode()) > CALLBACK_DATA_LIMIT:
            raise ValueError("callback data would exceed Telegram's 64 bytes")
        return data

    def verify(self, data: str | None) -> str:
        """The key inside signed callback data; raises CallbackTampered otherwise."""
        if not data or data.count(".") != 1:
            raise CallbackTampered("callback data is not ours")
        key, signature = data.split(".")
        if not hmac.compare_digest(signature, self._signature(key)):
            raise CallbackTampered("callback data signature does not match")
        return key


@dataclass
class RateLimiter:
    """At most `limit` events per `window` seconds per key (a user id), in this process.

    A flood guard, not an accounting tool: several processes each allow `limit`. Limits that must
    hold across processes (registrations per day) are counted in the database.
    """

    limit: int
    window: float
    clock: Callable[[], float] = field(default_factory=lambda: time.monotonic, repr=False)
    _events: dict[int, deque[float]] = field(default_factory=dict, repr=False)

    def allow(self, key: int) -> bool:
        now = self.clock()
        events = self._events.setdefault(key, deque())
        while events and now - events[0] >= self.window:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        if len(self._events) > 50_000:  # forget idle users so memory stays bounded
            idle = [k for k, q in self._events.items() if not q or now - q[-1] >= self.window]
            for stale in idle:
                self._events.pop(stale, None)
        return True
