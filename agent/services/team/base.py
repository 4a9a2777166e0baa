"""What every part of the team service works with."""

from __future__ import annotations

from dataclasses import dataclass

from agent.core.clock import Clock
from agent.settings import Settings
from storage.db import Database


@dataclass
class TeamPart:
    """The database, the settings and the clock; each action of a part opens its own transaction."""

    database: Database
    settings: Settings
    clock: Clock
