"""Outreach (registry specification): give unreached prospects to active reps and reach out to them.

Every OUTREACH_INTERVAL_MINUTES:
- assign each unassigned UNREACHED prospect to the ACTIVE rep holding the fewest open prospects (ties: the
  rep approved first, then by id), under a per-tenant lock so two workers never split one decision;
- plan, through the ledger: the lead bot's message when the prospect's chat is known (a bot cannot write
  first to someone who never started it), an e-mail when their address is known, and always the prospect card
  for the assigned rep in the team bot, with an opener and the prospect's own deep link
  (`agent.services.leads.prospect_links`: a random token, not the prospect's id, honoured only for them).
A delivered contact moves the prospect UNREACHED -> CONTACTED; `agent.services.leads.mark_prospect_replied`
moves it on to IN_CONVERSATION. `reassign_prospects_of` hands a leaving rep's open prospects to the others.
"""

from __future__ import annotations

import heapq
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.policies.vocabulary import language_of
from agent.services.leads.prospect_links import prospect_deep_link
from agent.services.provider import Services
from prompts import text
from storage.models import Prospect, ProspectStatus, SalesRepresentative, Tenant
from storage.repositories.followups import FollowUpRepository, PlannedSend
from storage.repositories.prospects import OPEN_PROSPECT_STATUSES, ProspectRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Assignment:
    prospect_id: str
    rep_id: uuid.UUID | None


@dataclass(frozen=True)
class OutreachReport:
    tenant_id: int
    assigned: list[Assignment]
    planned: int


def fewest_first(
    prospect_ids: Sequence[str], reps_in_order: Sequence[uuid.UUID], counts: dict[uuid.UUID, int]
) -> list[Assignment]:
    """Each prospect to the rep with the fewest open prospects; ties go to the earlier rep in `reps_in_order`."""
    if not reps_in_order:
        return []
    heap = [(counts.get(rep_id, 0), order, rep_id) for order, rep_id in enumerate(reps_in_order)]
    heapq.heapify(heap)
    assignments = []
    for prospect_id in prospect_ids:
        count, order, rep_id = heapq.heappop(heap)
        assignments.append(Assignment(prospect_id, rep_id))
        heapq.heappush(heap, (count + 1, order, rep_id))
    return assignments


def deep_link(tenant: Tenant, prospect: Prospect) -> str | None:
    """t.me link that starts the tenant's lead bot as this prospect (`p_<token>`, attributes them on /start)."""
    return prospect_deep_link(tenant, prospect)


def draft_prospect_opener(prospect: Prospect, rep: SalesRepresentative, tenant: Tenant) -> str:
    """A first message in the prospect's language, built from what we know of them and nothing else."""
    lang = language_of(prospect.language)
    first = (prospect.name or "").split(" ")[0] or prospect.name
    rep_first = (rep.name or "").split(" ")[0] or rep.name
    context = " ".join((prospect.context or "").split())[:200]
    if context:
        context = (
            context[0].lower() + context[1:]
            if lang in ("ru", "en") and not context[:2].isupper()
            else context
        )
        return text(
            lang,
            "followups",
            "outreach_opener",
            name=first,
            rep=rep_first,
            agency=tenant.name,
            context=context,
        )
    return text(
        lang, "followups", "outreach_opener_no_context", name=first, rep=rep_first, agency=tenant.name
    )


def prospect_card(prospect: Prospect, rep: SalesRepresentative, tenant: Tenant, opener: str) -> str:
    lang = "ru" if language_of(rep.language) == "ru" else "en"
    link = deep_link(tenant, prospect) or text(lang, "cards", "prospect_no_link")
    return text(
        lang,
        "cards",
        "prospect_card",
        name=prospect.name,
        handle=prospect.telegram_id,
        context=prospect.context or "—",
        notes=prospect.notes or "—",
        email=prospect.email or "—",
        opener=opener,
        link=link,
    )


async def run_outreach(
    services: Services, now: datetime, *, tenant_id: int | None = None
) -> list[OutreachReport]:
    """One outreach round for every tenant (or one): assign, then plan the contacts and the cards."""
    async with services.database.session() as session:
        query = select(Tenant.id).order_by(Tenant.id)
        if tenant_id is not None:
            query = query.where(Tenant.id == tenant_id)
        tenant_ids = list((await session.execute(query)).scalars())
    reports = []
    for tid in tenant_ids:
        async with services.database.session() as session:
            prospects = ProspectRepository(session)
            await prospects.lock_tenant(tid)
            assigned = await assign_unassigned(session, tid)
            planned = await plan_outreach_sends(session, tid, now)
        if assigned or planned:
            log.info("outreach: tenant %s, %s assigned, %s messages planned", tid, len(assigned), planned)
        reports.append(OutreachReport(tenant_id=tid, assigned=assigned, planned=planned))
    return reports


async def assign_unassigned(session: AsyncSession, tenant_id: int) -> list[Assignment]:
    """Give every unassigned UNREACHED prospect to the least-loaded active rep. Call under `lock_tenant`."""
    repo = ProspectRepository(session)
    waiting = await repo.unassigned_unreached(tenant_id)
    if not waiting:
        return []
    reps = [rep.id for rep in await repo.active_reps_in_order(tenant_id)]
    assignments = fewest_first([p.id for p in waiting], reps, await repo.open_counts(tenant_id))
    by_id = {p.id: p for p in waiting}
    for assignment in assignments:
        by_id[assignment.prospect_id].assigned_rep_id = assignment.rep_id
    await session.flush()
    return assignments


async def plan_outreach_sends(session: AsyncSession, tenant_id: int, now: datetime) -> int:
    """Cards for every open prospect's current rep, and first contacts for the unreached ones."""
    tenant = await session.get(Tenant, tenant_id)
    if tenant is None:
        return 0
    sends: list[PlannedSend] = []
    for prospect, rep in await ProspectRepository(session).assigned_open(tenant_id):
        opener = draft_prospect_opener(prospect, rep, tenant)

        planned = partial(PlannedSend, tenant_id=tenant_id, prospect_id=prospect.id, due_at=now)
        card = prospect_card(prospect, rep, tenant, opener)
        sends.append(
            planned(step_key=f"outreach:card:{rep.id}", channel="team", text=card, recipient_rep_id=rep.id)
        )
        if prospect.status != ProspectStatus.UNREACHED:
            continue
        if prospect.telegram_chat_id is not None:
            sends.append(planned(step_key="outreach:telegram", channel="telegram", text=opener))
        if prospect.email:
            link = deep_link(tenant, prospect)
            body = opener
            if link:
                body += "\n\n" + text(prospect.language, "followups", "outreach_email_link", link=link)
            body += f"\n\n{rep.name}\n{tenant.name}"
            sends.append(planned(step_key="outreach:email", channel="email", text=body))
    return await FollowUpRepository(session).plan(sends, now)


async def reassign_prospects_of(
    session: AsyncSession, rep_id: uuid.UUID, *, now: datetime
) -> list[Assignment]:
    """Hand a suspended or removed rep's open prospects to the other active reps, fewest first.

    Their undelivered cards are cancelled and the new owners' cards planned (sent at the next dispatch).
    With no other active rep, the prospects wait unassigned (UNREACHED ones are picked up by outreach).
    """
    rep = await session.get(SalesRepresentative, rep_id)
    if rep is None:
        return []
    repo = ProspectRepository(session)
    await repo.lock_tenant(rep.tenant_id)
    held = await repo.open_of_rep(rep.tenant_id, rep_id)
    await FollowUpRepository(session).cancel_cards_to(rep_id, "rep left")
    if not held:
        return []
    reps = [r.id for r in await repo.active_reps_in_order(rep.tenant_id) if r.id != rep_id]
    counts = await repo.open_counts(rep.tenant_id)
    assignments = fewest_first([p.id for p in held], reps, counts) or [Assignment(p.id, None) for p in held]
    by_id = {p.id: p for p in held}
    for assignment in assignments:
        by_id[assignment.prospect_id].assigned_rep_id = assignment.rep_id
    await session.flush()
    await plan_outreach_sends(session, rep.tenant_id, now)
    log.info("reassigned %s prospects of rep %s", len(assignments), rep_id)
    return assignments


async def open_prospects_by_rep(session: AsyncSession, tenant_id: int) -> dict[uuid.UUID, int]:
    """Current load per rep (for the team bot and tests)."""
    return await ProspectRepository(session).open_counts(tenant_id)


__all__ = [
    "OPEN_PROSPECT_STATUSES",
    "Assignment",
    "OutreachReport",
    "assign_unassigned",
    "deep_link",
    "draft_prospect_opener",
    "fewest_first",
    "open_prospects_by_rep",
    "reassign_prospects_of",
    "run_outreach",
]
