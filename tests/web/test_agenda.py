"""/today and /viewings: what each viewer sees on their own day, and what their forms change."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import select

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from storage.models import Lead, RepTask, SalesRepresentative, Viewing, ViewingBlock
from tests.web.conftest import SignIn
from tests.web.test_agenda_support import (
    NOW,
    add_alert,
    add_lead,
    add_send,
    add_task,
    add_viewing,
    audits,
    csrf_of,
    local,
    section,
)
from tests.web.web_support import ANNA, BORIS, OLGA, OTTO, Agencies


async def test_today_splits_overdue_from_due_on_the_viewers_own_day(
    clients: SignIn, agencies: Agencies, web_services: Services, clock: FrozenClock
) -> None:
    clock.set(NOW)  # 17:00 in Makassar, Anna's zone
    db, anna_rep = web_services.database, agencies.rep(ANNA)
    lead = await add_lead(db, agencies.tre, anna_rep, "Maya Buyer")
    await add_task(db, anna_rep, lead, local(1, 23, 30), "call about the villa at 23:30")
    await add_task(db, anna_rep, lead, local(2, 0, 30), "half past midnight tomorrow")
    await add_task(db, anna_rep, lead, local(1, 10), "this morning, missed")
    await add_task(db, anna_rep, lead, local(30, 9) - timedelta(days=30), "last month")
    await add_send(db, agencies.tre, lead, local(1, 21), status="held", hold_reason="quiet_hours")
    await add_send(db, agencies.tre, lead, local(1, 12), status="sent", step_key="seq:1")

    page = await (await clients(agencies.tre, ANNA)).get("/today")

    assert page.status_code == 200
    due, overdue = section(page.text, "due-today"), section(page.text, "overdue")
    assert "call about the villa at 23:30" in due and "Maya Buyer" in due
    assert "Automatic follow-up" in due and "waits for the end of quiet hours" in due
    assert "this morning, missed" in overdue and "last month" in overdue
    assert "half past midnight tomorrow" not in page.text  # tomorrow on Anna's clock, though today in UTC
    assert "Automatic follow-up" not in overdue  # the sent one is no follow-up any more
    assert "Asia/Makassar" in page.text


async def test_each_viewer_sees_their_own_agenda_and_an_admin_the_agencys(
    clients: SignIn,
    agencies: Agencies,
    web_services: Services,
    clock: FrozenClock,
    anonymous: httpx.AsyncClient,
) -> None:
    clock.set(NOW)
    db = web_services.database
    anna_lead = await add_lead(db, agencies.tre, agencies.rep(ANNA), "Anna's Client")
    boris_lead = await add_lead(db, agencies.tre, agencies.rep(BORIS), "Boris's Client")
    await add_task(db, agencies.rep(ANNA), anna_lead, local(1, 20), "anna task")
    await add_task(db, agencies.rep(BORIS), boris_lead, local(1, 20), "boris task")
    await add_viewing(db, agencies.rep(ANNA), anna_lead, local(1, 18))
    await add_viewing(db, agencies.rep(BORIS), boris_lead, local(1, 19), title="Loft Downtown")

    anna = (await (await clients(agencies.tre, ANNA)).get("/today")).text
    olga = (await (await clients(agencies.tre, OLGA)).get("/today")).text
    otto = (await (await clients(agencies.other, OTTO)).get("/today")).text

    assert "anna task" in anna and "Anna&#39;s Client" in section(anna, "viewings-today")
    assert "boris task" not in anna and "Boris&#39;s Client" not in anna and "Loft Downtown" not in anna
    assert "anna task" in olga and "boris task" in olga and "Loft Downtown" in olga
    assert "Rep: Boris Rep" in olga  # an admin sees whose it is
    assert "anna task" not in otto and "Client" not in otto
    assert (await anonymous.get("/today")).status_code == 401
    assert (await anonymous.get("/viewings")).status_code == 401


async def test_new_hot_leads_are_those_alerted_today_that_are_hot_now(
    clients: SignIn, agencies: Agencies, web_services: Services, clock: FrozenClock
) -> None:
    clock.set(NOW)
    db, rep = web_services.database, agencies.rep(ANNA)
    hot = await add_lead(
        db, agencies.tre, rep, "Hot Today", temperature="burning", score=92, phone="+6281234567"
    )
    old = await add_lead(db, agencies.tre, rep, "Hot Yesterday", temperature="hot", score=80)
    cooled = await add_lead(db, agencies.tre, rep, "Cooled Down", temperature="warm", score=40)
    others = await add_lead(db, agencies.tre, agencies.rep(BORIS), "Boris Hot", temperature="hot", score=75)
    await add_alert(db, agencies.tre, hot, "burning", local(1, 9))
    await add_alert(db, agencies.tre, old, "phone_captured", local(1, 0) - timedelta(minutes=1))
    await add_alert(db, agencies.tre, cooled, "phone_captured", local(1, 11))
    await add_alert(db, agencies.tre, others, "phone_captured", local(1, 11))

    hot_section = section((await (await clients(agencies.tre, ANNA)).get("/today")).text, "hot-leads")

    assert "Hot Today" in hot_section and "became burning" in hot_section and "tel:+6281234567" in hot_section
    assert "Hot Yesterday" not in hot_section and "Cooled Down" not in hot_section
    assert "Boris Hot" not in hot_section
    assert "Boris Hot" in section((await (await clients(agencies.tre, OLGA)).get("/today")).text, "hot-leads")


async def test_a_viewing_shows_on_its_reps_clock_and_a_rep_cannot_open_another_reps_week(
    clients: SignIn, agencies: Agencies, web_services: Services, clock: FrozenClock
) -> None:
    clock.set(NOW)
    db = web_services.database
    async with db.session() as session:
        boris = await session.get(SalesRepresentative, agencies.rep(BORIS).id)
        assert boris is not None
        boris.time_zone = "Europe/Moscow"
    lead = await add_lead(db, agencies.tre, agencies.rep(BORIS), "Lena Guest")
    moscow_ten = local(2, 10, zone=ZoneInfo("Europe/Moscow"))  # 15:00 in Makassar
    await add_viewing(db, agencies.rep(BORIS), lead, moscow_ten, online=True, link="https://meet.example/abc")

    olga = await clients(agencies.tre, OLGA)
    week = await olga.get(f"/viewings?rep={agencies.rep(BORIS).id}&day=2026-01-01")
    day = section(week.text, "day-2026-01-02")
    assert week.status_code == 200
    assert "10:00" in day and "Europe/Moscow" in day and "Lena Guest" in day
    assert 'href="https://meet.example/abc"' in day and "Villa Sunset" in day
    assert "15:00" not in day
    everyone = await olga.get("/viewings?day=2026-01-01")
    assert "Lena Guest" in section(everyone.text, "day-2026-01-02")

    anna = await clients(agencies.tre, ANNA)
    refused = await anna.get(f"/viewings?rep={agencies.rep(BORIS).id}")
    assert refused.status_code == 403
    assert "Lena Guest" not in (await anna.get("/viewings?day=2026-01-01")).text
    refusals = await audits(db, "viewings.view")
    assert [(r.allowed, r.actor_telegram_id) for r in refusals] == [(False, ANNA)]
    otto = await clients(agencies.other, OTTO)
    assert (await otto.get(f"/viewings?rep={agencies.rep(BORIS).id}")).status_code == 403


async def test_week_links_move_a_week_at_a_time(
    clients: SignIn, agencies: Agencies, web_services: Services, clock: FrozenClock
) -> None:
    clock.set(NOW)
    lead = await add_lead(web_services.database, agencies.tre, agencies.rep(ANNA), "Next Week Guest")
    await add_viewing(web_services.database, agencies.rep(ANNA), lead, local(9, 11))
    anna = await clients(agencies.tre, ANNA)
    this_week = (await anna.get("/viewings")).text
    assert "Next Week Guest" not in this_week and 'href="/viewings?day=2026-01-08"' in this_week
    next_week = (await anna.get("/viewings?day=2026-01-08")).text
    assert "Next Week Guest" in section(next_week, "day-2026-01-09")
    assert (await anna.get("/viewings?day=someday")).status_code == 400


async def test_a_rep_marks_their_own_task_done_and_is_refused_anothers(
    clients: SignIn, agencies: Agencies, web_services: Services, clock: FrozenClock
) -> None:
    clock.set(NOW)
    db = web_services.database
    lead = await add_lead(db, agencies.tre, agencies.rep(ANNA), "Maya Buyer")
    mine = await add_task(db, agencies.rep(ANNA), lead, local(1, 20), "call Maya")
    boris_task = await add_task(db, agencies.rep(BORIS), None, local(1, 20), "boris's own")
    anna = await clients(agencies.tre, ANNA)
    token = await csrf_of(anna)

    assert (await anna.post(f"/today/tasks/{mine}/done", data={})).status_code == 400  # no CSRF token
    done = await anna.post(f"/today/tasks/{mine}/done", data={"csrf": token, "next": "/today"})
    refused = await anna.post(f"/today/tasks/{boris_task}/done", data={"csrf": token})

    assert done.status_code == 303 and done.headers["location"] == "/today"
    assert refused.status_code == 403
    async with db.session() as session:
        assert (await session.get(RepTask, mine)).done_at == NOW  # type: ignore[union-attr]
        assert (await session.get(RepTask, boris_task)).done_at is None  # type: ignore[union-attr]
    assert "call Maya" not in (await anna.get("/today")).text
    assert [(a.target, a.allowed) for a in await audits(db, "task.done")] == [
        (f"task:{mine}", True),
        (f"task:{boris_task}", False),
    ]


async def test_moving_a_task_reads_the_time_on_the_viewers_clock(
    clients: SignIn, agencies: Agencies, web_services: Services, clock: FrozenClock
) -> None:
    clock.set(NOW)
    db = web_services.database
    task = await add_task(db, agencies.rep(ANNA), None, local(1, 10), "overdue call")
    anna = await clients(agencies.tre, ANNA)
    moved = await anna.post(
        f"/today/tasks/{task}/move", data={"csrf": await csrf_of(anna), "due_at": "2026-01-01T22:15"}
    )
    assert moved.status_code == 303
    async with db.session() as session:
        assert (await session.get(RepTask, task)).due_at == local(1, 22, 15)  # type: ignore[union-attr]
    page = (await anna.get("/today")).text
    assert "overdue call" in section(page, "due-today") and "overdue call" not in section(page, "overdue")
    assert (await audits(db, "task.reschedule"))[0].allowed


async def test_a_rep_records_how_a_viewing_went(
    clients: SignIn, agencies: Agencies, web_services: Services, clock: FrozenClock
) -> None:
    clock.set(NOW)
    db = web_services.database
    lead = await add_lead(db, agencies.tre, agencies.rep(ANNA), "Maya Buyer", phone="+6281111111")
    viewing = await add_viewing(db, agencies.rep(ANNA), lead, NOW - timedelta(hours=2))
    upcoming = await add_viewing(db, agencies.rep(ANNA), lead, NOW + timedelta(days=1), title="Loft")
    anna = await clients(agencies.tre, ANNA)
    token = await csrf_of(anna)

    recorded = await anna.post(
        f"/viewings/{viewing}", data={"csrf": token, "outcome": "interested", "notes": "loved the pool"}
    )
    too_early = await anna.post(f"/viewings/{upcoming}", data={"csrf": token, "outcome": "attended"})

    assert recorded.status_code == 303
    assert too_early.status_code == 409
    async with db.session() as session:
        stored = await session.get(Viewing, viewing)
        assert stored is not None
        assert (stored.status, stored.outcome, stored.notes) == ("completed", "interested", "loved the pool")
        assert (await session.get(Lead, lead)).status == "handed_off"  # type: ignore[union-attr]
        assert (await session.get(Viewing, upcoming)).outcome is None  # type: ignore[union-attr]
    change = await audits(db, "viewing.change")
    assert [(a.target, a.allowed, a.actor_telegram_id) for a in change] == [
        (f"viewing:{viewing}", True, ANNA)
    ]
    assert "Outcome: Interested" in (await anna.get("/viewings?day=2026-01-01")).text


async def test_cancelling_a_viewing_frees_the_reps_time_through_the_calendar_service(
    clients: SignIn, agencies: Agencies, web_services: Services, clock: FrozenClock
) -> None:
    clock.set(NOW)
    db = web_services.database
    lead = await add_lead(db, agencies.tre, agencies.rep(ANNA), "Maya Buyer", phone="+6281111111")
    viewing = await add_viewing(db, agencies.rep(ANNA), lead, NOW + timedelta(days=1))
    boris = await clients(agencies.tre, BORIS)
    refused = await boris.post(f"/viewings/{viewing}", data={"csrf": await csrf_of(boris), "cancel": "1"})
    assert refused.status_code == 403

    olga = await clients(agencies.tre, OLGA)
    cancelled = await olga.post(f"/viewings/{viewing}", data={"csrf": await csrf_of(olga), "cancel": "1"})

    assert cancelled.status_code == 303
    async with db.session() as session:
        assert (await session.get(Viewing, viewing)).status == "cancelled"  # type: ignore[union-attr]
        blocks = await session.execute(select(ViewingBlock).where(ViewingBlock.viewing_id == viewing))
        assert blocks.first() is None
        assert (await session.get(Lead, lead)).status == "contact_captured"  # type: ignore[union-attr]
    assert [(a.allowed, a.actor_telegram_id) for a in await audits(db, "viewing.change")] == [
        (False, BORIS),
        (True, OLGA),
    ]
    again = await olga.post(f"/viewings/{viewing}", data={"csrf": await csrf_of(olga), "cancel": "1"})
    assert again.status_code == 409
