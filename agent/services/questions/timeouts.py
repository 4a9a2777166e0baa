"""A question nobody answers: the rep is reminded once, later the lead is told once that the agent will
follow up; after a few days it stops waiting. Run by the one-a-minute follow-up job (`jobs.run.run_due`).

Each message is claimed before it is sent: its column (`reminded_at`, `lead_told_at`) is set on rows locked
with SKIP LOCKED and committed, so another worker, or this job run again, finds nothing left to claim. A
claim whose message certainly did not go out (flood control) is given back for the next minute; one that
may have arrived is never sent again. Both wait out the quiet hours of whoever reads them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from agent.adapters.crypto import LeadBotTokens
from agent.core.policies.quiet_hours import QuietHours, is_quiet
from agent.core.zones import zone_of
from agent.services.provider import Services
from agent.services.questions.cards import Card, reminders_for, send_cards, team_token
from agent.services.questions.relay import Delivery, LeadAddress, keep_on_timeline, send_to_lead
from prompts.catalogue import text as say
from storage.models import Lead, LeadQuestion, SalesRepresentative, Tenant
from storage.repositories.questions import QuestionRepository

log = logging.getLogger(__name__)

REMIND_REP_AFTER = timedelta(minutes=60)
TELL_LEAD_AFTER = timedelta(minutes=120)
STOP_WAITING_AFTER = timedelta(days=3)
"""An open question this old expires: a rep's plain message no longer answers it (a reply to its card still does)."""


@dataclass
class QuestionReport:
    reminded: int = 0
    leads_told: int = 0
    expired: int = 0


@dataclass(frozen=True)
class _Reminder:
    question_id: int
    claimed_at: datetime
    cards: tuple[Card, ...]


@dataclass(frozen=True)
class _Notice:
    question_id: int
    claimed_at: datetime
    address: LeadAddress
    text: str


async def chase_questions(
    services: Services, now: datetime, *, tenant_id: int | None = None
) -> QuestionReport:
    """Remind, tell and expire what is due at `now` (one tenant's when given)."""
    report = QuestionReport()
    for reminder in await _claim_reminders(services, now, tenant_id):
        sent = await send_cards(services, reminder.question_id, reminder.cards)
        if sent.delivered:
            report.reminded += 1
        elif sent.throttled:
            await _release(services, reminder.question_id, "reminded_at", reminder.claimed_at)
    for notice in await _claim_notices(services, now, tenant_id):
        delivery = await send_to_lead(services, notice.address, notice.text)
        if delivery is Delivery.THROTTLED:
            await _release(services, notice.question_id, "lead_told_at", notice.claimed_at)
            continue
        await keep_on_timeline(
            services,
            notice.address,
            notice.text,
            delivery,
            type="question_pending",
            meta={"question_id": notice.question_id},
        )
        report.leads_told += delivery is Delivery.SENT
    async with services.database.session() as session:
        report.expired = await QuestionRepository(session).expire(
            now - STOP_WAITING_AFTER, tenant_id=tenant_id
        )
    return report


async def _claim_reminders(services: Services, now: datetime, tenant_id: int | None) -> list[_Reminder]:
    if team_token(services) is None:
        return []  # nothing could carry them: they wait for the team bot
    claimed = []
    async with services.database.session() as session:
        repo = QuestionRepository(session)
        for question in await repo.lock_due("reminded_at", now - REMIND_REP_AFTER, tenant_id=tenant_id):
            lead, tenant = await _lead_and_tenant(session, question)
            if lead is None or tenant is None:
                continue
            rep = await session.get(SalesRepresentative, question.rep_id) if question.rep_id else None
            if _quiet(now, tenant, rep.time_zone if rep else None):
                continue  # claimed in the first minute after the night
            question.reminded_at = now
            cards = await reminders_for(session, question, lead)
            claimed.append(_Reminder(question.id, now, cards))
    return claimed


async def _claim_notices(services: Services, now: datetime, tenant_id: int | None) -> list[_Notice]:
    claimed = []
    async with services.database.session() as session:
        repo = QuestionRepository(session)
        for question in await repo.lock_due("lead_told_at", now - TELL_LEAD_AFTER, tenant_id=tenant_id):
            lead, tenant = await _lead_and_tenant(session, question)
            if lead is None or tenant is None:
                continue
            if _quiet(now, tenant, lead.time_zone):
                continue
            question.lead_told_at = now
            text = say(lead.language, "sales", "agent_will_follow_up")
            claimed.append(
                _Notice(
                    question.id, now, LeadAddress.of(lead, tenant, LeadBotTokens(services.settings)), text
                )
            )
    return claimed


async def _lead_and_tenant(
    session: AsyncSession, question: LeadQuestion
) -> tuple[Lead | None, Tenant | None]:
    return await session.get(Lead, question.lead_id), await session.get(Tenant, question.tenant_id)


def _quiet(now: datetime, tenant: Tenant, zone: str | None) -> bool:
    hours = QuietHours(tenant.quiet_hours_start, tenant.quiet_hours_end)
    return is_quiet(now, zone_of(zone, tenant.time_zone), hours)


async def _release(services: Services, question_id: int, column: str, claimed_at: datetime) -> None:
    log.info("question %s: %s throttled, retried next round", question_id, column)
    async with services.database.session() as session:
        await QuestionRepository(session).release(question_id, column, claimed_at)  # type: ignore[arg-type]
