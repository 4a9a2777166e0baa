"""A person taking a lead's conversation over from the AI: who may, the forwards, the relay, handing back."""

from agent.services.takeover.control import (
    HAND_BACK_ACTION,
    TAKE_ACTION,
    Decision,
    Held,
    Notice,
    Outcome,
    Takeovers,
    person_name,
)
from agent.services.takeover.forwards import (
    HAND_BACK_DO,
    TAKE_OVER_DO,
    ForwardDesk,
    forward_later,
    forwarded_lead,
    hand_back_button,
    take_over_button,
)
from agent.services.takeover.names import Named, clients_named, names_someone
from agent.services.takeover.relay import Relayed, say_to_lead, tell_others

__all__ = [
    "HAND_BACK_ACTION",
    "HAND_BACK_DO",
    "TAKE_ACTION",
    "TAKE_OVER_DO",
    "Decision",
    "ForwardDesk",
    "Held",
    "Named",
    "Notice",
    "Outcome",
    "Relayed",
    "Takeovers",
    "clients_named",
    "forward_later",
    "forwarded_lead",
    "hand_back_button",
    "names_someone",
    "person_name",
    "say_to_lead",
    "take_over_button",
    "tell_others",
]
