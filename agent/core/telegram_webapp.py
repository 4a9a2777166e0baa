"""Telegram Mini App sign-in: is this `initData` really from Telegram, for our bot, and fresh?

Telegram's published rule ("Validating data received via the Mini App"): the data-check-string is every
field but `hash`, as `key=value`, sorted by key and joined by "\n"; the secret key is
HMAC-SHA256(key="WebAppData", msg=bot_token); the data is genuine when
hex(HMAC-SHA256(key=secret_key, msg=data_check_string)) equals `hash`. Pure: no clock, no I/O.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import parse_qsl

MAX_AGE = timedelta(minutes=10)
"""How old `auth_date` may be by default: Telegram signs initData when the Mini App opens, and the page posts
it at once; initData travels in the URL fragment, so a long life would let a leaked copy be replayed."""
MAX_LENGTH = 8192


class Refusal(StrEnum):
    """Why initData was refused (also the audit's reason code)."""

    EMPTY = "initdata_empty"
    MALFORMED = "initdata_malformed"
    NO_HASH = "initdata_no_hash"
    BAD_HASH = "initdata_bad_hash"
    NO_DATE = "initdata_no_auth_date"
    TOO_OLD = "initdata_too_old"
    FROM_FUTURE = "initdata_from_the_future"
    NO_USER = "initdata_no_user"


class InitDataRefused(Exception):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class WebAppUser:
    """The Telegram user who opened the Mini App, as Telegram signed it."""

    id: int
    first_name: str
    username: str | None
    language_code: str | None
    auth_date: datetime
    hash: str
    """Telegram's signature over the fields: what marks this initData as used (single use)."""


def data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def sign(fields: dict[str, str], bot_token: str) -> str:
    """The hex `hash` Telegram puts on these fields (used by the check, and by tests to build initData)."""
    secret_key = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    return hmac.new(secret_key, data_check_string(fields).encode(), hashlib.sha256).hexdigest()


def validate_init_data(
    init_data: str, bot_token: str, now: datetime, *, max_age: timedelta = MAX_AGE
) -> WebAppUser:
    """The user of genuine, fresh initData; raises InitDataRefused with the reason otherwise."""
    if not init_data or not init_data.strip():
        raise InitDataRefused(Refusal.EMPTY)
    if len(init_data) > MAX_LENGTH:
        raise InitDataRefused(Refusal.MALFORMED)
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InitDataRefused(Refusal.MALFORMED) from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InitDataRefused(Refusal.MALFORMED)  # a repeated key: ambiguous, so never genuine
    sent = fields.get("hash")
    if not sent:
        raise InitDataRefused(Refusal.NO_HASH)
    if not hmac.compare_digest(sign(fields, bot_token).encode(), sent.lower().encode()):
        raise InitDataRefused(Refusal.BAD_HASH)
    try:
        signed_at = datetime.fromtimestamp(int(fields["auth_date"]), tz=now.tzinfo)
    except (KeyError, ValueError, OverflowError, OSError):
        raise InitDataRefused(Refusal.NO_DATE) from None
    if now - signed_at > max_age:
        raise InitDataRefused(Refusal.TOO_OLD)
    if signed_at - now > timedelta(minutes=5):
        raise InitDataRefused(Refusal.FROM_FUTURE)
    return _user(fields.get("user"), signed_at, sent.lower())


def _user(raw: str | None, signed_at: datetime, signature: str) -> WebAppUser:
    try:
        user = json.loads(raw or "")
        telegram_id = int(user["id"])
    except (ValueError, TypeError, KeyError):
        raise InitDataRefused(Refusal.NO_USER) from None
    if not isinstance(user, dict) or telegram_id <= 0:
        raise InitDataRefused(Refusal.NO_USER)
    username = user.get("username")
    language = user.get("language_code")
    return WebAppUser(
        id=telegram_id,
        first_name=str(user.get("first_name") or ""),
        username=str(username) if username else None,
        language_code=str(language) if language else None,
        auth_date=signed_at,
        hash=signature,
    )
