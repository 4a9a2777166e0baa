"""Team actions that cannot be done, each typed so the bot can explain it to the user."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from agent.services.team.cards import RepCard


class TeamError(Exception):
    """A team action that cannot be done; the bot explains it to the user."""


class NotAuthorized(TeamError):
    def __init__(self, action: str) -> None:
        super().__init__(f"{action} needs an admin")
        self.action = action


class EmailRejected(TeamError):
    def __init__(self, reason: Literal["invalid", "domain", "taken"], accepted: Sequence[str] = ()) -> None:
        super().__init__(f"e-mail rejected: {reason}")
        self.reason = reason
        self.accepted = tuple(accepted)


class TooManyRegistrations(TeamError):
    pass


class RegistrationClosed(TeamError):
    """No tenant exists yet to register with."""


class RepNotFound(TeamError):
    pass


class AlreadyDecided(TeamError):
    def __init__(self, card: RepCard) -> None:
        super().__init__(f"{card.name} is already {card.status}")
        self.card = card


class AlreadyRegistered(TeamError):
    def __init__(self, card: RepCard) -> None:
        super().__init__(f"already registered as {card.status}")
        self.card = card


class NotYourClient(TeamError):
    pass


class AmbiguousTenant(TeamError):
    def __init__(self, slugs: Sequence[str]) -> None:
        super().__init__("several tenants: name one")
        self.slugs = tuple(slugs)
