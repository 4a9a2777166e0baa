"""A person takes a lead's conversation over: the AI stays quiet (across restarts too), the lead's messages are
forwarded once to the person in the team bot, what they reply reaches the lead through the lead bot and the
lead's checkpoint, and after a hand-back the AI answers again knowing what was said. Real PostgreSQL, the
loopback Bot API, the offline model."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from pydantic import SecretStr
from sqlalchemy import select, text

from agent.adapters.checkpointer import conversation_store
from agent.adapters.models import SalesModel, build_chat_model
from agent.core.clock import FrozenClock
from agent.core.nlu.takeover import takeover_words
from agent.services.provider import Services
from agent.services.takeover import Outcome, Takeovers
from agent.services.team import Actor, TeamService
from agent.settings import Settings
from bot.lead import lead_bot_idle
from bot.takeover import TakeoverDesk
from evals.bot_api import BotDriver, FakeTelegramAPI
from graphs.sales.conversation import Inbound, run_lead_turn, sales_graph, thread_id
from storage.db import Database
from storage.models import AuditLog, Lead, LeadInteraction, SalesRepresentative, TakeoverForward, Tenant
from storage.repositories.tenants import TenantRepository
from tests.fakes.openai_api import Answer, FakeOpenAI, completion
from tests.fakes.realty_bots import TEAM_TOKEN, bot_settings, running_lead_bot, started
from tests.secrets_support import lead_bot_columns

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
LEAD_TOKEN = "8001:LEAD-TOKEN"
ADMIN = 720_001
REP = 720_002
OTHER_REP = 720_003
_lead_users = itertools.count(720_100)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture(autouse=True)
async def _fresh_lead_threads(database: Database) -> AsyncIterator[None]:
    """Lead ids start again in every test; their checkpoint threads must too (the checkpoints outlive tables)."""
    await _forget_lead_threads(database)
    yield
    await _forget_lead_threads(database)


async def _forget_lead_threads(database: Database) -> None:
    async with database.engine.begin() as conn:
        if (await conn.execute(text("SELECT to_regclass('checkpoints') IS NOT NULL"))).scalar():
            for table in ("checkpoint_writes", "checkpoint_blobs", "checkpoints"):
                await conn.execute(text(f"DELETE FROM {table} WHERE thread_id LIKE 'lead:%'"))


@pytest.fixture
def bot_config(settings: Settings, api: FakeTelegramAPI) -> Settings:
    return bot_settings(settings, api, admins=[ADMIN])


@pytest.fixture
async def services(bot_config: Settings, database: Database, clock: FrozenClock) -> AsyncIterator[Services]:
    running = Services(settings=bot_config, database=database, clock=clock)
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
            default_language="en",
            **lead_bot_columns(LEAD_TOKEN),
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


async def a_lead(database: Database, tenant: Tenant, rep: uuid.UUID, name: str = "Tom") -> tuple[int, int]:
    """(lead id, the lead's Telegram chat)."""
    user = next(_lead_users)
    async with database.session() as session:
        lead = Lead(
            tenant_id=tenant.id,
            telegram_user_id=user,
            telegram_chat_id=user,
            name=name,
            language="en",
            assigned_rep_id=rep,
        )
        session.add(lead)
        await session.flush()
        return lead.id, user


def llm_settings(settings: Settings, model_api: FakeOpenAI) -> Settings:
    return settings.model_copy(
        update={
            "openai_api_key": SecretStr("sk-loopback"),
            "openai_base_url": model_api.base_url,
            "realty_model": "loopback-model",
            "model_timeout_seconds": 10.0,
            "model_max_retries": 0,
        }
    )


def desk(team: BotDriver) -> TakeoverDesk:
    found: TakeoverDesk | None = team.application.bot_data["team_bot"].takeover
    assert found is not None
    return found


async def lead_says(services: Services, tenant: Tenant, lead_id: int, said: str) -> str:
    result = await run_lead_turn(services, tenant_id=tenant.id, lead_id=lead_id, inbound=Inbound(text=said))
    return result.reply


async def stored(database: Database, lead_id: int) -> Lead:
    async with database.session() as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        return lead


async def audit(database: Database, action: str) -> list[AuditLog]:
    async with database.session() as session:
        rows = await session.execute(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id))
        return list(rows.scalars())


async def checkpoint_messages(services: Services, tenant: Tenant, lead_id: int) -> list[object]:
    compiled = await sales_graph(await conversation_store(services))
    snapshot = await compiled.aget_state({"configurable": {"thread_id": thread_id(tenant.id, lead_id)}})
    return list(snapshot.values.get("messages") or [])


async def test_the_rep_takes_over_talks_through_the_bots_and_hands_back_to_an_ai_that_knows_what_was_said(
    services: Services, team: BotDriver, api: FakeTelegramAPI, database: Database, bali: Tenant
) -> None:
    rep = await a_rep(database, bali, REP, "Wayan")
    lead_id, lead_chat = await a_lead(database, bali, rep)
    assert await lead_says(services, bali, lead_id, "Hi, I want to buy a villa in Canggu")  # the AI answers

    asked = await team.text(REP, "Беру Тома", language_code="ru")
    assert asked[-1].text == "Взять разговор с клиентом Tom на себя? Нажмите кнопку, чтобы подтвердить."
    assert (await stored(database, lead_id)).taken_over_by is None  # not before the tap
    taken = await team.press(REP, asked[-1], "Tom", language_code="ru")

    assert taken[-1].text.startswith("🙋 Теперь с клиентом Tom говорите вы")
    assert [b["text"] for b in taken[-1].buttons()] == ["🤖 Вернуть боту"]
    assert (await stored(database, lead_id)).taken_over_by == REP
    [entry] = await audit(database, "lead.take_over")
    assert (entry.actor_telegram_id, entry.target, entry.allowed) == (REP, f"lead:{lead_id}", True)

    assert await lead_says(services, bali, lead_id, "Is the Berawa villa still free?") == ""
    async with database.session() as session:
        replies = await session.execute(
            select(LeadInteraction).where(
                LeadInteraction.lead_id == lead_id, LeadInteraction.direction == "outbound"
            )
        )
        assert (
            len(list(replies.scalars())) == 1
        )  # only the AI's first answer: nothing was said to the held message
    assert await desk(team).forwards().deliver_due() == 1
    forwarded = api.last_sent(chat_id=REP, token=TEAM_TOKEN)
    assert forwarded.text.startswith("💬 Tom: Is the Berawa villa still free?")

    told = await team.text(REP, "Yes, it is free from May.", reply_to=forwarded, language_code="en")

    assert [m.text for m in told] == ["✉️ Sent to Tom."]
    assert api.last_sent(chat_id=lead_chat, token=LEAD_TOKEN).text == "Yes, it is free from May."
    await team.text(REP, "Shall I call you at five?", language_code="en")  # the only lead they talk to
    assert api.last_sent(chat_id=lead_chat, token=LEAD_TOKEN).text == "Shall I call you at five?"
    shown = await team.text(REP, "my clients", language_code="en")  # a request to the bot is not for the lead
    assert "Tom" in shown[-1].text and api.last_sent(chat_id=lead_chat, token=LEAD_TOKEN).text.startswith(
        "Shall"
    )
    async with database.session() as session:
        timeline = await session.execute(
            select(LeadInteraction)
            .where(LeadInteraction.lead_id == lead_id, LeadInteraction.meta["by"].astext == "person")
            .order_by(LeadInteraction.id)
        )
        assert [(i.direction, i.text) for i in timeline.scalars()] == [
            ("outbound", "Yes, it is free from May."),
            ("outbound", "Shall I call you at five?"),
        ]
    held = await checkpoint_messages(services, bali, lead_id)
    assert [(type(m).__name__, m.content) for m in held[-3:]] == [  # type: ignore[attr-defined]
        ("HumanMessage", "Is the Berawa villa still free?"),
        ("AIMessage", "Yes, it is free from May."),
        ("AIMessage", "Shall I call you at five?"),
    ]

    back = await team.text(REP, "hand back", language_code="en")

    assert back[-1].text == "🤖 Tom is back with the AI, which knows what you said."
    assert (await stored(database, lead_id)).taken_over_by is None
    assert [e.allowed for e in await audit(database, "lead.hand_back")] == [True]
    answer = await lead_says(services, bali, lead_id, "Great, what is the price?")
    assert answer  # the AI answers again
    after = await checkpoint_messages(services, bali, lead_id)
    assert any(isinstance(m, AIMessage) and m.content == "Yes, it is free from May." for m in after)
    assert isinstance(after[-1], AIMessage) and after[-1].content == answer
    assert any(isinstance(m, HumanMessage) and m.content == "Great, what is the price?" for m in after)
    async with database.session() as session:
        events = await session.execute(
            select(LeadInteraction.meta["event"].astext).where(
                LeadInteraction.lead_id == lead_id, LeadInteraction.type == "takeover"
            )
        )
        assert sorted(str(e) for e in events.scalars()) == ["hand_back", "take_over"]


async def test_only_the_leads_rep_or_an_admin_may_take_over_and_a_refusal_is_audited(
    services: Services, team: BotDriver, api: FakeTelegramAPI, database: Database, bali: Tenant
) -> None:
    rep = await a_rep(database, bali, REP, "Wayan")
    await a_rep(database, bali, OTHER_REP, "Made")
    lead_id, _ = await a_lead(database, bali, rep)
    takeovers = Takeovers(database, TeamService(database, services.settings, services.clock), services.clock)

    refused = await takeovers.take_over(Actor(OTHER_REP, language="en"), lead_id)

    assert refused.outcome is Outcome.NOT_YOURS
    assert (
        refused.reply == "Tom is not your client: only their rep or an admin can take the conversation over."
    )
    assert (await stored(database, lead_id)).taken_over_by is None
    [entry] = await audit(database, "lead.take_over")
    assert (entry.actor_telegram_id, entry.allowed, entry.tenant_id) == (OTHER_REP, False, bali.id)
    named = await team.text(OTHER_REP, "I'll take Tom", language_code="en")  # not among his clients
    assert named[-1].text == "I found no client called “Tom” among yours."

    assert (await takeovers.take_over(Actor(REP, language="en"), lead_id)).outcome is Outcome.TAKEN
    stolen = await takeovers.take_over(Actor(ADMIN, first_name="Ann", language="en"), lead_id)

    assert stolen.outcome is Outcome.TAKEN and (await stored(database, lead_id)).taken_over_by == ADMIN
    assert [(n.chat_id, n.text) for n in stolen.notices] == [
        (REP, "🙋 Ann has taken over the conversation with Tom; their messages go to Ann now.")
    ]
    not_his = await takeovers.hand_back(Actor(REP, language="en"), lead_id)
    assert not_his.outcome is Outcome.HAND_BACK_REFUSED
    assert [e.allowed for e in await audit(database, "lead.hand_back")] == [False]


async def test_a_held_lead_stays_unanswered_across_a_restart_and_a_repeated_update_is_forwarded_once(
    bot_config: Settings,
    services: Services,
    team: BotDriver,
    api: FakeTelegramAPI,
    database: Database,
    clock: FrozenClock,
    bali: Tenant,
) -> None:
    rep = await a_rep(database, bali, REP, "Wayan")
    lead_id, lead_chat = await a_lead(database, bali, rep)
    asked = await team.text(REP, "I'll take Tom", language_code="en")
    await team.press(REP, asked[-1], "Tom", language_code="en")
    assert (await stored(database, lead_id)).taken_over_by == REP

    restarted = Services(
        settings=bot_config, database=database, clock=clock
    )  # another process, same database
    async with restarted.resources, running_lead_bot(restarted, bali, api, burst_seconds=0.05) as lead_bot:
        update = lead_bot.updates.text(
            lead_chat, "Hello? Anyone there?", first_name="Tom", language_code="en"
        )
        await lead_bot.feed(update)
        await lead_bot.feed(update)  # Telegram delivers the same update again
        await lead_bot_idle(lead_bot.application)

    assert api.sent(chat_id=lead_chat, token=LEAD_TOKEN) == []  # the AI said nothing
    forwards = desk(team).forwards()
    assert await forwards.deliver_due() == 1
    assert await forwards.deliver_due() == 0  # sent once, not again by the next round or another process
    assert [m.text.split("\n")[0] for m in api.sent(chat_id=REP, token=TEAM_TOKEN)[-1:]] == [
        "💬 Tom: Hello? Anyone there?"
    ]
    async with database.session() as session:
        rows = list((await session.execute(select(TakeoverForward))).scalars())
    assert len(rows) == 1 and rows[0].sent_at is not None and rows[0].message_id is not None
    held = await checkpoint_messages(services, bali, lead_id)  # the first message of the thread, unanswered
    assert [(type(m).__name__, m.content) for m in held] == [("HumanMessage", "Hello? Anyone there?")]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("said", "verb", "name"),
    [
        ("I'll take Tom", "take", "Tom"),
        ("take over Maria Lopez", "take", "Maria Lopez"),
        ("Беру Тома", "take", "Тома"),
        ("Я возьму Марию", "take", "Марию"),
        ("تام را برمی‌دارم", "take", "تام"),
        ("سأتولى توم", "take", "توم"),
        ("hand back", "hand_back", ""),
        ("верни боту", "hand_back", ""),
        ("Верни Тома боту", "hand_back", "Тома"),
        ("به ربات برگردان", "hand_back", ""),
        ("أعد توم إلى البوت", "hand_back", "توم"),
    ],
)
def test_take_over_and_hand_back_are_understood_in_four_languages(said: str, verb: str, name: str) -> None:
    words = takeover_words(said)
    assert words is not None and (words.verb, words.name) == (verb, name)


@pytest.mark.parametrize(
    "said", ["I will take you there tomorrow at ten", "Hello, is it free?", "my clients"]
)
def test_a_message_for_the_lead_is_not_a_takeover_request(said: str) -> None:
    assert takeover_words(said) is None


async def test_the_crm_card_takes_over_a_shared_contact_is_forwarded_and_its_button_hands_back(
    services: Services, team: BotDriver, api: FakeTelegramAPI, database: Database, bali: Tenant
) -> None:
    rep = await a_rep(database, bali, REP, "Wayan")
    lead_id, _ = await a_lead(database, bali, rep)
    other_id, _ = await a_lead(database, bali, rep, name="Maria")
    book = await team.text(REP, "my clients", language_code="en")
    card = await team.press(REP, book[-1], "Tom", language_code="en")
    assert "🙋 Take over" in [b["text"] for b in card[-1].buttons()]

    taken = await team.press(REP, card[-1], "Take over", language_code="en")

    assert taken[-1].text.startswith("🙋 You are talking to Tom in person now")
    again = await team.press(REP, card[-1], "Take over", language_code="en")
    assert again[-1].text == "You are already talking to Tom."
    held = await run_lead_turn(
        services,
        tenant_id=bali.id,
        lead_id=lead_id,
        inbound=Inbound(kind="contact", phone="+62 812 3456 7891"),
    )
    assert held.reply == "" and held.phase == "taken_over"
    await desk(team).forwards().deliver_due()
    forwarded = api.last_sent(chat_id=REP, token=TEAM_TOKEN)
    assert forwarded.text.startswith("📞 Tom shared a phone number: +62 812 3456 7891")
    assert [b["text"] for b in forwarded.buttons()] == ["🤖 Hand back"]
    asked = await team.text(REP, "I'll take Maria", language_code="en")
    await team.press(REP, asked[-1], "Maria", language_code="en")
    several = await team.text(REP, "See you at the villa at five", language_code="en")
    assert several[-1].text.startswith("You are talking to several clients: reply to one of their forwarded")

    back = await team.press(REP, forwarded, "Hand back", language_code="en")

    assert back[-1].text == "🤖 Tom is back with the AI, which knows what you said."
    assert (await stored(database, lead_id)).taken_over_by is None
    assert (await stored(database, other_id)).taken_over_by == REP


async def test_a_takeover_landing_while_the_model_thinks_sends_nothing_forwards_the_message_and_unsays_the_reply(
    services: Services,
    team: BotDriver,
    api: FakeTelegramAPI,
    database: Database,
    bali: Tenant,
    settings: Settings,
) -> None:
    rep = await a_rep(database, bali, REP, "Wayan")
    lead_id, _ = await a_lead(database, bali, rep)
    takeovers = Takeovers(database, TeamService(database, services.settings, services.clock), services.clock)
    async with FakeOpenAI() as model_api:
        services.model = SalesModel(build_chat_model(llm_settings(settings, model_api)))
        model_api.queue(Answer(body=completion("Yes, the Berawa villa is free."), delay=1.0))
        turn = asyncio.create_task(
            run_lead_turn(
                services,
                tenant_id=bali.id,
                lead_id=lead_id,
                inbound=Inbound(text="Is the Berawa villa free?"),
            )
        )
        for _ in range(200):  # the model has the question: the turn is between run() and close()
            if model_api.requests:
                break
            await asyncio.sleep(0.02)
        assert model_api.requests and not turn.done()
        taken = await takeovers.take_over(Actor(REP, language="en"), lead_id)
        result = await turn

    assert taken.outcome is Outcome.TAKEN
    assert (result.reply, result.phase) == ("", "taken_over")  # the lead bot sends nothing
    async with database.session() as session:
        said = await session.execute(
            select(LeadInteraction).where(
                LeadInteraction.lead_id == lead_id, LeadInteraction.direction == "outbound"
            )
        )
        assert list(said.scalars()) == []
    assert await desk(team).forwards().deliver_due() == 1
    assert api.last_sent(chat_id=REP, token=TEAM_TOKEN).text.startswith("💬 Tom: Is the Berawa villa free?")
    held = await checkpoint_messages(services, bali, lead_id)
    assert [(type(m).__name__, m.content) for m in held] == [("HumanMessage", "Is the Berawa villa free?")]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "said", ["I'll take it", "Беру выходной завтра", "I'll take care of it", "Возьму его"]
)
async def test_words_that_name_no_client_take_nobody_over(
    services: Services, team: BotDriver, api: FakeTelegramAPI, database: Database, bali: Tenant, said: str
) -> None:
    rep = await a_rep(database, bali, REP, "Wayan")
    leads = [await a_lead(database, bali, rep, name=name) for name in ("Anita", "Keith", "Smith", "Вадим")]

    answered = await team.text(REP, said, language_code="en")

    for lead_id, _ in leads:
        assert (await stored(database, lead_id)).taken_over_by is None
    assert await audit(database, "lead.take_over") == []
    assert not any(b["text"] in ("Anita", "Keith", "Smith", "Вадим") for m in answered for b in m.buttons())


async def test_one_matching_client_is_still_confirmed_with_a_button(
    services: Services, team: BotDriver, api: FakeTelegramAPI, database: Database, bali: Tenant
) -> None:
    rep = await a_rep(database, bali, REP, "Wayan")
    lead_id, _ = await a_lead(database, bali, rep, name="Maria Lopez")
    await a_lead(database, bali, rep, name="Anita")

    asked = await team.text(REP, "Я возьму Марию", language_code="en")

    assert asked[-1].text == "Take over the conversation with Maria Lopez? Tap the button to confirm."
    assert [b["text"] for b in asked[-1].buttons()] == ["Maria Lopez"]
    assert (await stored(database, lead_id)).taken_over_by is None
    taken = await team.press(REP, asked[-1], "Maria Lopez", language_code="en")
    assert taken[-1].text.startswith("🙋 You are talking to Maria Lopez in person now")
    assert (await stored(database, lead_id)).taken_over_by == REP


@pytest.mark.parametrize(
    "said",
    [
        "The owner refused your offer",
        "Tom, the owner declined your offer, sorry",
        "Let's move the viewing to Saturday 11",
    ],
)
async def test_while_talking_to_one_lead_the_persons_words_go_to_the_lead_before_any_other_reading(
    services: Services, team: BotDriver, api: FakeTelegramAPI, database: Database, bali: Tenant, said: str
) -> None:
    rep = await a_rep(database, bali, REP, "Wayan")
    lead_id, lead_chat = await a_lead(database, bali, rep)
    takeovers = Takeovers(database, TeamService(database, services.settings, services.clock), services.clock)
    assert (await takeovers.take_over(Actor(REP, language="en"), lead_id)).outcome is Outcome.TAKEN

    answered = await team.text(REP, said, language_code="en")

    assert [m.text for m in answered] == ["✉️ Sent to Tom."]
    assert api.last_sent(chat_id=lead_chat, token=LEAD_TOKEN).text == said
    lead = await stored(database, lead_id)
    assert lead.taken_over_by == REP and str(lead.status) not in ("lost", "won")


async def test_while_talking_to_several_leads_a_plain_message_asks_which_one_and_reaches_nobody(
    services: Services, team: BotDriver, api: FakeTelegramAPI, database: Database, bali: Tenant
) -> None:
    rep = await a_rep(database, bali, REP, "Wayan")
    tom, tom_chat = await a_lead(database, bali, rep)
    maria, maria_chat = await a_lead(database, bali, rep, name="Maria")
    takeovers = Takeovers(database, TeamService(database, services.settings, services.clock), services.clock)
    for lead_id in (tom, maria):
        assert (await takeovers.take_over(Actor(REP, language="en"), lead_id)).outcome is Outcome.TAKEN

    answered = await team.text(REP, "Tom, the owner declined your offer, sorry", language_code="en")

    assert answered[-1].text.startswith("You are talking to several clients: reply to one of their forwarded")
    assert (
        api.sent(chat_id=tom_chat, token=LEAD_TOKEN) == []
        and api.sent(chat_id=maria_chat, token=LEAD_TOKEN) == []
    )


async def held_with_forwards(
    database: Database, tenant: Tenant, lead_id: int, person: int, count: int
) -> None:
    async with database.session() as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        lead.taken_over_by, lead.taken_over_at = person, NOW
        for n in range(count):
            session.add(
                TakeoverForward(
                    tenant_id=tenant.id,
                    lead_id=lead_id,
                    to_telegram_id=person,
                    kind="text",
                    text=f"message {n}",
                    created_at=NOW,
                )
            )


async def test_a_telegram_outage_ends_the_round_and_the_next_round_sends_the_rest(
    services: Services, team: BotDriver, api: FakeTelegramAPI, database: Database, bali: Tenant
) -> None:
    rep = await a_rep(database, bali, REP, "Wayan")
    lead_id, _ = await a_lead(database, bali, rep)
    await held_with_forwards(database, bali, lead_id, REP, 25)
    forwards = desk(team).forwards()
    api.reset_calls()
    api.fail_next("sendMessage", error_code=502, description="Bad Gateway", times=1)

    await asyncio.wait_for(forwards.deliver_due(), timeout=10)

    assert len(api.calls_of("sendMessage", token=TEAM_TOKEN)) == 1  # one try, then the round ends
    stopping = asyncio.Event()
    stopping.set()
    assert await forwards.deliver_due(stopping) == 0  # stopping: not another batch
    assert await forwards.deliver_due() == 25
    assert (
        len({m.text for m in api.sent(chat_id=REP, token=TEAM_TOKEN)}) == 25
    )  # (the failed try is listed too)


async def test_a_person_the_team_bot_cannot_reach_gets_the_lead_handed_back_and_the_rep_is_told(
    services: Services, team: BotDriver, api: FakeTelegramAPI, database: Database, bali: Tenant
) -> None:
    rep = await a_rep(database, bali, REP, "Wayan")
    lead_id, lead_chat = await a_lead(database, bali, rep)
    await held_with_forwards(database, bali, lead_id, ADMIN, 2)
    api.reset_calls()
    api.fail_next(
        "sendMessage", error_code=403, description="Forbidden: bot was blocked by the user", times=2
    )

    await desk(team).forwards().deliver_due()

    assert (await stored(database, lead_id)).taken_over_by is None
    [entry] = await audit(database, "lead.hand_back")
    assert (entry.allowed, entry.detail) == (True, f"taken_over_by={ADMIN}; unreachable")
    told = api.last_sent(chat_id=REP, token=TEAM_TOKEN).text
    assert told.startswith("🤖 ") and "Tom is back with the AI" in told
    assert await lead_says(services, bali, lead_id, "Hello? Is anyone there?")  # the AI answers again
    assert (
        api.sent(chat_id=lead_chat, token=LEAD_TOKEN) == []
    )  # (run_lead_turn's reply goes via the lead bot)


async def test_handing_back_asks_who_may_first_and_a_missing_lead_is_audited(
    services: Services, database: Database, bali: Tenant
) -> None:
    rep = await a_rep(database, bali, REP, "Wayan")
    await a_rep(database, bali, OTHER_REP, "Made")
    lead_id, _ = await a_lead(database, bali, rep)
    takeovers = Takeovers(database, TeamService(database, services.settings, services.clock), services.clock)

    stranger = await takeovers.hand_back(Actor(OTHER_REP, language="en"), lead_id)
    own = await takeovers.hand_back(Actor(REP, language="en"), lead_id)
    missing_back = await takeovers.hand_back(Actor(REP, language="en"), 987_654)
    missing_take = await takeovers.take_over(Actor(REP, language="en"), 987_654, via="api")

    assert stranger.outcome is Outcome.NOT_YOURS and own.outcome is Outcome.NOT_TAKEN
    assert (missing_back.outcome, missing_take.outcome) == (Outcome.GONE, Outcome.GONE)
    assert [
        (e.actor_telegram_id, e.target, e.allowed, e.detail) for e in await audit(database, "lead.hand_back")
    ] == [
        (OTHER_REP, f"lead:{lead_id}", False, "not_their_lead"),
        (REP, "lead:987654", False, "no_such_lead"),
    ]
    [taken] = await audit(database, "lead.take_over")
    assert (taken.target, taken.allowed, taken.detail) == ("lead:987654", False, "no_such_lead; via=api")


async def test_a_held_turn_whose_last_transaction_fails_sends_no_apology_and_forwards_once(
    services: Services, team: BotDriver, api: FakeTelegramAPI, database: Database, bali: Tenant
) -> None:
    rep = await a_rep(database, bali, REP, "Wayan")
    lead_id, _ = await a_lead(database, bali, rep)
    takeovers = Takeovers(database, TeamService(database, services.settings, services.clock), services.clock)
    assert (await takeovers.take_over(Actor(REP, language="en"), lead_id)).outcome is Outcome.TAKEN
    async with database.engine.begin() as conn:  # the turn's closing commit fails once, in PostgreSQL itself
        for statement in FAIL_ONE_COMMIT:
            await conn.execute(text(statement))
    try:
        result = await run_lead_turn(
            services, tenant_id=bali.id, lead_id=lead_id, inbound=Inbound(text="Hello? Anyone there?")
        )
    finally:
        async with database.engine.begin() as conn:
            for statement in UNDO_FAIL_ONE_COMMIT:
                await conn.execute(text(statement))

    assert (result.reply, result.phase) == (
        "",
        "taken_over",
    )  # no "sorry, something went wrong" to a held lead
    async with database.session() as session:
        said = await session.execute(
            select(LeadInteraction).where(
                LeadInteraction.lead_id == lead_id, LeadInteraction.direction == "outbound"
            )
        )
        assert list(said.scalars()) == []
    assert await desk(team).forwards().deliver_due() == 1


FAIL_ONE_COMMIT = (
    "CREATE SEQUENCE test_fail_once",
    "CREATE FUNCTION test_fail_once() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF nextval('test_fail_once') = 1 THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NULL; END $$",
    "CREATE CONSTRAINT TRIGGER test_fail_once AFTER INSERT OR UPDATE ON lead_insights "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_fail_once()",
)
UNDO_FAIL_ONE_COMMIT = (
    "DROP TRIGGER IF EXISTS test_fail_once ON lead_insights",
    "DROP FUNCTION IF EXISTS test_fail_once()",
    "DROP SEQUENCE IF EXISTS test_fail_once",
)
