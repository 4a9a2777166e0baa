"""TeamService: the one object the team bot, the CLI and the graphs hold, made of the team's parts."""

from __future__ import annotations

from dataclasses import dataclass

from agent.services.team.admin import Administration
from agent.services.team.alert_chat import AlertChat
from agent.services.team.calendar_connection import CalendarConnection
from agent.services.team.crm import RepCrm
from agent.services.team.registration import Registration


@dataclass
class TeamService(Registration, Administration, AlertChat, RepCrm, CalendarConnection):
    """Team actions for the team bot, the CLI and the graphs; each opens its own transaction.

    Built as TeamService(database, settings, clock, google_transport=None); every part shares them.
    """
