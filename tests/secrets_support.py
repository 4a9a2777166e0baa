"""Lead-bot tokens in tests: stored encrypted, as in production, with the test session's key."""

from __future__ import annotations

from pydantic import SecretStr

from agent.adapters.crypto import LeadBotColumns, LeadBotTokens
from agent.settings import Settings

TEST_TOKEN_ENCRYPTION_KEY = SecretStr("KPpbWPiGm5IkWdEMUiMvkbFDdZqWpO2eef8NbjzrEgs=")
"""The key of the session's settings (tests/conftest.py): tokens stored with it are what the bots read."""


def tokens() -> LeadBotTokens:
    return LeadBotTokens(Settings(_env_file=None, token_encryption_key=TEST_TOKEN_ENCRYPTION_KEY))  # type: ignore[call-arg]


def lead_bot_columns(token: str | None) -> dict[str, object]:
    """Tenant columns holding `token` encrypted: `TenantRepository(s).create(..., **lead_bot_columns(T))`."""
    return tokens().columns(token)


def store_lead_bot_token(tenant: LeadBotColumns, token: str | None) -> None:
    tokens().store(tenant, token)


def lead_bot_token_of(tenant: LeadBotColumns) -> str | None:
    return tokens().read(tenant)
