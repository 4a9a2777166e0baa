"""An active rep connecting their Google Calendar: agent.services.calendars does the OAuth, the team bot talks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from agent.services.team.authority import active_rep
from agent.services.team.base import TeamPart
from agent.services.team.cards import Actor
from storage.repositories.tenants import TenantRepository

if TYPE_CHECKING:
    from agent.services.calendars.connection import CalendarCheck, ConnectLink


@dataclass
class CalendarConnection(TeamPart):
    google_transport: Any = None
    """How Google is reached when a rep connects a calendar (agent.services.calendars GoogleTransport); None: the network."""

    async def calendar_link(self, telegram_id: int) -> ConnectLink | None:
        """A fresh Google consent link for this active rep; None when Google Calendar is not configured."""
        from agent.services.calendars.connection import GoogleNotConfigured, start

        async with self.database.session() as session:
            rep = await active_rep(session, telegram_id)
            tenant = await TenantRepository(session).get(rep.tenant_id)
            try:
                link = await start(session, rep, tenant=tenant, settings=self.settings, now=self.clock.now())
            except GoogleNotConfigured:
                return None
            rep.calendar_requested_at = self.clock.now()
            return link

    async def connect_calendar(self, actor: Actor, pasted: str) -> CalendarCheck:
        """Finish the rep's Google authorization with what they pasted back (the code or the whole address).

        Raises agent.services.calendars' AuthorizationProblem subclasses, GoogleUnavailable or GoogleNotConfigured;
        what the authorization spent (its state) stays spent even then.
        """
        from agent.adapters.google import AuthorizationProblem, GoogleTransport
        from agent.services.calendars.connection import finish

        problem: AuthorizationProblem | None = None
        async with self.database.session() as session:
            rep = await active_rep(session, actor.telegram_id)
            await session.refresh(rep, with_for_update=True)
            tenant = await TenantRepository(session).get(rep.tenant_id)
            try:
                check = await finish(
                    session,
                    rep,
                    pasted,
                    tenant=tenant,
                    settings=self.settings,
                    transport=self.google_transport or GoogleTransport(),
                    now=self.clock.now(),
                )
            except AuthorizationProblem as exc:
                problem = exc
        if problem is not None:
            raise problem
        return check
