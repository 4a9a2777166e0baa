"""Secrets at rest (OAuth tokens, lead-bot tokens): Fernet-encrypted with TOKEN_ENCRYPTION_KEY, never stored in
the clear."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

if TYPE_CHECKING:
    from agent.settings import Settings

GENERATE_KEY_HINT = (
    'generate one with `uv run python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())"` and set TOKEN_ENCRYPTION_KEY in .env'
)


class TokenEncryptionKeyMissing(RuntimeError):
    """No usable TOKEN_ENCRYPTION_KEY: calendar and lead-bot tokens cannot be stored or read."""


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


def rotate_token(blob: bytes, cipher: MultiFernet) -> bytes:
    """`blob` re-encrypted with the first key of `cipher` (MultiFernet.rotate), so older keys can be retired.
    Raises TokenUnreadable when no key reads it."""
    try:
        return cipher.rotate(blob)
    except InvalidToken as exc:
        raise TokenUnreadable("a stored token does not decrypt with any key of TOKEN_ENCRYPTION_KEY") from exc


class LeadBotColumns(Protocol):
    """What a tenant row stores of its lead bot's token (storage.models.Tenant)."""

    lead_bot_token_encrypted: bytes | None
    lead_bot_token_digest: str | None


def token_digest(token: str) -> str:
    """SHA-256 of a bot token: keeps one agency per bot (a unique column) without storing the token.

    Unkeyed on purpose: a bot token is long and random, so its digest reveals nothing, and key rotation
    leaves digests valid."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class LeadBotTokens:
    """Tenants' lead-bot tokens, encrypted at rest with TOKEN_ENCRYPTION_KEY (rotation as for OAuth tokens)."""

    settings: Settings

    def read(self, tenant: LeadBotColumns) -> str | None:
        """The tenant's token, or None when it has no lead bot. Raises TokenEncryptionKeyMissing or
        TokenUnreadable when the stored token cannot be decrypted."""
        if tenant.lead_bot_token_encrypted is None:
            return None
        try:
            return token_cipher(self.settings).decrypt(tenant.lead_bot_token_encrypted).decode()
        except InvalidToken as exc:
            raise TokenUnreadable(
                "a stored lead-bot token does not decrypt with TOKEN_ENCRYPTION_KEY (was the key changed? keep "
                "the old key after the new one, comma-separated, or set the token again with `realty bot set-token`)"
            ) from exc

    def store(self, tenant: LeadBotColumns, token: str | None) -> None:
        """Set (encrypted, with its digest) or remove (None or "") the tenant's token."""
        if not token:
            tenant.lead_bot_token_encrypted, tenant.lead_bot_token_digest = None, None
            return
        tenant.lead_bot_token_encrypted = token_cipher(self.settings).encrypt(token.encode())
        tenant.lead_bot_token_digest = token_digest(token)

    def columns(self, token: str | None) -> dict[str, object]:
        """The tenant columns for `token`, for `TenantRepository.create(..., **columns)`."""
        holder = _Columns()
        self.store(holder, token)
        return {
            "lead_bot_token_encrypted": holder.lead_bot_token_encrypted,
            "lead_bot_token_digest": holder.lead_bot_token_digest,
        }


@dataclass
class _Columns:
    lead_bot_token_encrypted: bytes | None = None
    lead_bot_token_digest: str | None = None
