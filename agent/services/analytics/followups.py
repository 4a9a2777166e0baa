"""Follow-up reply rates by sequence step, and the Ghost Protocol's nudges.

A send counts when the ledger says it was sent (`followup_sends.status = sent`) in the period, to a lead the
scope sees. A reply to a send is an inbound interaction of that lead after the send and before the lead's next
sent follow-up. A ghost nudge is a send whose step key starts with "ghost" (agent.services.jobs.ghost); it
worked when the lead wrote back within 24 hours of it. Viewing reminders (step keys "reminder:...") are not
follow-ups and are left out. What each send counts as: `facts`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.analytics_facts.facts import GHOST_WINDOW, SEND

__all__ = ["GHOST", "GHOST_WINDOW", "GhostFigures", "StepRate", "ghost_figures", "step_rates"]
from agent.services.analytics.scope import Scope
from agent.services.analytics.sources import event_rows
from storage.models import FollowUpSequence, FollowUpStep

GHOST = "ghost"
SEQUENCE_PREFIX = "seq:"


@dataclass(frozen=True)
class StepRate:
    """One step: its key ("ghost", "seq:<step id>", ...), what to call it, how many were sent and answered."""

    key: str
    sequence: str | None
    position: int | None
    sent: int
    replied: int


@dataclass(frozen=True)
class GhostFigures:
    nudged: int
    replied: int
    """Nudged leads that wrote back within 24 hours of the nudge."""


async def step_rates(session: AsyncSession, scope: Scope) -> list[StepRate]:
    """Sent and replied per step, sequence steps in order, then the ghost nudge and the rest."""
    sends = event_rows(scope, SEND)
    key = case((sends.c.step_key.startswith(GHOST), GHOST), else_=sends.c.step_key)
    rows = (
        await session.execute(select(key, func.count(), func.count().filter(sends.c.replied)).group_by(key))
    ).all()
    names = await _sequence_steps(session, scope, [str(r[0]) for r in rows])
    rates = []
    for key, sent, answered in rows:
        sequence, position = names.get(str(key), (None, None))
        rates.append(StepRate(str(key), sequence, position, sent=int(sent), replied=int(answered)))
    return sorted(rates, key=lambda s: (s.sequence is None, s.sequence or "", s.position or 0, s.key))


async def _sequence_steps(session: AsyncSession, scope: Scope, keys: list[str]) -> dict[str, tuple[str, int]]:
    """(sequence name, step position) of "seq:<step id>" keys, within the viewer's agency."""
    ids = [int(k[len(SEQUENCE_PREFIX) :]) for k in keys if k.startswith(SEQUENCE_PREFIX) and k[4:].isdigit()]
    if not ids:
        return {}
    rows = await session.execute(
        select(FollowUpStep.id, FollowUpSequence.name, FollowUpStep.position)
        .join(FollowUpSequence, FollowUpSequence.id == FollowUpStep.sequence_id)
        .where(FollowUpStep.id.in_(ids), FollowUpSequence.tenant_id == scope.viewer.tenant_id)
    )
    return {f"{SEQUENCE_PREFIX}{step_id}": (name, position) for step_id, name, position in rows}


async def ghost_figures(session: AsyncSession, scope: Scope) -> GhostFigures:
    """Leads nudged in the period, and those of them who replied within 24 hours of their nudge."""
    sends = event_rows(scope, SEND)
    row = (
        await session.execute(
            select(
                func.count(sends.c.lead_id.distinct()),
                func.count(sends.c.lead_id.distinct()).filter(sends.c.replied_within_window),
            ).where(sends.c.step_key.startswith(GHOST))
        )
    ).one()
    return GhostFigures(nudged=int(row[0]), replied=int(row[1]))
