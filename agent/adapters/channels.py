"""Thin adapters that deliver one message: Telegram (lead bots and the team bot), e-mail over SMTP, WhatsApp.

Each adapter answers with the provider's message id, or raises one of three errors that tell the dispatcher
what it may do next: `RetryLater` (certainly not delivered, try again), `DeliveryFailed` (certainly not
delivered, give up) and `DeliveryUnknown` (it may have been delivered: never send it again).
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol

import httpx

from agent.adapters.crypto import LeadBotColumns, LeadBotTokens

if TYPE_CHECKING:
    from agent.adapters.telegram.outbound import TelegramOutbound
    from agent.settings import Settings

WHATSAPP_API_BASE_URL = "https://graph.facebook.com/v21.0"


class DeliveryError(Exception):
    """Base of what a channel raises instead of a message id."""


class RetryLater(DeliveryError):
    """Certainly not delivered; the provider asks us to wait `seconds` (flood control, 429)."""

    def __init__(self, seconds: float, detail: str = "") -> None:
        super().__init__(detail or f"retry after {seconds:g}s")
        self.seconds = seconds


class DeliveryFailed(DeliveryError):
    """Certainly not delivered and retrying will not help (blocked bot, bad address, bad request)."""


class DeliveryUnknown(DeliveryError):
    """The request may have reached the recipient (timeout, connection lost mid-request)."""


class ChannelUnavailable(DeliveryError):
    """This channel is not configured, or the recipient has no address on it: nothing was attempted."""


@dataclass(frozen=True)
class Outbound:
    """One message ready to go: who, through what, and what."""

    channel: str
    """telegram | team | email | whatsapp"""
    text: str
    bot_token: str | None = None
    chat_id: int | None = None
    email: str | None = None
    phone: str | None = None
    subject: str | None = None


class Transport(Protocol):
    async def send(self, message: Outbound) -> str: ...


class TelegramTransport:
    """Follow-ups through the process's sending bots (agent.adapters.telegram.outbound), paced per token."""

    def __init__(self, outbound: TelegramOutbound) -> None:
        self.outbound = outbound

    async def send(self, message: Outbound) -> str:
        from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TelegramError, TimedOut

        if not message.bot_token or message.chat_id is None:
            raise ChannelUnavailable("no bot token or no chat id")
        bot = self.outbound.bot(message.bot_token)
        try:
            sent = await bot.send_message(chat_id=message.chat_id, text=message.text)
        except RetryAfter as exc:
            raise RetryLater(_seconds(exc.retry_after), str(exc)) from exc
        except (BadRequest, Forbidden, InvalidToken) as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
        except TimedOut as exc:
            raise DeliveryUnknown(f"timed out: {exc}") from exc
        except TelegramError as exc:  # NetworkError and friends: the request may have gone through
            raise DeliveryUnknown(f"{type(exc).__name__}: {exc}") from exc
        return f"{sent.chat_id}:{sent.message_id}"


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0


class SmtpTransport:
    """E-mail through the standard library's smtplib, run in a thread (STARTTLS on 587, TLS on 465)."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    async def send(self, message: Outbound) -> str:
        if not message.email:
            raise ChannelUnavailable("no e-mail address")
        return await asyncio.to_thread(self._send_blocking, message)

    def _send_blocking(self, message: Outbound) -> str:
        import smtplib  # on the first e-mail sent
        from email.message import EmailMessage
        from email.utils import make_msgid

        config = self.config
        mail = EmailMessage()
        mail["From"] = config.sender
        mail["To"] = message.email
        mail["Subject"] = message.subject or ""
        message_id = make_msgid(domain=config.sender.rsplit("@", 1)[-1].strip(">") or None)
        mail["Message-ID"] = message_id
        mail.set_content(message.text)
        try:
            client: smtplib.SMTP
            if config.port == 465:
                client = smtplib.SMTP_SSL(
                    config.host, config.port, timeout=config.timeout, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
            with client:
                if config.port != 465 and client.has_extn("starttls"):
                    client.starttls(context=ssl.create_default_context())
                if config.username and config.password:
                    client.login(config.username, config.password)
                try:
                    refused = client.send_message(mail)
                except smtplib.SMTPRecipientsRefused as exc:
                    raise DeliveryFailed(f"recipient refused: {exc.recipients}") from exc
                except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
                    raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
                except (smtplib.SMTPServerDisconnected, OSError) as exc:
                    raise DeliveryUnknown(f"connection lost while sending: {exc}") from exc
                if refused:
                    raise DeliveryFailed(f"recipient refused: {refused}")
        except DeliveryError:
            raise
        except (smtplib.SMTPException, OSError) as exc:  # before the message left: connect, TLS, login
            raise DeliveryFailed(f"SMTP {config.host}:{config.port}: {type(exc).__name__}: {exc}") from exc
        return message_id


class WhatsAppTransport:
    """WhatsApp Cloud API text messages (only inside the 24-hour customer-service window)."""

    def __init__(
        self,
        token: str,
        phone_number_id: str,
        *,
        base_url: str = WHATSAPP_API_BASE_URL,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.token = token
        self.phone_number_id = phone_number_id
        self.base_url = base_url.rstrip("/")
        self._client = client

    async def send(self, message: Outbound) -> str:
        if not message.phone:
            raise ChannelUnavailable("no phone number")
        client = self._client or httpx.AsyncClient(timeout=20)
        body = {
            "messaging_product": "whatsapp",
            "to": message.phone.lstrip("+"),
            "type": "text",
            "text": {"body": message.text, "preview_url": False},
        }
        try:
            response = await client.post(
                f"{self.base_url}/{self.phone_number_id}/messages",
                json=body,
                headers={"Authorization": f"Bearer {self.token}"},
            )
        except httpx.ConnectError as exc:
            raise RetryLater(60, f"cannot connect: {exc}") from exc
        except httpx.HTTPError as exc:
            raise DeliveryUnknown(f"{type(exc).__name__}: {exc}") from exc
        finally:
            if self._client is None:
                await client.aclose()
        if response.status_code == 429:
            raise RetryLater(float(response.headers.get("Retry-After", 60)), "WhatsApp rate limit")
        if response.status_code >= 500:
            raise DeliveryUnknown(f"WhatsApp answered {response.status_code}")
        if response.status_code >= 400:
            raise DeliveryFailed(f"WhatsApp answered {response.status_code}: {response.text[:300]}")
        messages = response.json().get("messages") or [{}]
        return str(messages[0].get("id", ""))


@dataclass
class Channels:
    """Everything a dispatcher can deliver through; a missing transport means the channel is not configured."""

    telegram: Transport | None = None
    email: Transport | None = None
    whatsapp: Transport | None = None
    team_bot_token: str | None = None
    lead_bot_tokens: LeadBotTokens | None = None
    """Decrypts the tenants' lead-bot tokens (Telegram messages to leads)."""

    def lead_bot_token(self, tenant: LeadBotColumns) -> str | None:
        """The tenant's lead-bot token in the clear, None when it has none (or nothing can decrypt it)."""
        return self.lead_bot_tokens.read(tenant) if self.lead_bot_tokens is not None else None

    def transport_for(self, channel: str) -> Transport | None:
        if channel in ("telegram", "team"):
            return self.telegram
        if channel == "email":
            return self.email
        if channel == "whatsapp":
            return self.whatsapp
        return None

    async def send(self, message: Outbound) -> str:
        transport = self.transport_for(message.channel)
        if transport is None:
            raise ChannelUnavailable(f"channel {message.channel} is not configured")
        return await transport.send(message)


def channels_from_settings(settings: Settings, telegram: TelegramOutbound) -> Channels:
    """Telegram always (the lead bots' tokens live on tenants); e-mail and WhatsApp when configured."""
    channels = Channels(telegram=TelegramTransport(telegram), lead_bot_tokens=LeadBotTokens(settings))
    if settings.registry_bot_token is not None:
        channels.team_bot_token = settings.registry_bot_token.get_secret_value() or None
    if settings.smtp_host and settings.smtp_from:
        channels.email = SmtpTransport(
            SmtpConfig(
                host=settings.smtp_host,
                port=settings.smtp_port,
                sender=settings.smtp_from,
                username=settings.smtp_username,
                password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            )
        )
    if settings.whatsapp_token is not None and settings.whatsapp_phone_number_id:
        channels.whatsapp = WhatsAppTransport(
            settings.whatsapp_token.get_secret_value(), settings.whatsapp_phone_number_id
        )
    return channels


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
