"""Held follow-up drafts reach the lead's rep in the team bot; only that rep approves (sent) or rejects (never sent)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from agent.core.clock import FrozenClock
from agent.services.jobs.run import run_due
from agent.services.provider import Services
from agent.settings import Settings
from bot.approvals import ApprovalCards
from evals.bot_api import BotDriver, FakeTelegramAPI, Updates
from storage.db import Database
from storage.models import AuditLog, Lead, Tenant
from storage.repositories.followups import FollowUpRepository, PlannedSend
from tests.fakes.realty_bots import TEAM_TOKEN, bot_settings, running_team_bot
from tests.jobs_support import LEAD_BOT, job_context_on, make_lead, make_rep, make_tenant, sends_of

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
OWNER, OTHER = 7_101, 7_102


async def plan_draft(database: Database, tenant: Tenant, lead: Lead, step: str, text: str) -> int:
    async with database.session() as session:
        draft = PlannedSend(tenant.id, step, "telegram", NOW, text, lead.id, awaiting_approval=True)
        await FollowUpRepository(session).plan([draft], NOW)
    [row] = await sends_of(database, lead_id=lead.id, step_key=step)
    return row.id


async def audit(database: Database, action: str) -> list[AuditLog]:
    async with database.session() as session:
        query = select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)
        return list((await session.execute(query)).scalars())


async def test_the_leads_rep_approves_a_held_draft_in_the_team_bot_and_it_goes_out(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database)
    owner = await make_rep(database, tenant, OWNER, approved_at=NOW, name="Olga")
    await make_rep(database, tenant, OTHER, approved_at=NOW, name="Boris")
    lead = await make_lead(
        database, tenant, last_inbound_at=NOW - timedelta(hours=1), assigned_rep_id=owner.id
    )
    draft_id = await plan_draft(database, tenant, lead, "seq:1", "Anna, two new villas in Canggu came in.")

    clock = FrozenClock(NOW)
    services = Services(settings=bot_settings(settings, api), database=database, clock=clock)
    async with services.resources, running_team_bot(services, api) as team:
        cards: ApprovalCards = team.application.bot_data["approvals"]
        assert await cards.deliver_due(tenant.id) == 1
        assert await cards.deliver_due(tenant.id) == 0  # one card per draft
        [card] = api.sent(chat_id=OWNER, token=TEAM_TOKEN)
        assert "Anna" in card.text and "two new villas in Canggu" in card.text
        assert not api.sent(chat_id=OTHER, token=TEAM_TOKEN)

        # Another rep of the agency, even holding the real signed button, cannot decide.
        forwarded = {
            **Updates.sent_message(card),
            "chat": {"id": OTHER, "type": "private", "first_name": "B"},
        }
        pressed = str(card.button("Отправить")["callback_data"])
        calls = await team.feed(team.updates.callback(OTHER, pressed, message=forwarded))
        assert "только менеджер этого клиента" in BotDriver.messages(calls, OTHER)[-1].text
        [held] = await sends_of(database, id=draft_id)
        assert held.status == "held"

        answer = await team.press(OWNER, card, "Отправить")
        assert "Отправлю" in answer[-1].text
        [approved] = await sends_of(database, id=draft_id)
        assert approved.status == "pending" and approved.approved_by_rep_id == owner.id

    async with job_context_on(database, settings, api, clock) as ctx:
        await run_due(ctx, tenant_id=tenant.id)
    sent = api.sent_texts(chat_id=lead.telegram_chat_id, token=LEAD_BOT)
    assert "Anna, two new villas in Canggu came in." in sent
    [delivered] = await sends_of(database, id=draft_id)
    assert delivered.status == "sent"

    attempts = await audit(database, "followup.approve")
    assert [(e.actor_telegram_id, e.allowed) for e in attempts] == [(OTHER, False), (OWNER, True)]


async def test_a_rejected_draft_is_cancelled_and_never_sent(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database)
    owner = await make_rep(database, tenant, OWNER, approved_at=NOW, name="Olga")
    lead = await make_lead(
        database, tenant, last_inbound_at=NOW - timedelta(hours=1), assigned_rep_id=owner.id
    )
    draft_id = await plan_draft(database, tenant, lead, "seq:2", "Anna, shall we call?")

    clock = FrozenClock(NOW)
    services = Services(settings=bot_settings(settings, api), database=database, clock=clock)
    async with services.resources, running_team_bot(services, api) as team:
        cards: ApprovalCards = team.application.bot_data["approvals"]
        await cards.deliver_due(tenant.id)
        [card] = api.sent(chat_id=OWNER, token=TEAM_TOKEN)
        answer = await team.press(OWNER, card, "Отклонить")
        assert "отклонён" in answer[-1].text
        again = await team.press(OWNER, card, "Отправить")  # a decision is made once
        assert "уже не ждёт решения" in again[-1].text

    async with job_context_on(database, settings, api, clock) as ctx:
        await run_due(ctx, tenant_id=tenant.id)
    assert "Anna, shall we call?" not in api.sent_texts(chat_id=lead.telegram_chat_id, token=LEAD_BOT)
    [rejected] = await sends_of(database, id=draft_id)
    assert rejected.status == "cancelled" and rejected.approved_by_rep_id == owner.id
    [decision] = await audit(database, "followup.reject")
    assert decision.actor_telegram_id == OWNER and decision.allowed
