"""OAuth tokens at rest: Fernet-encrypted with TOKEN_ENCRYPTION_KEY, never stored in the clear."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

if TYPE_CHECKING:
    from agent.settings import Settings

GENERATE_KEY_HINT = (
    'generate one with `uv run python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())"` and set TOKEN_ENCRYPTION_KEY in .env'
)


class TokenEncryptionKeyMissing(RuntimeError):
    """No usable TOKEN_ENCRYPTION_KEY: calendar tokens cannot be stored or read."""


class TokenUnreadable(RuntimeError):
    """A stored token does not decrypt with the configured key(s): the rep has to reconnect."""


def token_cipher(settings: Settings) -> MultiFernet:
    """The cipher for stored tokens.

    TOKEN_ENCRYPTION_KEY may hold several comma-separated keys: the first encrypts, all of them decrypt,
    so an operator can rotate keys without disconnecting every rep.
    """
    secret = settings.token_encryption_key.get_secret_value() if settings.token_encryption_key else ""
    keys = [part.strip() for part in secret.split(",") if part.strip()]
    if not keys:
        raise TokenEncryptionKeyMissing(f"TOKEN_ENCRYPTION_KEY is not set: {GENERATE_KEY_HINT}")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise TokenEncryptionKeyMissing(
            f"TOKEN_ENCRYPTION_KEY is not a valid Fernet key (32 url-safe base64 bytes): {GENERATE_KEY_HINT}"
        ) from exc


def encrypt_token(token: Mapping[str, object], settings: Settings) -> bytes:
    """The token as JSON, encrypted and authenticated."""
    return token_cipher(settings).encrypt(json.dumps(dict(token), sort_keys=True).encode())


def decrypt_token(blob: bytes, settings: Settings) -> dict[str, object]:
    """The token stored by `encrypt_token`."""
    try:
        data = json.loads(token_cipher(settings).decrypt(blob))
    except InvalidToken as exc:
        raise TokenUnreadable(
            "the stored calendar token does not decrypt with TOKEN_ENCRYPTION_KEY (was the key changed?)"
        ) from exc
    if not isinstance(data, dict):
        raise TokenUnreadable("the stored calendar token is not a JSON object")
    return data
