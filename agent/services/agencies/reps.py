"""An operator's view of an agency's reps, and suspending or removing one from the command line.

Suspend and remove follow the team bot's rules (agent.services.team.admin): only an active rep is suspended;
either takes away admin rights and hands the rep's open prospects to the other active reps; the rep's leads
keep their history and go to an active rep at their next hand-off. Each change is audited with the actor "cli".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.policies.slots import DAYS, InvalidWorkingHours, parse_working_hours
from agent.services.team.cards import Action
from agent.services.team.rep_changes import end_web_sessions, hand_over_prospects
from storage.models import Lead, RepStatus, SalesRepresentative, Tenant
from storage.repositories.audit import AuditRepository
from storage.repositories.prospects import ProspectRepository
from storage.repositories.reps import RepRepository

CLI_ACTOR = "cli"
"""Who the audit log says acted, for changes made with `realty reps`."""

ALL_STATUSES = tuple(status.value for status in RepStatus)


class RepCommandError(LookupError):
    """A rep that cannot be found or changed as asked; the message says what to do."""


@dataclass(frozen=True)
class RepChange:
    rep: SalesRepresentative
    prospects_handed_over: int
    leads_assigned: int


async def tenant_reps(
    session: AsyncSession, tenant: Tenant, statuses: tuple[str, ...] = ALL_STATUSES
) -> list[SalesRepresentative]:
    """The agency's reps in these statuses, oldest first."""
    return await RepRepository(session).list_by_status(tenant.id, *statuses)


def _matches(rep: SalesRepresentative, who: str) -> bool:
    needle = who.strip().lower()
    bare = needle.lstrip("@")
    return (
        needle in (str(rep.id), rep.email.lower(), str(rep.telegram_id), rep.name.lower())
        or (bool(rep.telegram_username) and bare == (rep.telegram_username or "").lower())
        or (len(needle) >= 8 and str(rep.id).startswith(needle))
    )


async def find_rep(session: AsyncSession, tenant: Tenant, who: str) -> SalesRepresentative:
    """The rep of this agency named by e-mail, @username, Telegram id, id (or its first 8 characters) or name."""
    reps = await tenant_reps(session, tenant)
    found = [rep for rep in reps if _matches(rep, who)]
    if len(found) == 1:
        return found[0]
    if found:
        raise RepCommandError(
            f"{who!r} names {len(found)} reps of '{tenant.slug}': use the e-mail or the id "
            f"({', '.join(rep.email for rep in found)})"
        )
    raise RepCommandError(
        f"no rep {who!r} in agency '{tenant.slug}': give an e-mail, @username, Telegram id or id "
        f"(see `realty reps list --tenant {tenant.slug}`)"
    )


def working_hours_text(rep: SalesRepresentative, tenant: Tenant) -> str:
    """ "mon-fri 09:00-18:00, sat 10:00-14:00 (Asia/Makassar)": consecutive days with the same hours grouped."""
    zone = rep.time_zone or tenant.time_zone
    try:
        hours = parse_working_hours(rep.working_hours or None)
    except InvalidWorkingHours as exc:
        return f"unreadable ({exc}) ({zone})"
    groups: list[tuple[list[str], str]] = []
    for index, day in enumerate(DAYS):
        windows = hours.windows.get(index, ())
        if not windows:
            continue
        text = ", ".join(f"{start:%H:%M}-{end:%H:%M}" for start, end in windows)
        previous = DAYS[index - 1] if index else None
        if groups and groups[-1][1] == text and previous in groups[-1][0]:
            groups[-1][0].append(day)
        else:
            groups.append(([day], text))
    days = [f"{g[0][0]}-{g[0][-1]}" if len(g[0]) > 1 else g[0][0] for g in groups]
    spans = ", ".join(f"{d} {g[1]}" for d, g in zip(days, groups, strict=True)) or "no working hours"
    default = "" if rep.working_hours else " default"
    return f"{spans}{default} ({zone})"


async def _leads_assigned(session: AsyncSession, rep: SalesRepresentative) -> int:
    statement = select(func.count()).select_from(Lead).where(Lead.assigned_rep_id == rep.id)
    return int((await session.execute(statement)).scalar_one())


async def _stop_rep(
    session: AsyncSession, rep: SalesRepresentative, action: Action, status: RepStatus, now: datetime
) -> RepChange:
    await session.refresh(rep, with_for_update=True)
    prospects = len(await ProspectRepository(session).open_of_rep(rep.tenant_id, rep.id))
    rep.status = status
    rep.is_admin = False
    await AuditRepository(session).record(
        action=action,
        now=now,
        actor_telegram_id=None,
        tenant_id=rep.tenant_id,
        target=str(rep.id),
        detail=f"actor: {CLI_ACTOR}",
    )
    await hand_over_prospects(session, rep, now)
    await end_web_sessions(session, rep, now)
    return RepChange(rep, prospects, await _leads_assigned(session, rep))


async def suspend_rep(session: AsyncSession, rep: SalesRepresentative, now: datetime) -> RepChange:
    """Suspend an active rep (as an admin does in the team bot)."""
    if rep.status != RepStatus.ACTIVE:
        hint = " (`realty reps remove` removes it)" if rep.status == RepStatus.PENDING else ""
        raise RepCommandError(
            f"{rep.name} <{rep.email}> is {rep.status}, not active: nothing to suspend{hint}"
        )
    return await _stop_rep(session, rep, Action.SUSPEND, RepStatus.SUSPENDED, now)


async def remove_rep(session: AsyncSession, rep: SalesRepresentative, now: datetime) -> RepChange:
    """Remove a rep of any other status (as an admin does in the team bot); the record stays for the history."""
    if rep.status == RepStatus.REMOVED:
        raise RepCommandError(f"{rep.name} <{rep.email}> is already removed")
    return await _stop_rep(session, rep, Action.REMOVE, RepStatus.REMOVED, now)


def rep_view(rep: SalesRepresentative, tenant: Tenant) -> dict[str, object]:
    """What `reps show` prints (no calendar tokens)."""
    return {
        "id": str(rep.id),
        "agency": tenant.slug,
        "name": rep.name,
        "status": str(rep.status),
        "role": "admin" if rep.is_admin else "rep",
        "email": rep.email,
        "telegram_id": rep.telegram_id,
        "telegram_username": f"@{rep.telegram_username}" if rep.telegram_username else None,
        "language": rep.language,
        "time_zone": rep.time_zone or tenant.time_zone,
        "working_hours": working_hours_text(rep, tenant),
        "calendar_connected": rep.calendar_connected,
        "registered_at": rep.registered_at.isoformat() if rep.registered_at else None,
        "approved_at": rep.approved_at.isoformat() if rep.approved_at else None,
    }
