"""One settings object, read from the environment and `.env` on first use (never at import time)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of realty-agent. Documented in `.env.example` and the README table."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Database
    database_url: str | None = Field(
        default=None,
        description="PostgreSQL >= 15 with pgvector, e.g. postgresql://user:pass@host:5432/realty. "
        "Unset: a private embedded PostgreSQL under REALTY_DATA_DIR.",
    )
    realty_data_dir: Path = Field(
        default_factory=lambda: Path(user_data_dir("realty-agent")),
        description="Where the embedded PostgreSQL and local state live.",
    )
    db_pool_size: int = Field(default=10, description="Connections per process in the SQLAlchemy pool.")

    # Model
    openai_api_key: SecretStr | None = Field(
        default=None, description="Key for any OpenAI-compatible endpoint."
    )
    openai_base_url: str | None = Field(
        default=None, description="OpenAI-compatible base URL (Ollama, vLLM, OpenRouter...)."
    )
    realty_model: str = Field(default="gpt-4o-mini", description="Chat model name at that endpoint.")
    realty_embeddings_model: str | None = Field(
        default=None,
        description="Embeddings model at that endpoint. Unset: the offline hashed n-gram embedder.",
    )
    model_timeout_seconds: float = Field(default=30.0, description="Timeout of one model call.")
    model_max_retries: int = Field(
        default=2, description="Retries of a failed model call before the offline fallback."
    )

    # Telegram
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org/bot",
        description="Bot API base URL (self-hosted Bot API servers, tests).",
    )
    telegram_file_base_url: str = Field(
        default="https://api.telegram.org/file/bot", description="Bot API file base URL."
    )
    registry_bot_token: SecretStr | None = Field(
        default=None, description="Token of the team (registry) bot."
    )
    admin_telegram_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="Comma-separated Telegram user ids of the admins."
    )
    corporate_email_domain: str | None = Field(
        default=None, description="Reps must register with @this-domain."
    )
    webhook_secret: SecretStr | None = Field(
        default=None, description="Secret token Telegram sends with webhooks."
    )
    public_base_url: str | None = Field(default=None, description="Public https base URL of this deployment.")
    webhooks_allow_private_hosts: bool = Field(
        default=False,
        description="Let outgoing webhooks reach private, loopback and link-local addresses (tests, a local receiver).",
    )
    forwarded_allow_ips: str | None = Field(
        default=None,
        description="Comma-separated addresses or networks of the reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto the web server trusts ('*': any); unset: 127.0.0.1 only.",
    )

    # Follow-ups
    outreach_interval_minutes: int = Field(default=30, description="How often the outreach job runs.")
    ghost_after_minutes: int = Field(
        default=120,
        description="Silence (minutes) before the Ghost Protocol nudge, for agencies without their own value.",
    )

    # E-mail, WhatsApp
    smtp_host: str | None = Field(default=None, description="SMTP server for e-mail follow-ups.")
    smtp_port: int = Field(default=587, description="SMTP port.")
    smtp_username: str | None = Field(default=None, description="SMTP user.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password.")
    smtp_from: str | None = Field(default=None, description="From address of follow-up e-mails.")
    whatsapp_token: SecretStr | None = Field(default=None, description="WhatsApp Cloud API token.")
    whatsapp_phone_number_id: str | None = Field(default=None, description="WhatsApp Cloud API sender id.")

    # Calendars
    google_client_id: str | None = Field(default=None, description="Google OAuth client id (Calendar).")
    google_client_secret: SecretStr | None = Field(default=None, description="Google OAuth client secret.")
    zoom_account_id: str | None = Field(default=None, description="Zoom Server-to-Server OAuth account id.")
    zoom_client_id: str | None = Field(default=None, description="Zoom Server-to-Server OAuth client id.")
    zoom_client_secret: SecretStr | None = Field(
        default=None, description="Zoom Server-to-Server OAuth secret."
    )
    token_encryption_key: SecretStr | None = Field(
        default=None,
        description="Fernet key(s), comma-separated for rotation, that encrypt stored OAuth and lead-bot "
        "tokens at rest.",
    )

    log_level: str = Field(default="WARNING", description="Python log level.")
    log_level_libraries: str | None = Field(
        default=None,
        description="Log level of httpx, httpcore, telegram, the OAuth and Google libraries. Unset: WARNING "
        "(they log URLs with bot tokens, updates, OAuth codes); records stay redacted at any level.",
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="text, or json: one redacted JSON object per line for log shippers."
    )

    @field_validator("admin_telegram_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("log_level", "log_level_libraries", mode="before")
    @classmethod
    def _known_level(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        if not value.strip():  # set but empty: the default
            return "WARNING" if info.field_name == "log_level" else None
        level = value.strip().upper()
        if level not in ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"):
            raise ValueError("a log level is one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower_format(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @property
    def has_model_key(self) -> bool:
        return self.openai_api_key is not None and bool(self.openai_api_key.get_secret_value())


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
