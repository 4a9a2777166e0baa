"""The team conversation's state (kept by the checkpointer per Telegram user) and its runtime context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal, TypedDict

from agent.services.team import Actor, TeamService


class Stage:
    """Where the conversation waits; a message is read in the light of it.

    Plain strings, not an enum: they are stored in checkpoints, which keep only JSON-like values.
    """

    IDLE: Final = "idle"
    ASK_REGISTER: Final = "ask_register"
    ASK_NAME: Final = "ask_name"
    ASK_EMAIL: Final = "ask_email"
    CONFIRM: Final = "confirm"
    ASK_UNREGISTER: Final = "ask_unregister"
    ASK_NEW_EMAIL: Final = "ask_new_email"
    ASK_NOTE: Final = "ask_note"
    ASK_FOLLOWUP: Final = "ask_followup"
    ADMIN_CONFIRM: Final = "admin_confirm"


class Button(TypedDict):
    label: str
    action: dict[str, Any]
    """What pressing it means; kept on the server, the button carries only a signed key."""


class Reply(TypedDict):
    text: str
    buttons: list[list[Button]]


class Outbound(TypedDict):
    """A message to someone else: an application card to an admin, a verdict to a rep."""

    chat_id: int
    text: str
    buttons: list[list[Button]]
    card_rep_id: str | None
    """Set on application cards, so an admin's reply to the card decides that application."""


class TeamInbound(TypedDict):
    kind: Literal["text", "button"]
    text: str
    action: dict[str, Any]
    card_rep_id: str | None
    """The application whose card this message replies to (found by the adapter), if any."""


class Profile(TypedDict):
    id: str
    status: str
    name: str
    email: str
    calendar_connected: bool


class OnboardingState(TypedDict, total=False):
    inbound: TeamInbound
    stage: str
    name: str | None
    email: str | None
    client: dict[str, str] | None
    """The client a CRM step is about: {"kind", "id", "name"}."""
    admin_action: dict[str, str] | None
    """An admin change awaiting confirmation: {"change", "rep_id", "name", "email"}."""
    profile: Profile | None
    is_admin: bool
    replies: list[Reply]
    outbox: list[Outbound]


class OnboardingInput(TypedDict):
    """What the adapter passes for one turn (the outputs of the previous turn are reset)."""

    inbound: TeamInbound
    replies: list[Reply]
    outbox: list[Outbound]


@dataclass(frozen=True)
class TeamContext:
    """Run-scoped: who is talking (from Telegram, never from text) and the team service."""

    team: TeamService
    actor: Actor

    @property
    def language(self) -> str:
        return self.actor.language


def text_inbound(text: str, card_rep_id: str | None = None) -> TeamInbound:
    return {"kind": "text", "text": text, "action": {}, "card_rep_id": card_rep_id}


def button_inbound(action: dict[str, Any]) -> TeamInbound:
    return {"kind": "button", "text": "", "action": action, "card_rep_id": None}
