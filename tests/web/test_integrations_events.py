"""Where events come from: a lead's conversation (created, status moves, the team alerted, a viewing booked and
cancelled) and a rep's status change in the team bot each leave one delivery per subscribed endpoint, carrying
ids, statuses and UTC times, only on a real change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from agent.services.integrations.endpoints import WebhookEndpoints
from agent.services.integrations.events import EVENT_KINDS
from agent.services.provider import Services
from agent.services.team import TeamService
from agent.services.team.cards import Actor
from storage.models import Lead, Tenant, WebhookDelivery
from tests.sales_support import new_chat
from tests.viewings.test_lead_changes_viewing import BOOKING
from tests.web.web_support import ANNA, Agencies


async def subscribe_all(services: Services, tenant: Tenant) -> None:
    async with services.database.session() as session:
        await WebhookEndpoints(session, services.settings).add(
            tenant.id,
            "https://crm.example.com/realty",
            [k.value for k in EVENT_KINDS],
            created_by="test",
            now=services.clock.now(),
        )


async def outbox(services: Services) -> list[WebhookDelivery]:
    async with services.database.session() as session:
        query = select(WebhookDelivery).order_by(WebhookDelivery.created_at, WebhookDelivery.id)
        return list((await session.scalars(query)).all())


async def test_a_leads_conversation_tells_the_agencys_crm_what_happened(
    services: Services, demo: Tenant
) -> None:
    await subscribe_all(services, demo)
    chat = await new_chat(services, demo, language="ru")
    await chat.script(BOOKING)
    await chat.say("Отмените просмотр, пожалуйста")
    lead = await chat.lead()

    events = await outbox(services)
    kinds = [event.kind for event in events]
    assert kinds.count("lead.created") == 1  # (stamped by the wall clock: the chat's clock is in March)
    assert kinds.count("viewing.booked") == 1 and kinds.count("viewing.cancelled") == 1
    assert "lead.hot" in kinds  # the team was alerted (the phone number arrived)

    moves = [
        (e.payload["data"]["previous_status"], e.payload["data"]["status"])  # type: ignore[index]
        for e in events
        if e.kind == "lead.status_changed"
    ]
    assert all(before != after for before, after in moves)  # only real changes
    assert {
        ("new", "qualifying"),
        ("contact_captured", "viewing_scheduled"),  # booked
        ("viewing_scheduled", "contact_captured"),  # cancelled: back where the funnel had them
    } <= set(moves)

    booked = next(e for e in events if e.kind == "viewing.booked").payload["data"]
    assert booked["lead_id"] == lead.id and booked["status"] == "scheduled"  # type: ignore[index]
    assert datetime.fromisoformat(booked["starts_at"]).utcoffset().total_seconds() == 0  # type: ignore[index,arg-type,union-attr]
    hot = next(e for e in events if e.kind == "lead.hot").payload["data"]
    assert hot["phone"] == lead.phone and "score" in hot and "temperature" in hot  # type: ignore[operator,index]
    status_data = next(e for e in events if e.kind == "lead.status_changed").payload["data"]
    assert "phone" not in status_data and "name" not in status_data  # type: ignore[operator]
    assert {e.tenant_id for e in events} == {demo.id}


async def test_a_reps_status_change_in_the_team_bot_is_one_event_and_the_same_status_none(
    web_services: Services, agencies: Agencies
) -> None:
    await subscribe_all(web_services, agencies.tre)
    async with web_services.database.session() as session:
        lead = Lead(
            tenant_id=agencies.tre.id, name="Maya", assigned_rep_id=agencies.rep(ANNA).id, status="qualified"
        )
        session.add(lead)
    team = TeamService(web_services.database, web_services.settings, web_services.clock)
    anna = Actor(telegram_id=ANNA, language="en")

    await team.change_status(anna, "lead", str(lead.id), "won")
    await team.change_status(anna, "lead", str(lead.id), "won")

    (event,) = await outbox(web_services)
    assert event.kind == "lead.status_changed"
    data = event.payload["data"]
    assert data["previous_status"] == "qualified" and data["status"] == "won"  # type: ignore[index]
    assert data["changed_by"] == "rep" and data["lead_id"] == lead.id  # type: ignore[index]


async def test_erasing_a_lead_takes_its_name_and_phone_out_of_webhook_events(
    web_services: Services, agencies: Agencies
) -> None:
    from agent.services.leads.intake import create_lead
    from agent.services.privacy.erase import Eraser, erase_lead

    await subscribe_all(web_services, agencies.tre)
    async with web_services.database.session() as session:
        lead = await create_lead(session, agencies.tre.id, name="Maya Lee")
    (before,) = await outbox(web_services)
    assert before.payload["data"]["name"] == "Maya Lee"  # type: ignore[index]

    await erase_lead(web_services, agencies.tre.id, lead.id, Eraser(None, "cli"))

    (after,) = await outbox(web_services)
    data = after.payload["data"]
    assert "name" not in data and "phone" not in data and data["lead_id"] == lead.id  # type: ignore[operator,index]
