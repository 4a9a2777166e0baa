"""What team actions take and hand back: who acts, the audit action names, and frozen read models."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal

from agent.core.scoring import TEMPERATURE_BADGES, Temperature
from agent.services.conversion.likelihood import StoredLikelihood
from storage.models import RepStatus, SalesRepresentative

OPTED_OUT_BADGE = "🔕"
"""A lead who asked us to stop writing: shown instead of the temperature, so nobody takes them for a hot lead."""


class Action(StrEnum):
    """Audit log actions."""

    REGISTER = "rep.register"
    WITHDRAW = "rep.withdraw"
    UNREGISTER = "rep.unregister"
    UPDATE_EMAIL = "rep.update_email"
    APPROVE = "rep.approve"
    REJECT = "rep.reject"
    SUSPEND = "rep.suspend"
    REMOVE = "rep.remove"
    RESTORE = "rep.restore"
    PROMOTE = "rep.promote"
    LIST = "rep.list"
    SET_ALERT_CHAT = "tenant.set_alert_chat"
    CLIENT_VIEW = "client.view"
    CLIENT_MARK_HOT = "client.mark_hot"
    CLIENT_NOTE = "client.note"
    CLIENT_STATUS = "client.status"
    CLIENT_FOLLOWUP = "client.followup"


@dataclass(frozen=True)
class Actor:
    """Who sent the update, as Telegram says (never as a model or a message text says)."""

    telegram_id: int
    chat_id: int | None = None
    username: str | None = None
    first_name: str | None = None
    language: str = "ru"


@dataclass(frozen=True)
class RepCard:
    id: uuid.UUID
    tenant_id: int
    telegram_id: int
    chat_id: int
    username: str | None
    name: str
    email: str
    language: str
    status: RepStatus
    calendar_connected: bool
    is_admin: bool

    @classmethod
    def of(cls, rep: SalesRepresentative) -> RepCard:
        return cls(
            id=rep.id,
            tenant_id=rep.tenant_id,
            telegram_id=rep.telegram_id,
            chat_id=rep.telegram_chat_id or rep.telegram_id,
            username=rep.telegram_username,
            name=rep.name,
            email=rep.email,
            language=rep.language,
            status=RepStatus(rep.status),
            calendar_connected=rep.calendar_connected,
            is_admin=rep.is_admin,
        )


@dataclass(frozen=True)
class Recipient:
    """A team-bot chat and the language to write to it in."""

    chat_id: int
    language: str


@dataclass(frozen=True)
class Application:
    card: RepCard
    tenant_name: str
    admins: tuple[Recipient, ...]


@dataclass(frozen=True)
class Decision:
    card: RepCard
    approved: bool
    reason: str | None
    calendar_requested: bool


@dataclass(frozen=True)
class TeamMember:
    """A list entry for admins."""

    card: RepCard
    tenant_name: str
    clients: int = 0


ClientKind = Literal["lead", "prospect"]


@dataclass(frozen=True)
class ClientLine:
    kind: ClientKind
    id: str
    name: str
    phone: str | None
    score: int
    temperature: str
    status: str
    summary: str | None
    notes: str | None = None
    opted_out: bool = False
    """The lead asked us to stop writing: listed last, badged 🔕, never offered as a call to make."""
    insight: dict[str, object] | None = None
    """The lead's stored insight (agent.services.insights), worded by the card; on an opened card only."""
    conversion: StoredLikelihood | None = None
    """The learned conversion likelihood, on a lead's card when its agency has a model in use."""

    @property
    def badge(self) -> str:
        if self.opted_out:
            return OPTED_OUT_BADGE
        try:
            return TEMPERATURE_BADGES[Temperature(self.temperature)]
        except ValueError:
            return TEMPERATURE_BADGES[Temperature.COLD]


@dataclass(frozen=True)
class TaskLine:
    kind: Literal["task", "followup"]
    id: int
    due_at: datetime
    client_name: str | None
    note: str | None
    overdue: bool


@dataclass(frozen=True)
class ClientBook:
    card: RepCard
    clients: tuple[ClientLine, ...]
    today: tuple[TaskLine, ...]
    overdue: tuple[TaskLine, ...]
    time_zone: str
