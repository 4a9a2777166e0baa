"""A lead's data exported whole (checkpoints included), then erased everywhere: nothing personal left, counts kept."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from langgraph.checkpoint.base import empty_checkpoint
from sqlalchemy import select

from agent.adapters.checkpointer import conversation_store
from agent.services.privacy import Eraser, erase_lead, export_lead, lead_threads
from agent.services.provider import Services
from graphs.sales.conversation import thread_id
from storage.models import (
    AuditLog,
    FollowUpSend,
    Lead,
    LeadLikelihood,
    LeadQuestion,
    Property,
    RepTask,
    SalesRepresentative,
    ScoringModel,
    TakeoverForward,
    Tenant,
    Viewing,
)
from storage.repositories.audit import AuditRepository
from storage.repositories.leads import LeadNotFound
from storage.repositories.tenants import TenantRepository
from tests.privacy.support import checkpoint_rows, row_counts, where_found
from tests.sales_support import clear_checkpoints, new_chat

NAME = "Zoltana Quibbleworth"
PHONE = "+6281234567890"
EMAIL = "zoltana.q@example.org"
USERNAME = "zoltana_q"
SECRETS = (NAME, "Quibbleworth", PHONE, "81234567890", EMAIL, USERNAME)


async def lead_with_history(services: Services, demo: Tenant) -> int:
    """A lead who talked to the agent and left a trace in every table that can hold one."""
    await clear_checkpoints(services.database)
    chat = await new_chat(services, demo)
    await chat.script(
        [
            f"Hi, I'm {NAME}",
            "We want to buy a villa in Canggu, budget up to 500k USD, 3 bedrooms",
            f"My number is {PHONE}, e-mail {EMAIL}",
        ]
    )
    now = services.clock.now()
    async with services.database.session() as session:
        lead = await session.get(Lead, chat.lead_id)
        assert lead is not None
        lead.telegram_user_id, lead.telegram_chat_id, lead.telegram_username = 9_100_001, 9_100_001, USERNAME
        lead.name, lead.phone, lead.email = NAME, PHONE, EMAIL
        lead.notes = f"{NAME} prefers calls"
        rep = (
            (
                await session.execute(
                    select(SalesRepresentative).where(SalesRepresentative.tenant_id == demo.id)
                )
            )
            .scalars()
            .first()
        )
        listing = (
            (await session.execute(select(Property).where(Property.tenant_id == demo.id))).scalars().first()
        )
        assert rep is not None and listing is not None
        session.add_all(
            [
                FollowUpSend(
                    tenant_id=demo.id,
                    lead_id=lead.id,
                    step_key="seq:1",
                    status="sent",
                    due_at=now,
                    text=f"{NAME}, two new villas came in",
                    created_at=now,
                ),
                FollowUpSend(
                    tenant_id=demo.id,
                    lead_id=lead.id,
                    step_key="seq:2",
                    status="pending",
                    due_at=now + timedelta(days=1),
                    text=f"{NAME}, still looking?",
                    created_at=now,
                ),
                LeadQuestion(
                    tenant_id=demo.id,
                    lead_id=lead.id,
                    question=f"Can you call me on {PHONE}?",
                    asked_at=now,
                    recipients=[],
                ),
                Viewing(
                    tenant_id=demo.id,
                    lead_id=lead.id,
                    property_id=listing.id,
                    rep_id=rep.id,
                    starts_at=now + timedelta(days=2),
                    ends_at=now + timedelta(days=2, hours=1),
                    time_zone="Asia/Makassar",
                    notes=f"{NAME} comes with a friend; reach her at {PHONE}",
                ),
                RepTask(
                    tenant_id=demo.id, rep_id=rep.id, lead_id=lead.id, due_at=now, note=f"call {NAME} back"
                ),
            ]
        )
        await AuditRepository(session).record(
            action="lead.note",
            now=now,
            actor_telegram_id=None,
            tenant_id=demo.id,
            target=f"lead:{lead.id}",
            detail=f"{NAME} asked to be called on {PHONE}",
        )
        return lead.id


async def taken_over_and_scored(services: Services, demo: Tenant, lead_id: int) -> None:
    """A rep talks to the lead (one forward sent, one waiting), the deal's note quotes them, and the agency's
    model has scored them with a free-text source among the factors."""
    now = services.clock.now()
    async with services.database.session() as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        lead.taken_over_by, lead.taken_over_at, lead.outcome_note = 500_777, now, f"{NAME} nearly signed"
        model = ScoringModel(
            tenant_id=demo.id, version=1, status="retired", trained_at=now, outcomes=200, won=40, lost=160
        )
        session.add(model)
        await session.flush()
        session.add_all(
            [
                TakeoverForward(
                    tenant_id=demo.id,
                    lead_id=lead_id,
                    to_telegram_id=500_777,
                    kind="text",
                    text=f"call me on {PHONE}",
                    created_at=now,
                    sent_at=now,
                    message_id=11,
                ),
                TakeoverForward(
                    tenant_id=demo.id,
                    lead_id=lead_id,
                    to_telegram_id=500_777,
                    kind="text",
                    text=f"I'm {NAME}, write to {EMAIL}",
                    created_at=now,
                ),
                LeadLikelihood(
                    lead_id=lead_id,
                    tenant_id=demo.id,
                    model_id=model.id,
                    probability=0.41,
                    factors=[{"group": "source", "weight": 0.3, "value": f"flyer from {NAME}"}],
                    computed_at=now,
                ),
            ]
        )


async def team_thread(services: Services, thread: str, reply: str) -> None:
    """A team-bot conversation whose last reply (a list: stored as a blob) says `reply`."""
    store = await conversation_store(services)
    assert store.saver is not None
    checkpoint = empty_checkpoint()
    checkpoint["channel_values"] = {"stage": "idle", "replies": [{"text": reply, "buttons": []}]}
    versions: dict[str, str | int | float] = {"stage": 1, "replies": 1}
    checkpoint["channel_versions"] = dict(versions)
    config: Any = {"configurable": {"thread_id": thread, "checkpoint_ns": ""}}
    await store.saver.aput(config, checkpoint, {}, versions)


async def test_the_export_holds_everything_stored_about_the_lead_with_their_conversation(
    services: Services, demo: Tenant
) -> None:
    lead_id = await lead_with_history(services, demo)
    document = await export_lead(services, demo.id, lead_id)
    body = json.dumps(document, ensure_ascii=False)  # JSON-ready as it is
    assert json.loads(body) == document

    assert document["lead"]["name"] == NAME and document["lead"]["phone"] == PHONE
    assert document["lead"]["email"] == EMAIL and document["lead"]["telegram_username"] == USERNAME
    assert any(NAME in (i["text"] or "") for i in document["interactions"])
    assert (
        len([i for i in document["interactions"] if i["type"] == "message" and i["direction"] == "inbound"])
        == 3
    )
    assert {f["step_key"] for f in document["followups"]} == {"seq:1", "seq:2"}
    assert [q["question"] for q in document["questions"]] == [f"Can you call me on {PHONE}?"]
    assert [v["notes"] for v in document["viewings"]] == [f"{NAME} comes with a friend; reach her at {PHONE}"]
    assert [t["note"] for t in document["rep_tasks"]] == [f"call {NAME} back"]
    assert [a["detail"] for a in document["audit"]] == [f"{NAME} asked to be called on {PHONE}"]

    [conversation] = document["conversations"]
    assert conversation["thread_id"] == thread_id(demo.id, lead_id) == lead_threads(demo.id, lead_id)[0]
    said = [m["data"]["content"] for m in conversation["messages"] if m["type"] == "human"]
    assert said[0] == f"Hi, I'm {NAME}" and any(PHONE in s for s in said)
    assert any(m["type"] == "ai" for m in conversation["messages"])


async def test_erasure_leaves_nothing_personal_in_any_table_or_checkpoint_and_keeps_the_counts(
    services: Services, demo: Tenant
) -> None:
    lead_id = await lead_with_history(services, demo)
    await taken_over_and_scored(services, demo, lead_id)
    for secret in SECRETS:
        assert await where_found(services.database, secret), secret  # the search does find them before
    assert await checkpoint_rows(services.database, thread_id(demo.id, lead_id)) > 0
    await team_thread(services, "team:501", f"Your clients: {NAME}, {PHONE}")
    await team_thread(services, "team:502", "Your clients: Boris Petrov, +6281111111111")
    before = await row_counts(services.database, lead_id)

    report = await erase_lead(services, demo.id, lead_id, Eraser(None, "cli"))

    assert not report.already_erased and report.threads_deleted == 1
    assert report.team_threads_deleted == 1  # the rep's conversation that quoted the lead; not the other one
    assert await checkpoint_rows(services.database, "team:501") == 0
    assert await checkpoint_rows(services.database, "team:502") > 0
    for secret in SECRETS:
        assert await where_found(services.database, secret) == [], secret
    assert await checkpoint_rows(services.database, thread_id(demo.id, lead_id)) == 0
    after = await row_counts(services.database, lead_id)
    assert after == {**before, "audit_log": before["audit_log"] + 1}  # every row kept; one more audit entry
    async with services.database.session() as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        assert (
            lead.telegram_user_id is None and lead.name is None and lead.phone is None and lead.email is None
        )
        assert lead.opted_out and lead.extra.get("erased_at")
        assert lead.taken_over_by is None and lead.taken_over_at is None and lead.outcome_note is None
        for leftover in (TakeoverForward, LeadLikelihood):  # an unsent forward can no longer go out
            found = await session.execute(select(leftover).where(leftover.lead_id == lead_id))
            assert found.scalars().all() == [], leftover.__tablename__
        assert lead.status != "new" and lead.message_count == 3 and lead.budget_max is not None
        sends = (await session.execute(select(FollowUpSend).where(FollowUpSend.lead_id == lead_id))).scalars()
        assert {s.step_key: s.status for s in sends} == {"seq:1": "sent", "seq:2": "cancelled"}
        [entry] = (
            (await session.execute(select(AuditLog).where(AuditLog.action == "lead.erase"))).scalars().all()
        )
        assert (entry.tenant_id, entry.target, entry.allowed) == (demo.id, f"lead:{lead_id}", True)
        assert entry.detail == "via cli"

    # Again: nothing left to erase, it says so, and it is audited again.
    again = await erase_lead(services, demo.id, lead_id, Eraser(None, "cli"))
    assert again.already_erased and again.threads_deleted == 0 and again.team_threads_deleted == 0
    assert await row_counts(services.database, lead_id) == {**after, "audit_log": after["audit_log"] + 1}


async def test_another_agency_cannot_export_or_erase_the_lead(services: Services, demo: Tenant) -> None:
    lead_id = await lead_with_history(services, demo)
    async with services.database.session() as session:
        other = await TenantRepository(session).create(name="Other Homes", slug="other")
    with pytest.raises(LeadNotFound):
        await export_lead(services, other.id, lead_id)
    with pytest.raises(LeadNotFound):
        await erase_lead(services, other.id, lead_id, Eraser(None, "cli"))
    assert NAME in str(await export_lead(services, demo.id, lead_id))
