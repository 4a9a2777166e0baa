"""Asking the agent: a lead's question goes to the rep in the team bot, the answer comes back through the lead
bot in the lead's language; only the lead's rep or an admin may answer; an unanswered question brings one
reminder and one notice to the lead, however often the job runs. Real PostgreSQL, the loopback Bot API."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from langchain_core.messages import AIMessage, ToolMessage
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode
from sqlalchemy import select

from agent.adapters.embeddings import HashingEmbedder
from agent.core.clock import FrozenClock
from agent.services.jobs.run import run_due
from agent.services.provider import Services
from agent.services.questions import ANSWER_ACTION, chase_questions
from agent.settings import Settings
from evals.bot_api import ApiCall, BotDriver, FakeTelegramAPI
from storage.db import Database
from storage.models import (
    AuditLog,
    Lead,
    LeadInteraction,
    LeadQuestion,
    Property,
    SalesRepresentative,
    Tenant,
)
from storage.repositories.listings import ListingRecord, upsert_listings
from storage.repositories.tenants import TenantRepository
from tests.fakes.realty_bots import TEAM_TOKEN, bot_settings, started
from tests.secrets_support import lead_bot_columns
from tools import LEAD_TOOLS
from tools.ask import ask_agent
from tools.context import LeadContext, call_tool

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 in Bali
LEAD_TOKEN = "8001:LEAD-TOKEN"
ADMIN = 700_001
REP = 700_002
OTHER_REP = 700_003
LEAD_CHAT = 700_100
ALERT_CHAT = -100_700_200


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
async def services(
    settings: Settings, database: Database, clock: FrozenClock, api: FakeTelegramAPI
) -> AsyncIterator[Services]:
    running = Services(
        settings=bot_settings(settings, api, admins=[ADMIN]),
        database=database,
        clock=clock,
        embedder=HashingEmbedder(),
    )
    async with running.resources:
        yield running


@pytest.fixture
async def team(services: Services, api: FakeTelegramAPI) -> AsyncIterator[BotDriver]:
    from bot.team import build_team_application

    async with started(build_team_application(services, TEAM_TOKEN)) as application:
        yield BotDriver(application, api)


@pytest.fixture
async def bali(database: Database) -> Tenant:
    async with database.session() as session:
        return await TenantRepository(session).create(
            name="Bali Homes",
            slug="bali",
            time_zone="Asia/Makassar",
            country_code="ID",
            **lead_bot_columns(LEAD_TOKEN),
            alert_chat_id=ALERT_CHAT,
        )


async def a_rep(database: Database, tenant: Tenant, telegram_id: int, name: str) -> uuid.UUID:
    async with database.session() as session:
        rep = SalesRepresentative(
            tenant_id=tenant.id,
            telegram_id=telegram_id,
            name=name,
            email=f"{telegram_id}@bali.homes",
            language="en",
            status="active",
        )
        session.add(rep)
        await session.flush()
        return rep.id


async def a_lead(
    services: Services, tenant: Tenant, *, rep: uuid.UUID | None, language: str = "ru"
) -> LeadContext:
    async with services.database.session() as session:
        lead = Lead(
            tenant_id=tenant.id,
            telegram_user_id=LEAD_CHAT,
            telegram_chat_id=LEAD_CHAT,
            name="Tom",
            language=language,
            assigned_rep_id=rep,
        )
        session.add(lead)
        await session.flush()
        return LeadContext(services=services, tenant_id=tenant.id, lead_id=lead.id)


async def berawa_villa(services: Services, tenant: Tenant) -> int:
    record = ListingRecord(
        external_id="v1",
        title="Berawa villa",
        property_type="villa",
        transaction="sale",
        price=Decimal(400_000),
        currency="USD",
        location="Canggu",
        bedrooms=3,
    )
    async with services.database.session() as session:
        await upsert_listings(session, tenant.id, [record], HashingEmbedder())
        return (
            await session.execute(select(Property.id).where(Property.tenant_id == tenant.id))
        ).scalar_one()


async def through_the_tool_node(ctx: LeadContext, **args: Any) -> dict[str, Any]:
    """The tool as the sales graph runs it: a model's tool call, executed by LangGraph's ToolNode."""
    builder = StateGraph(MessagesState, context_schema=LeadContext)
    builder.add_node("tools", ToolNode(LEAD_TOOLS, handle_tool_errors=True))
    builder.add_edge(START, "tools")
    builder.add_edge("tools", END)
    call = {"name": "ask_agent", "args": args, "id": "ask-1"}
    state = await builder.compile().ainvoke(
        {"messages": [AIMessage(content="", tool_calls=[call])]}, context=ctx
    )
    message = state["messages"][-1]
    assert isinstance(message, ToolMessage) and message.status != "error", message.content
    result: dict[str, Any] = json.loads(str(message.content))
    return result


async def questions_of(database: Database, lead_id: int) -> list[LeadQuestion]:
    async with database.session() as session:
        rows = await session.execute(select(LeadQuestion).where(LeadQuestion.lead_id == lead_id))
        return list(rows.scalars())


async def timeline(database: Database, lead_id: int, type: str) -> list[LeadInteraction]:
    async with database.session() as session:
        rows = await session.execute(
            select(LeadInteraction)
            .where(LeadInteraction.lead_id == lead_id, LeadInteraction.type == type)
            .order_by(LeadInteraction.id)
        )
        return list(rows.scalars())


def card_in(api: FakeTelegramAPI, chat_id: int) -> ApiCall:
    return api.last_sent(chat_id=chat_id, token=TEAM_TOKEN)


async def test_the_rep_answers_the_card_and_the_lead_gets_it_in_their_language(
    services: Services, team: BotDriver, api: FakeTelegramAPI, database: Database, bali: Tenant
) -> None:
    rep = await a_rep(database, bali, REP, "Wayan")
    villa = await berawa_villa(services, bali)
    lead = await a_lead(services, bali, rep=rep, language="ru")

    result = await through_the_tool_node(lead, question="is there a gym nearby?", property_id=villa)

    assert result["status"] == "asked" and result["rep_name"] == "Wayan"
    card = card_in(api, REP)
    assert card.text.startswith("❓ Lead Tom asks about Berawa villa: is there a gym nearby?")
    assert "Russian" in card.text  # the rep knows which language the lead reads
    assert api.sent(chat_id=ADMIN, token=TEAM_TOKEN) == []  # the lead has a rep: only the rep is asked
    [question] = await questions_of(database, lead.lead_id)
    assert (question.id, question.status, question.rep_id) == (result["question_id"], "open", rep)
    assert (question.card_chat_id, question.card_message_id) == (REP, card.result["message_id"])
    async with database.session() as session:
        stored = await session.get(Lead, lead.lead_id)
        assert stored is not None and stored.specific_questions == 1
    assert [i.text for i in await timeline(database, lead.lead_id, "question")] == ["is there a gym nearby?"]

    told = await team.text(REP, "Yes, a CrossFit gym 5 minutes away.", reply_to=card, language_code="en")

    assert [m.text for m in told] == ["✅ Sent to Tom."]
    relayed = api.last_sent(chat_id=LEAD_CHAT, token=LEAD_TOKEN)
    assert relayed.text == "Ваш агент Wayan отвечает: Yes, a CrossFit gym 5 minutes away."
    [question] = await questions_of(database, lead.lead_id)
    assert (question.status, question.answer) == ("answered", "Yes, a CrossFit gym 5 minutes away.")
    assert question.answered_by_telegram_id == REP
    [entry] = await timeline(database, lead.lead_id, "agent_answer")
    assert entry.direction == "outbound" and entry.text == relayed.text and entry.status == "done"
    assert entry.meta["question_id"] == question.id

    again = await team.text(REP, "And a yoga studio.", reply_to=card, language_code="en")
    assert [m.text for m in again] == ["Tom's question has already been answered."]
    assert len(api.sent(chat_id=LEAD_CHAT, token=LEAD_TOKEN)) == 1


async def test_a_plain_message_answers_the_reps_only_open_question(
    services: Services, team: BotDriver, api: FakeTelegramAPI, database: Database, bali: Tenant
) -> None:
    rep = await a_rep(database, bali, REP, "Wayan")
    lead = await a_lead(services, bali, rep=rep, language="en")
    assert (await call_tool(ask_agent, lead, question="Is the street noisy at night?"))["status"] == "asked"

    told = await team.text(REP, "No, it's a quiet lane.", language_code="en")

    assert [m.text for m in told] == ["✅ Sent to Tom."]
    assert api.last_sent(chat_id=LEAD_CHAT, token=LEAD_TOKEN).text == (
        "Your agent Wayan answers: No, it's a quiet lane."
    )


async def test_a_lead_without_a_rep_is_given_the_rep_who_would_take_it_and_that_rep_is_asked(
    services: Services, api: FakeTelegramAPI, database: Database, bali: Tenant
) -> None:
    rep = await a_rep(database, bali, REP, "Wayan")
    lead = await a_lead(services, bali, rep=None, language="en")

    result = await call_tool(ask_agent, lead, question="Is there a gym nearby?")

    assert result == {"status": "asked", "question_id": result["question_id"], "rep_name": "Wayan"}
    assert "Is there a gym nearby?" in card_in(api, REP).text
    async with database.session() as session:
        assert (await session.get(Lead, lead.lead_id)).assigned_rep_id == rep  # type: ignore[union-attr]


async def test_a_request_to_the_bot_is_not_taken_for_an_answer(
    services: Services, team: BotDriver, api: FakeTelegramAPI, database: Database, bali: Tenant
) -> None:
    rep = await a_rep(database, bali, REP, "Wayan")
    lead = await a_lead(services, bali, rep=rep, language="en")
    await call_tool(ask_agent, lead, question="Is the street noisy at night?")

    shown = await team.text(REP, "my clients", language_code="en")

    assert shown and "Tom" in shown[-1].text  # the rep's client list, from the team conversation
    assert api.sent(chat_id=LEAD_CHAT, token=LEAD_TOKEN) == []
    [question] = await questions_of(database, lead.lead_id)
    assert question.status == "open"


async def test_a_rep_who_is_not_the_leads_is_refused_and_audited_and_an_admin_answers(
    services: Services, team: BotDriver, api: FakeTelegramAPI, database: Database, bali: Tenant
) -> None:
    lead = await a_lead(
        services, bali, rep=None, language="en"
    )  # no rep yet: the admins and the alert chat hear

    result = await call_tool(ask_agent, lead, question="Can I pay in instalments?")
    await a_rep(database, bali, OTHER_REP, "Made")  # joins later; the lead is not his

    assert result["status"] == "asked" and result["rep_name"] is None
    assert card_in(api, ADMIN).text.startswith(
        "❓ Клиент Tom спрашивает: Can I pay in instalments?"
    )  # in Russian
    in_group = card_in(api, ALERT_CHAT)

    refused = await team.text(OTHER_REP, "Sure, 12 months.", reply_to=in_group, chat_id=ALERT_CHAT)

    assert [m.text for m in refused] == [
        "Only the lead's agent or an admin can answer this question. The attempt has been logged."
    ]
    assert api.sent(chat_id=LEAD_CHAT, token=LEAD_TOKEN) == []
    async with database.session() as session:
        audited = list(
            (await session.execute(select(AuditLog).where(AuditLog.action == ANSWER_ACTION))).scalars()
        )
    assert [(a.actor_telegram_id, a.allowed, a.tenant_id) for a in audited] == [(OTHER_REP, False, bali.id)]
    [question] = await questions_of(database, lead.lead_id)
    assert question.status == "open" and question.answer is None

    answered = await team.text(
        ADMIN, "Yes: 30% now, the rest over 12 months.", reply_to=in_group, chat_id=ALERT_CHAT
    )

    assert [m.text for m in answered] == ["✅ Отправил клиенту Tom."]  # the admin reads Russian
    assert api.last_sent(chat_id=LEAD_CHAT, token=LEAD_TOKEN).text == (
        "Our team answers: Yes: 30% now, the rest over 12 months."
    )


async def test_an_unanswered_question_brings_one_reminder_and_one_notice_however_often_the_job_runs(
    services: Services,
    team: BotDriver,
    api: FakeTelegramAPI,
    database: Database,
    bali: Tenant,
    clock: FrozenClock,
) -> None:
    rep = await a_rep(database, bali, REP, "Wayan")
    lead = await a_lead(services, bali, rep=rep, language="ru")
    await call_tool(ask_agent, lead, question="Is there a gym nearby?")
    cards = len(api.sent(chat_id=REP, token=TEAM_TOKEN))

    clock.advance(timedelta(minutes=59))
    await run_due(services, clock.now(), outreach=False)
    assert len(api.sent(chat_id=REP, token=TEAM_TOKEN)) == cards  # not yet

    clock.advance(timedelta(minutes=2))
    reports = await asyncio.gather(*(chase_questions(services, clock.now()) for _ in range(3)))
    await run_due(services, clock.now(), outreach=False)
    assert sum(r.reminded for r in reports) == 1
    reminders = api.sent(chat_id=REP, token=TEAM_TOKEN)[cards:]
    assert [m.text.splitlines()[0] for m in reminders] == [
        "⏰ Lead Tom is still waiting for your answer: Is there a gym nearby?"
    ]
    assert api.sent(chat_id=LEAD_CHAT, token=LEAD_TOKEN) == []

    clock.advance(timedelta(minutes=60))
    await asyncio.gather(*(run_due(services, clock.now(), outreach=False) for _ in range(2)))
    await run_due(services, clock.now(), outreach=False)
    clock.advance(timedelta(hours=5))
    await run_due(services, clock.now(), outreach=False)

    assert api.sent_texts(chat_id=LEAD_CHAT, token=LEAD_TOKEN) == [
        "Агент пока не ответил на ваш вопрос; он свяжется с вами здесь, как только сможет."
    ]
    assert len(api.sent(chat_id=REP, token=TEAM_TOKEN)) == cards + 1
    [notice] = await timeline(database, lead.lead_id, "question_pending")
    assert notice.status == "done"
    [question] = await questions_of(database, lead.lead_id)
    assert (
        question.status == "open" and question.reminded_at is not None and question.lead_told_at is not None
    )

    # A late answer, to the reminder, still reaches the lead.
    told = await team.text(REP, "Yes, 5 minutes away.", reply_to=reminders[0], language_code="en")
    assert [m.text for m in told] == ["✅ Sent to Tom."]
    assert (
        api.last_sent(chat_id=LEAD_CHAT, token=LEAD_TOKEN).text
        == "Ваш агент Wayan отвечает: Yes, 5 minutes away."
    )


async def test_the_lead_is_not_told_during_their_quiet_hours(
    services: Services, api: FakeTelegramAPI, database: Database, bali: Tenant, clock: FrozenClock
) -> None:
    rep = await a_rep(database, bali, REP, "Wayan")
    lead = await a_lead(services, bali, rep=rep, language="en")
    clock.set(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))  # 20:00 in Bali; quiet hours from 21:00 to 08:00
    await call_tool(ask_agent, lead, question="Is there a gym nearby?")

    clock.advance(timedelta(hours=3))  # 23:00
    await run_due(services, clock.now(), outreach=False)
    assert api.sent(chat_id=LEAD_CHAT, token=LEAD_TOKEN) == []
    assert len(api.sent(chat_id=REP, token=TEAM_TOKEN)) == 1  # the card only: the reminder waits too

    clock.set(datetime(2026, 3, 3, 0, 1, tzinfo=UTC))  # 08:01
    await run_due(services, clock.now(), outreach=False)
    assert len(api.sent(chat_id=LEAD_CHAT, token=LEAD_TOKEN)) == 1
    assert len(api.sent(chat_id=REP, token=TEAM_TOKEN)) == 2


async def test_with_nobody_to_ask_the_tool_says_so_and_keeps_nothing(
    settings: Settings, database: Database, clock: FrozenClock, bali: Tenant
) -> None:
    services = Services(settings=settings, database=database, clock=clock, embedder=HashingEmbedder())
    lead = await a_lead(services, bali, rep=None)  # and no team bot configured

    result = await call_tool(ask_agent, lead, question="Is there a gym nearby?")

    assert result == {"status": "unavailable", "reason": "no_agent"}
    assert await questions_of(database, lead.lead_id) == []


async def test_with_a_model_configured_the_answer_is_translated_into_the_leads_language(
    services: Services, team: BotDriver, api: FakeTelegramAPI, database: Database, bali: Tenant
) -> None:
    from pydantic import SecretStr

    from agent.adapters.models import SalesModel, build_chat_model
    from tests.fakes.openai_api import FakeOpenAI, completion

    rep = await a_rep(database, bali, REP, "Wayan")
    lead = await a_lead(services, bali, rep=rep, language="ru")
    await call_tool(ask_agent, lead, question="Есть ли рядом спортзал?")
    async with FakeOpenAI() as model_api:
        llm = services.settings.model_copy(
            update={
                "openai_api_key": SecretStr("sk-loopback"),
                "openai_base_url": model_api.base_url,
                "realty_model": "loopback-model",
                "model_max_retries": 0,
            }
        )
        services.model = SalesModel(build_chat_model(llm))
        model_api.queue(completion("Да, спортзал CrossFit в 5 минутах."))

        told = await team.text(REP, "Yes, a CrossFit gym 5 minutes away.", reply_to=card_in(api, REP))

    assert [m.text for m in told] == ["✅ Sent to Tom."]
    assert api.last_sent(chat_id=LEAD_CHAT, token=LEAD_TOKEN).text == (
        "Ваш агент Wayan отвечает: Да, спортзал CrossFit в 5 минутах."
    )
    [request] = model_api.requests
    messages = request["json"]["messages"]
    assert "into Russian" in messages[0]["content"]
    assert messages[-1]["content"] == "Yes, a CrossFit gym 5 minutes away."
    [entry] = await timeline(database, lead.lead_id, "agent_answer")
    assert entry.meta["translated"] is True and entry.meta["answer"] == "Yes, a CrossFit gym 5 minutes away."


async def test_an_answer_the_lead_bot_cannot_deliver_is_given_back_and_the_rep_may_send_it_again(
    services: Services, team: BotDriver, api: FakeTelegramAPI, database: Database, bali: Tenant
) -> None:
    rep = await a_rep(database, bali, REP, "Wayan")
    lead = await a_lead(services, bali, rep=rep, language="en")
    await call_tool(ask_agent, lead, question="Is there a gym nearby?")
    card = card_in(api, REP)
    api.fail_next("sendMessage", retry_after=30)

    told = await team.text(REP, "Yes, 5 minutes away.", reply_to=card, language_code="en")

    assert [m.text for m in told] == [
        "⚠️ I couldn't deliver your answer to Tom just now. Please send it again in a minute."
    ]
    [question] = await questions_of(database, lead.lead_id)
    assert question.status == "open" and question.answer is None
    again = await team.text(REP, "Yes, 5 minutes away.", reply_to=card, language_code="en")
    assert [m.text for m in again] == ["✅ Sent to Tom."]
    delivered = [c.text for c in api.calls_of("sendMessage", chat_id=LEAD_CHAT) if c.result is not None]
    assert delivered == ["Your agent Wayan answers: Yes, 5 minutes away."]
