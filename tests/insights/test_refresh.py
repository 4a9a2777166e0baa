"""Insights stored per lead: refreshed at the end of each inbound turn, nightly for active leads, and written by
the model (through the OpenAI wire stand-in) only when its answer is schema-valid and grounded in the facts."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from agent.core.insights import ActionKind, ActionReason, Insight
from agent.services.insights import insight_for, refresh_all, refresh_due, refresh_insight
from agent.services.provider import Services
from agent.settings import Settings
from storage.models import Lead, LeadInsight, LeadInteraction, LeadQuestion, Property, Tenant
from tests.fakes.openai_api import FakeOpenAI, completion
from tests.lead_chat.test_openai_path import llm_settings, use_provider
from tests.sales_support import new_chat, new_lead


@pytest.fixture
async def openai() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as fake:
        yield fake


async def stored(services: Services, lead_id: int) -> LeadInsight | None:
    async with services.database.session() as session:
        return await session.get(LeadInsight, lead_id)


async def with_lead(services: Services, lead_id: int, **fields: object) -> None:
    async with services.database.session() as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        for name, value in fields.items():
            setattr(lead, name, value)


async def refresh(services: Services, lead_id: int, *, full_due: bool = False) -> Insight:
    async with services.database.session() as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        return await refresh_insight(session, services, lead, services.clock.now(), full_due=full_due)


async def test_each_inbound_message_refreshes_the_lead_insight_offline(
    services: Services, demo: Tenant
) -> None:
    chat = await new_chat(services, demo)
    await chat.say("Hi! I want to buy a villa in Canggu, budget up to 500k USD")
    first = await stored(services, chat.lead_id)
    assert first is not None and first.source == "offline"
    assert first.due_at == services.clock.now()  # the full refresh (catalog search) is the due job's
    insight = Insight.from_json(dict(first.content))
    assert insight.wants.budget_max == Decimal(500000) and insight.wants.currency == "USD"
    assert insight.wants.areas == ("Canggu",) and insight.wants.transaction == "sale"
    assert insight.touchpoints == {"chat": 1}

    services.clock.advance(timedelta(minutes=5))  # type: ignore[attr-defined]
    await chat.say("Honestly 500k is too expensive for us, can we visit one on Saturday?")
    second = await stored(services, chat.lead_id)
    assert second is not None and second.refreshed_at > first.refreshed_at
    again = Insight.from_json(dict(second.content))
    assert [o.kind for o in again.objections] == ["price"]
    assert again.touchpoints == {"chat": 2}
    async with services.database.session() as session:
        lead = await session.get(Lead, chat.lead_id)
        assert lead is not None
        shown = await insight_for(session, lead, "ru")
    assert shown is not None and shown.view.wants.startswith("Хочет: покупка · вилла")
    assert "до 500 тыс. USD" in shown.view.wants


async def test_a_matched_listing_never_shown_is_the_one_to_send(services: Services, demo: Tenant) -> None:
    lead_id = await new_lead(services, demo)
    now = services.clock.now()
    await with_lead(
        services,
        lead_id,
        transaction="sale",
        property_type="villa",
        property_types=["villa"],
        location="Canggu",
        locations=["Canggu"],
        budget_max=Decimal(500000),
        budget_currency="USD",
        last_inbound_at=now - timedelta(hours=1),
    )
    async with services.database.session() as session:
        canggu = list(
            (
                await session.execute(
                    select(Property)
                    .where(
                        Property.tenant_id == demo.id,
                        Property.location == "Canggu",
                        Property.property_type == "villa",
                        Property.transaction == "sale",
                        Property.price <= 500000,
                    )
                    .order_by(Property.price)
                )
            ).scalars()
        )
        assert len(canggu) >= 2
        session.add(
            LeadInteraction(
                tenant_id=demo.id,
                lead_id=lead_id,
                type="listings_shown",
                direction="outbound",
                meta={"property_ids": [canggu[0].id]},
                created_at=now - timedelta(hours=1),
            )
        )
    action = (await refresh(services, lead_id)).action
    assert action.kind is ActionKind.SEND_LISTING
    assert action.listing_id in {p.id for p in canggu[1:]}
    assert action.listing_title == next(p.title for p in canggu if p.id == action.listing_id)


async def test_an_open_question_is_the_next_action_and_a_hot_lead_with_a_phone_is_called(
    services: Services, demo: Tenant
) -> None:
    lead_id = await new_lead(services, demo)
    now = services.clock.now()
    await with_lead(services, lead_id, last_inbound_at=now)
    async with services.database.session() as session:
        session.add(
            LeadQuestion(tenant_id=demo.id, lead_id=lead_id, question="Is there a generator?", asked_at=now)
        )
    action = (await refresh(services, lead_id)).action
    assert (action.kind, action.question) == (ActionKind.ANSWER_QUESTION, "Is there a generator?")
    await with_lead(services, lead_id, temperature="hot", phone="+6281234567890")
    assert (await refresh(services, lead_id)).action.kind is ActionKind.CALL_NOW


async def test_nightly_refresh_covers_active_leads_only(services: Services, demo: Tenant) -> None:
    now = services.clock.now()
    silent = await new_lead(services, demo)
    await with_lead(services, silent, last_inbound_at=now - timedelta(days=4))
    won = await new_lead(services, demo)
    await with_lead(services, won, status="won", last_inbound_at=now - timedelta(days=1))
    gone = await new_lead(services, demo)
    await with_lead(services, gone, last_inbound_at=now - timedelta(days=200))
    assert await refresh_all(services, now, batch=2) == 1  # batches of 2: the walk goes on past the first
    row = await stored(services, silent)
    assert row is not None
    action = Insight.from_json(dict(row.content)).action
    assert (action.kind, action.reason, action.silent_days) == (ActionKind.NUDGE, ActionReason.SILENT, 4)
    assert await stored(services, won) is None and await stored(services, gone) is None


def summary_answer(en: str, ru: str = "Хочет виллу в Canggu.") -> dict[str, object]:
    return completion(
        json.dumps({"en": en, "ru": ru, "fa": "ویلا در Canggu می‌خواهد.", "ar": "يريد فيلا في Canggu."})
    )


async def test_the_model_writes_a_schema_checked_summary_in_a_job_off_the_reply_path(
    services: Services, demo: Tenant, settings: Settings, openai: FakeOpenAI
) -> None:
    use_provider(services, llm_settings(settings, openai))
    services.settings = llm_settings(settings, openai)
    lead_id = await new_lead(services, demo)
    await with_lead(
        services,
        lead_id,
        transaction="sale",
        property_type="villa",
        property_types=["villa"],
        location="Canggu",
        locations=["Canggu"],
        budget_max=Decimal(500000),
        budget_currency="USD",
        last_inbound_at=services.clock.now(),
    )
    await refresh(services, lead_id, full_due=True)
    row = await stored(services, lead_id)
    assert row is not None and row.source == "offline" and row.due_at is not None
    assert openai.requests == []  # nothing asked of the model while composing

    openai.queue(summary_answer("Wants to buy a villa in Canggu, up to 500K USD."))
    assert await refresh_due(services, services.clock.now()) == 1
    [request] = openai.requests
    schema = request["json"]["response_format"]
    assert schema["type"] == "json_schema" and schema["json_schema"]["strict"] is True
    assert set(schema["json_schema"]["schema"]["required"]) == {"en", "ru", "fa", "ar"}
    facts = json.loads(request["json"]["messages"][-1]["content"])
    assert facts["wants"]["budget_max"] == "500000" and facts["wants"]["areas"] == ["Canggu"]
    row = await stored(services, lead_id)
    assert row is not None and row.source == "model" and row.due_at is None
    async with services.database.session() as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        ru = await insight_for(session, lead, "ru")
        en = await insight_for(session, lead, "en")
    assert ru is not None and ru.view.summary == "Хочет виллу в Canggu."
    assert en is not None and en.view.summary == "Wants to buy a villa in Canggu, up to 500K USD."
    assert en.view.next.startswith("Next:")  # the action is still the policy's
    assert await refresh_due(services, services.clock.now()) == 0  # nothing left due


async def test_a_model_summary_that_invents_an_amount_is_rejected_and_the_offline_one_stays(
    services: Services, demo: Tenant, settings: Settings, openai: FakeOpenAI
) -> None:
    use_provider(services, llm_settings(settings, openai))
    services.settings = llm_settings(settings, openai)
    lead_id = await new_lead(services, demo)
    await with_lead(
        services, lead_id, location="Canggu", locations=["Canggu"], last_inbound_at=services.clock.now()
    )
    await refresh(services, lead_id, full_due=True)
    openai.queue(summary_answer("Wants a villa in Canggu, budget up to 900K USD."))
    assert await refresh_due(services, services.clock.now()) == 1
    assert len(openai.requests) == 1
    row = await stored(services, lead_id)
    assert row is not None and row.source == "offline" and row.due_at is None
    insight = Insight.from_json(dict(row.content))
    assert insight.summary is None and insight.wants.budget_max is None

    # A broken schema (a field missing) is rejected the same way.
    await refresh(services, lead_id, full_due=True)
    openai.queue(completion(json.dumps({"en": "Wants Canggu."})))
    assert await refresh_due(services, services.clock.now()) == 1
    row = await stored(services, lead_id)
    assert row is not None and row.source == "offline"


@pytest.mark.parametrize(
    "invented",
    [
        "Wants a villa in Canggu and pays cash.",  # a payment method
        "Wants a villa or an apartment in Canggu.",  # a property type
        "Wants a villa in Canggu before March.",  # a deadline
        "Wants a three-bedroom villa in Canggu.",  # a bedroom count in words
    ],
)
async def test_a_model_summary_that_invents_a_payment_a_type_a_deadline_or_a_count_is_rejected(
    services: Services, demo: Tenant, settings: Settings, openai: FakeOpenAI, invented: str
) -> None:
    use_provider(services, llm_settings(settings, openai))
    services.settings = llm_settings(settings, openai)
    lead_id = await new_lead(services, demo)
    await with_lead(
        services,
        lead_id,
        property_type="villa",
        property_types=["villa"],
        location="Canggu",
        locations=["Canggu"],
        last_inbound_at=services.clock.now(),
    )
    await refresh(services, lead_id, full_due=True)
    openai.queue(summary_answer(invented))
    assert await refresh_due(services, services.clock.now()) == 1
    assert len(openai.requests) == 1
    row = await stored(services, lead_id)
    assert row is not None and row.source == "offline" and row.due_at is None
    assert Insight.from_json(dict(row.content)).summary is None

    # The same words in Russian only are rejected just as well; what was recorded passes.
    await refresh(services, lead_id, full_due=True)
    openai.queue(summary_answer("Wants a villa in Canggu.", ru="Хочет виллу в Canggu, платит наличными."))
    assert await refresh_due(services, services.clock.now()) == 1
    row = await stored(services, lead_id)
    assert row is not None and row.source == "offline"
    await refresh(services, lead_id, full_due=True)
    openai.queue(summary_answer("Wants a villa in Canggu."))
    assert await refresh_due(services, services.clock.now()) == 1
    row = await stored(services, lead_id)
    assert row is not None and row.source == "model"


async def test_the_worker_runs_the_nightly_insights_job_and_the_model_job_is_periodic(
    services: Services, demo: Tenant
) -> None:
    from agent.services.jobs.app import (
        INSIGHTS_DUE_TASK,
        INSIGHTS_NIGHTLY_TASK,
        QUEUE,
        build_app,
        ensure_job_schema,
    )

    silent = await new_lead(services, demo)
    await with_lead(services, silent, last_inbound_at=services.clock.now() - timedelta(days=6))
    await ensure_job_schema(services.database.url)
    app = build_app(services)
    crons = {p.task.name: p.cron for p in app.periodic_registry.periodic_tasks.values()}
    assert crons[INSIGHTS_NIGHTLY_TASK] == "0 3 * * *" and crons[INSIGHTS_DUE_TASK] == "*/2 * * * *"
    async with app.open_async():
        await app.tasks[INSIGHTS_NIGHTLY_TASK].defer_async(timestamp=0)
        await app.tasks[INSIGHTS_DUE_TASK].defer_async(timestamp=0)  # nothing marked due
        await app.run_worker_async(queues=[QUEUE], wait=False, install_signal_handlers=False)
    row = await stored(services, silent)
    # Composed by the nightly job (its action is checked above; the worker's other periodic jobs may touch the lead).
    assert row is not None and row.source == "offline" and row.refreshed_at == services.clock.now()


async def test_an_erased_lead_loses_its_insight(services: Services, demo: Tenant) -> None:
    from agent.services.privacy import Eraser, erase_lead

    chat = await new_chat(services, demo)
    await chat.say("I want a villa in Canggu, it's too expensive though")
    assert await stored(services, chat.lead_id) is not None
    await erase_lead(services, demo.id, chat.lead_id, Eraser(telegram_id=None, via="cli"))
    assert await stored(services, chat.lead_id) is None


async def test_a_rep_note_makes_the_insight_due_and_the_job_reads_it(
    services: Services, demo: Tenant
) -> None:
    from agent.services.team.crm import change_lead

    chat = await new_chat(services, demo)
    await chat.say("Hi! I want to buy a villa in Canggu, budget up to 500k USD")
    assert await refresh_due(services, services.clock.now()) == 1  # the turn's full refresh
    before = await stored(services, chat.lead_id)
    assert (
        before is not None
        and before.due_at is None
        and "note" not in Insight.from_json(dict(before.content)).touchpoints
    )

    services.clock.advance(timedelta(minutes=3))  # type: ignore[attr-defined]
    async with services.database.session() as session:
        lead = await session.get(Lead, chat.lead_id, with_for_update=True)
        assert lead is not None
        await change_lead(session, lead, by="rep", now=services.clock.now(), note="Wants to move in by March")
    due = await stored(services, chat.lead_id)
    assert due is not None and due.due_at == services.clock.now()

    assert await refresh_due(services, services.clock.now()) == 1
    after = await stored(services, chat.lead_id)
    assert after is not None and after.due_at is None and after.refreshed_at > before.refreshed_at
    assert Insight.from_json(dict(after.content)).touchpoints.get("note") == 1


async def test_a_reps_recorded_viewing_outcome_is_not_the_lead_saying_it_is_urgent(
    services: Services, demo: Tenant, settings: Settings, openai: FakeOpenAI
) -> None:
    from agent.services.calendars.reminders import Outcome, apply_outcome

    chat = await new_chat(services, demo)
    await chat.say("Hi! I want to buy a villa in Canggu, budget up to 500k USD")
    hurried = await new_chat(services, demo)
    await hurried.say("We need a villa in Canggu urgently, please")
    async with services.database.session() as session:
        lead = await session.get(Lead, chat.lead_id)
        assert lead is not None
        apply_outcome(lead, Outcome.INTERESTED)  # what the rep answered after the viewing
        apply_outcome(lead, Outcome.MADE_OFFER)
        assert lead.urgency_mentions == 3  # the score still counts it
    assert (await refresh(services, chat.lead_id, full_due=True)).urgency_mentions == 0
    async with services.database.session() as session:
        lead = await session.get(Lead, chat.lead_id)
        other = await session.get(Lead, hurried.lead_id)
        assert lead is not None and other is not None
        for language in ("en", "ru", "fa", "ar"):
            shown = await insight_for(session, lead, language)
            assert shown is not None and shown.view.urgency is None
        said = await insight_for(session, other, "en")
    assert said is not None and said.view.urgency == "Urgency: said it is urgent (1×)"

    use_provider(services, llm_settings(settings, openai))
    services.settings = llm_settings(settings, openai)
    async with services.database.session() as session:  # only the first lead's summary is due
        await session.execute(
            update(LeadInsight).where(LeadInsight.lead_id == hurried.lead_id).values(due_at=None)
        )
    openai.queue(summary_answer("Wants to buy a villa in Canggu, up to 500K USD."))
    assert await refresh_due(services, services.clock.now()) == 1
    facts = json.loads(openai.requests[-1]["json"]["messages"][-1]["content"])
    assert facts["times_the_lead_said_it_is_urgent"] == 0 and "urgency_mentions" not in facts
