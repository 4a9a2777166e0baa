"""Admins' decisions about the agency's reps, from the web page or the API, exactly as the team bot makes them.

The authority rules and the audit are the team service's (`Administration.decide`, `suspend`, `remove`,
`restore`, acting for `viewer.actor()`); on top, the web keeps every admin to the agency they signed in to and
keeps integrations (API tokens) out: only people who are admins decide about reps. The rep hears the outcome
from the team bot, in their language, with the same words as after a decision in the bot.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.calendars.notify import tell_rep
from agent.services.provider import Services
from agent.services.team import AlreadyDecided, NotAuthorized, RepCard, RepNotFound, TeamService
from agent.services.web_access import Viewer, audit_refusal
from agent.web.errors import Forbidden, NotFound
from graphs.onboarding.calendar import connect_prompt
from graphs.onboarding.replies import text_for
from storage.models import RepStatus, SalesRepresentative

Change = Literal["approve", "reject", "suspend", "remove", "restore"]
CHANGES: tuple[Change, ...] = ("approve", "reject", "suspend", "remove", "restore")
TEAM_PAGE_SIZE = 50
PENDING_SHOWN = 100
_NOTICE = {"suspend": "rep_suspended", "remove": "rep_removed", "restore": "rep_restored"}


class NothingToChange(Exception):
    """The rep is no longer in a status this change applies to (decided or changed meanwhile)."""

    def __init__(self, card: RepCard) -> None:
        super().__init__(f"{card.name} is {card.status}")
        self.card = card


@dataclass(frozen=True)
class RepOutcome:
    card: RepCard
    change: Change
    told: bool
    """Whether the team bot delivered the news to the rep (False without a team bot token or when refused)."""


@dataclass(frozen=True)
class RepRow:
    """What the reps page and the API show of a rep."""

    id: uuid.UUID
    name: str
    email: str
    telegram_username: str | None
    status: str
    is_admin: bool
    calendar_connected: bool
    language: str
    registered_at: datetime | None
    created_at: datetime


_COLUMNS = (
    SalesRepresentative.id,
    SalesRepresentative.name,
    SalesRepresentative.email,
    SalesRepresentative.telegram_username,
    SalesRepresentative.status,
    SalesRepresentative.is_admin,
    SalesRepresentative.calendar_connected,
    SalesRepresentative.language,
    SalesRepresentative.registered_at,
    SalesRepresentative.created_at,
)


def team_cursor(row: RepRow) -> str:
    return base64.urlsafe_b64encode(f"{row.name}\x00{row.id}".encode()).decode().rstrip("=")


def _after(cursor: str | None) -> tuple[str, uuid.UUID] | None:
    if not cursor:
        return None
    try:
        name, _, rep_id = (
            base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().partition("\x00")
        )
        return name, uuid.UUID(rep_id)
    except ValueError:
        return None


async def pending_reps(session: AsyncSession, viewer: Viewer) -> list[RepRow]:
    """The agency's applications waiting for a decision, oldest first."""
    statement = (
        select(*_COLUMNS)
        .where(
            SalesRepresentative.tenant_id == viewer.tenant_id,
            SalesRepresentative.status == RepStatus.PENDING,
        )
        .order_by(SalesRepresentative.created_at, SalesRepresentative.id)
        .limit(PENDING_SHOWN)
    )
    return [RepRow(**row._mapping) for row in await session.execute(statement)]


async def team_page(
    session: AsyncSession,
    viewer: Viewer,
    *,
    statuses: tuple[str, ...] = (RepStatus.ACTIVE, RepStatus.SUSPENDED),
    cursor: str | None = None,
    limit: int = TEAM_PAGE_SIZE,
) -> tuple[list[RepRow], str | None]:
    """One page of the agency's reps in these statuses by name (keyset), and the cursor of the next page."""
    statement = select(*_COLUMNS).where(
        SalesRepresentative.tenant_id == viewer.tenant_id, SalesRepresentative.status.in_(statuses)
    )
    after = _after(cursor)
    if after is not None:
        statement = statement.where(tuple_(SalesRepresentative.name, SalesRepresentative.id) > after)
    statement = statement.order_by(SalesRepresentative.name, SalesRepresentative.id).limit(limit + 1)
    rows = [RepRow(**row._mapping) for row in await session.execute(statement)]
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, team_cursor(rows[-1]) if more else None


def team_service(services: Services) -> TeamService:
    return TeamService(services.database, services.settings, services.clock)


async def change_rep(services: Services, viewer: Viewer, rep_id: uuid.UUID, change: Change) -> RepOutcome:
    """Decide, suspend, remove or restore a rep of the viewer's agency, then tell the rep through the team bot."""
    action = f"rep.{change}"
    if not viewer.is_admin:
        reason = "integration" if viewer.role == "integration" else "not_admin"
        await audit_refusal(services.database, services.clock, viewer, action, str(rep_id), reason)
        raise Forbidden("only admins decide about reps")
    team = team_service(services)
    card = await team.rep_card(rep_id)
    if card is None:
        raise NotFound(f"no rep {rep_id}")
    if card.tenant_id != viewer.tenant_id:
        await audit_refusal(services.database, services.clock, viewer, action, str(rep_id), "other_agency")
        raise Forbidden("a rep of another agency")
    actor = viewer.actor()
    try:
        if change in ("approve", "reject"):
            decision = await team.decide(actor, rep_id, approve=change == "approve")
            card = decision.card
        elif change == "suspend":
            card = await team.suspend(actor, rep_id)
        elif change == "remove":
            card = await team.remove(actor, rep_id)
        else:
            card = await team.restore(actor, rep_id)
    except NotAuthorized:
        raise Forbidden("not an admin of this agency") from None  # refused and audited by the team service
    except AlreadyDecided as decided:
        raise NothingToChange(decided.card) from None
    except RepNotFound:
        raise NotFound(f"no rep {rep_id}") from None
    return RepOutcome(card, change, await _tell(services, team, card, change))


async def _tell(services: Services, team: TeamService, card: RepCard, change: Change) -> bool:
    """What the rep hears from the team bot, the same words the bot sends after a decision made there."""
    language = card.language
    if change == "approve":
        messages = [
            text_for(language, "rep_approved"),
            await connect_prompt(team, card.telegram_id, language),
        ]
    elif change == "reject":
        messages = [text_for(language, "rep_rejected") + text_for(language, "rep_rejected_tail")]
    else:
        messages = [text_for(language, _NOTICE[change])]
    told = True
    for message in messages:
        told = await tell_rep(services, card.chat_id, message) and told
    return told
