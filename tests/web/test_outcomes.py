"""Won and lost from the dashboard's lead page and the API: the agency's reasons, If-Match, an integration token
acting for its agency, another agency's caller answered 404, every change and refusal audited."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi import FastAPI
from sqlalchemy import select

from agent.core.clock import FrozenClock
from storage.db import Database
from storage.models import AuditLog, FollowUpSend, Lead, RepTask, Tenant
from tests.web.conftest import SignIn
from tests.web.leads_support import scored_lead
from tests.web.test_leads_api import csrf_of, integration
from tests.web.web_support import ANNA, BORIS, OLGA, OTTO, Agencies


async def with_follow_ups(database: Database, agencies: Agencies, clock: FrozenClock, lead_id: int) -> None:
    async with database.session() as session:
        session.add(
            FollowUpSend(
                tenant_id=agencies.tre.id,
                lead_id=lead_id,
                step_key="ghost:1",
                status="held",
                hold_reason="quiet_hours",
                due_at=clock.now() + timedelta(hours=2),
                text="Any news?",
                created_at=clock.now(),
            )
        )
        session.add(
            RepTask(
                tenant_id=agencies.tre.id,
                rep_id=agencies.rep(ANNA).id,
                lead_id=lead_id,
                due_at=clock.now() + timedelta(days=1),
            )
        )


async def lead_of(database: Database, lead_id: int) -> Lead:
    async with database.session() as session:
        lead = await session.get(Lead, lead_id, populate_existing=True)
        assert lead is not None
        return lead


async def audit(database: Database, action: str) -> list[AuditLog]:
    async with database.session() as session:
        rows = await session.execute(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id))
        return list(rows.scalars())


async def test_the_lead_page_form_records_lost_with_a_reason_and_a_note_then_reopens(
    clients: SignIn, agencies: Agencies, database: Database, clock: FrozenClock
) -> None:
    lead_id = await scored_lead(database, clock, agencies)
    await with_follow_ups(database, agencies, clock, lead_id)
    anna = await clients(agencies.tre, ANNA)
    page = await anna.get(f"/leads/{lead_id}")
    assert f'action="/leads/{lead_id}/outcome"' in page.text
    assert '<option value="other_agency">chose another agency</option>' in page.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf

    sent = await anna.post(
        f"/leads/{lead_id}/outcome",
        data={
            "csrf": csrf.group(1),
            "outcome": "lost",
            "reason": "other_agency",
            "note": "went with a friend",
        },
    )
    assert sent.status_code == 303 and sent.headers["location"].endswith("?outcome=saved#outcome")
    lead = await lead_of(database, lead_id)
    assert (lead.status, lead.outcome_reason, lead.outcome_note, lead.outcome_at) == (
        "lost",
        "other_agency",
        "went with a friend",
        clock.now(),
    )
    async with database.session() as session:
        assert [s for s in (await session.execute(select(FollowUpSend.status))).scalars()] == ["cancelled"]
        assert all((await session.execute(select(RepTask.done_at))).scalars())
    [entry] = await audit(database, "lead.outcome")
    assert entry.allowed and entry.actor_telegram_id == ANNA and (entry.detail or "").startswith("web: ")

    shown = await anna.get(sent.headers["location"])
    assert "Outcome saved" in shown.text and 'data-outcome="lost"' in shown.text
    assert "chose another agency" in shown.text and "went with a friend" in shown.text

    back = await anna.post(f"/leads/{lead_id}/reopen", data={"csrf": csrf.group(1)})
    assert back.status_code == 303
    lead = await lead_of(database, lead_id)
    assert lead.status not in ("won", "lost") and lead.outcome_at is None and lead.outcome_reason is None


async def test_a_reason_not_in_the_agencys_list_is_refused_and_audited(
    clients: SignIn, agencies: Agencies, database: Database, clock: FrozenClock
) -> None:
    lead_id = await scored_lead(database, clock, agencies)
    async with database.session() as session:
        tenant = await session.get(Tenant, agencies.tre.id)
        assert tenant is not None
        tenant.outcome_reasons = {"lost": ["budget", "visa"]}
    anna = await clients(agencies.tre, ANNA)
    headers = await csrf_of(anna)
    reasons = (await anna.get("/api/v1/outcome-reasons")).json()
    assert reasons == {"won": ["bought", "signed"], "lost": ["budget", "visa"]}

    bad = await anna.post(
        f"/api/v1/leads/{lead_id}/outcome", json={"outcome": "lost", "reason": "price"}, headers=headers
    )
    assert bad.status_code == 400 and "budget, visa" in bad.json()["detail"]
    assert (await lead_of(database, lead_id)).status != "lost"
    [refusal] = await audit(database, "lead.outcome")
    assert not refusal.allowed

    good = await anna.post(
        f"/api/v1/leads/{lead_id}/outcome", json={"outcome": "lost", "reason": "visa"}, headers=headers
    )
    assert good.status_code == 200 and good.json()["reason"] == "visa"


async def test_the_api_takes_if_match_and_an_integration_token_acts_for_its_agency(
    web_app: FastAPI, clients: SignIn, agencies: Agencies, database: Database, clock: FrozenClock
) -> None:
    lead_id = await scored_lead(database, clock, agencies)
    await with_follow_ups(database, agencies, clock, lead_id)
    crm = await integration(web_app, database, clock, agencies.tre.id)
    async with crm:
        etag = (await crm.get(f"/api/v1/leads/{lead_id}")).headers["ETag"]
        stale = await crm.post(
            f"/api/v1/leads/{lead_id}/outcome",
            json={"outcome": "won"},
            headers={"If-Match": 'W/"lead-0-0-0"'},
        )
        assert stale.status_code == 412
        assert (await lead_of(database, lead_id)).status != "won"

        done = await crm.post(
            f"/api/v1/leads/{lead_id}/outcome",
            json={"outcome": "won", "reason": "bought", "note": "paid in full"},
            headers={"If-Match": etag},
        )
        assert done.status_code == 200
        body = done.json()
        assert (body["status"], body["reason"], body["stopped_sends"], body["stopped_tasks"]) == (
            "won",
            "bought",
            1,
            1,
        )
        assert done.headers["ETag"] == body["etag"] != etag
        shown = (await crm.get(f"/api/v1/leads/{lead_id}")).json()
        assert (shown["status"], shown["outcome_reason"], shown["outcome_note"]) == (
            "won",
            "bought",
            "paid in full",
        )
        assert shown["outcome_at"] is not None
    lead = await lead_of(database, lead_id)
    assert (lead.status, lead.outcome_reason, lead.outcome_note) == ("won", "bought", "paid in full")
    [entry] = await audit(database, "lead.outcome")
    assert entry.allowed and entry.actor_telegram_id is None and (entry.detail or "").startswith("api token ")


async def test_another_rep_and_another_agency_get_404_and_the_refusal_is_audited(
    clients: SignIn, agencies: Agencies, database: Database, clock: FrozenClock
) -> None:
    lead_id = await scored_lead(database, clock, agencies)
    for tenant, person in ((agencies.tre, BORIS), (agencies.other, OTTO)):
        caller = await clients(tenant, person)
        answer = await caller.post(
            f"/api/v1/leads/{lead_id}/outcome", json={"outcome": "lost"}, headers=await csrf_of(caller)
        )
        assert answer.status_code == 404
    assert (await lead_of(database, lead_id)).status != "lost"
    refusals = await audit(database, "lead.outcome")
    assert [(r.allowed, r.actor_telegram_id) for r in refusals] == [(False, BORIS), (False, OTTO)]

    olga = await clients(agencies.tre, OLGA)  # the agency's admin may
    answer = await olga.post(
        f"/api/v1/leads/{lead_id}/outcome", json={"outcome": "lost"}, headers=await csrf_of(olga)
    )
    assert answer.status_code == 200 and answer.json()["reason"] is None
