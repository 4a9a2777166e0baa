"""/api/v1/viewings and /api/v1/follow-ups: scopes, cursors, ETag / If-Match, problem details."""

from __future__ import annotations

from datetime import timedelta

import httpx

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from storage.models import RepTask, Viewing
from tests.web.conftest import SignIn
from tests.web.test_agenda_support import (
    NOW,
    add_lead,
    add_send,
    add_task,
    add_viewing,
    audits,
    csrf_of,
    local,
)
from tests.web.web_support import ANNA, BORIS, OLGA, OTTO, Agencies

PROBLEM = "application/problem+json"


async def test_viewings_page_by_cursor_in_start_order_and_only_the_callers(
    clients: SignIn, agencies: Agencies, web_services: Services, clock: FrozenClock
) -> None:
    clock.set(NOW)
    db = web_services.database
    lead = await add_lead(db, agencies.tre, agencies.rep(ANNA), "Maya Buyer")
    starts = [NOW + timedelta(days=d, hours=h) for d, h in ((3, 0), (1, 0), (2, 0), (1, 2), (5, 1))]
    ids = [await add_viewing(db, agencies.rep(ANNA), lead, at) for at in starts]
    boris_lead = await add_lead(db, agencies.tre, agencies.rep(BORIS), "Lena Guest")
    boris_viewing = await add_viewing(db, agencies.rep(BORIS), boris_lead, NOW + timedelta(days=1))

    anna = await clients(agencies.tre, ANNA)
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = (await anna.get("/api/v1/viewings", params=params)).json()
        seen += [item["id"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break

    by_start = [viewing_id for _, viewing_id in sorted(zip(starts, ids, strict=True))]
    assert seen == by_start and pages == 3
    window = await anna.get(
        "/api/v1/viewings",
        params={"from": (NOW + timedelta(days=2)).isoformat(), "to": "2026-01-05T00:00:00Z"},
    )
    assert [item["id"] for item in window.json()["items"]] == [ids[2], ids[0]]
    first = window.json()["items"][0]
    assert first["time_zone"] == "Asia/Makassar" and first["local_start"].endswith("+08:00")

    olga = await clients(agencies.tre, OLGA)
    boris_only = (await olga.get("/api/v1/viewings", params={"rep": str(agencies.rep(BORIS).id)})).json()
    assert [item["id"] for item in boris_only["items"]] == [boris_viewing]
    refused = await anna.get("/api/v1/viewings", params={"rep": str(agencies.rep(BORIS).id)})
    assert refused.status_code == 403 and refused.headers["content-type"] == PROBLEM
    assert [a.allowed for a in await audits(db, "viewings.list")] == [False]
    otto = await clients(agencies.other, OTTO)
    assert (await otto.get("/api/v1/viewings")).json()["items"] == []
    assert (await otto.get(f"/api/v1/viewings/{ids[0]}")).status_code == 404
    bad = await anna.get("/api/v1/viewings", params={"cursor": "not-a-cursor"})
    assert bad.status_code == 400 and bad.headers["content-type"] == PROBLEM


async def test_nobody_gets_a_problem(anonymous: httpx.AsyncClient, agencies: Agencies) -> None:
    for path in ("/api/v1/viewings", "/api/v1/viewings/1", "/api/v1/follow-ups"):
        answer = await anonymous.get(path)
        assert answer.status_code == 401 and answer.headers["content-type"] == PROBLEM
    assert (await anonymous.post("/api/v1/follow-ups/task-1/done")).status_code == 401


async def test_a_stale_if_match_is_refused_and_a_fresh_one_records_the_outcome(
    clients: SignIn, agencies: Agencies, web_services: Services, clock: FrozenClock
) -> None:
    clock.set(NOW)
    db = web_services.database
    lead = await add_lead(db, agencies.tre, agencies.rep(ANNA), "Maya Buyer", phone="+6281111111")
    viewing = await add_viewing(db, agencies.rep(ANNA), lead, NOW - timedelta(hours=3))
    anna = await clients(agencies.tre, ANNA)
    headers = {"X-CSRF-Token": await csrf_of(anna)}

    read = await anna.get(f"/api/v1/viewings/{viewing}")
    etag = read.headers["etag"]
    assert read.json()["etag"] == etag and read.json()["status"] == "scheduled"
    noted = await anna.patch(
        f"/api/v1/viewings/{viewing}",
        json={"notes": "keys at the office"},
        headers={**headers, "If-Match": etag},
    )
    assert noted.status_code == 200 and noted.headers["etag"] != etag
    stale = await anna.patch(
        f"/api/v1/viewings/{viewing}", json={"status": "no_show"}, headers={**headers, "If-Match": etag}
    )
    assert stale.status_code == 412 and stale.headers["content-type"] == PROBLEM
    assert stale.json()["etag"] == noted.headers["etag"]
    async with db.session() as session:
        assert (await session.get(Viewing, viewing)).status == "scheduled"  # type: ignore[union-attr]

    done = await anna.patch(
        f"/api/v1/viewings/{viewing}",
        json={"status": "no_show"},
        headers={**headers, "If-Match": noted.headers["etag"]},
    )
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["outcome"], done.json()["notes"]) == (
        "no_show",
        "no_show",
        "keys at the office",
    )
    assert (
        await anna.patch(f"/api/v1/viewings/{viewing}", json={"status": "done"}, headers=headers)
    ).status_code == 422
    assert (
        await anna.patch(f"/api/v1/viewings/{viewing}", json={"notes": "x"})
    ).status_code == 400  # no CSRF
    settled = await anna.patch(f"/api/v1/viewings/{viewing}", json={"outcome": "attended"}, headers=headers)
    assert settled.status_code == 409 and settled.json()["detail"] == "viewing_no_show"


async def test_another_reps_viewing_cannot_be_patched(
    clients: SignIn, agencies: Agencies, web_services: Services, clock: FrozenClock
) -> None:
    clock.set(NOW)
    db = web_services.database
    lead = await add_lead(db, agencies.tre, agencies.rep(BORIS), "Lena Guest")
    viewing = await add_viewing(db, agencies.rep(BORIS), lead, NOW - timedelta(hours=3))
    anna = await clients(agencies.tre, ANNA)
    answer = await anna.patch(
        f"/api/v1/viewings/{viewing}",
        json={"outcome": "attended"},
        headers={"X-CSRF-Token": await csrf_of(anna)},
    )
    assert answer.status_code == 404 and answer.headers["content-type"] == PROBLEM
    assert [(a.allowed, a.actor_telegram_id) for a in await audits(db, "viewing.change")] == [(False, ANNA)]
    async with db.session() as session:
        assert (await session.get(Viewing, viewing)).outcome is None  # type: ignore[union-attr]


async def test_follow_ups_list_tasks_and_automatic_sends_and_a_task_is_marked_done(
    clients: SignIn, agencies: Agencies, web_services: Services, clock: FrozenClock
) -> None:
    clock.set(NOW)
    db = web_services.database
    lead = await add_lead(db, agencies.tre, agencies.rep(ANNA), "Maya Buyer")
    early = await add_task(db, agencies.rep(ANNA), lead, local(1, 10), "overdue call")
    send = await add_send(db, agencies.tre, lead, local(1, 20), status="held", hold_reason="quiet_hours")
    late = await add_task(db, agencies.rep(ANNA), None, local(3, 10), "in two days")
    boris = await add_task(db, agencies.rep(BORIS), None, local(1, 12), "boris's")
    anna = await clients(agencies.tre, ANNA)

    first = (await anna.get("/api/v1/follow-ups", params={"limit": "2"})).json()
    rest = (
        await anna.get("/api/v1/follow-ups", params={"limit": "2", "cursor": first["next_cursor"]})
    ).json()
    items = first["items"] + rest["items"]
    assert [i["id"] for i in items] == [f"task-{early}", f"send-{send}", f"task-{late}"]
    assert rest["next_cursor"] is None
    assert items[0]["overdue"] and not items[1]["overdue"] and items[0]["name"] == "Maya Buyer"
    assert items[1]["hold_reason"] == "quiet_hours"
    today = (await anna.get("/api/v1/follow-ups", params={"due_before": "2026-01-02T00:00:00+08:00"})).json()
    assert [i["id"] for i in today["items"]] == [f"task-{early}", f"send-{send}"]
    olga = (await (await clients(agencies.tre, OLGA)).get("/api/v1/follow-ups")).json()
    assert f"task-{boris}" in [i["id"] for i in olga["items"]]

    headers = {"X-CSRF-Token": await csrf_of(anna)}
    assert (await anna.post(f"/api/v1/follow-ups/task-{early}/done", headers=headers)).status_code == 204
    assert (await anna.post(f"/api/v1/follow-ups/task-{boris}/done", headers=headers)).status_code == 404
    assert (await anna.post(f"/api/v1/follow-ups/send-{send}/done", headers=headers)).status_code == 409
    async with db.session() as session:
        assert (await session.get(RepTask, early)).done_at == NOW  # type: ignore[union-attr]
        assert (await session.get(RepTask, boris)).done_at is None  # type: ignore[union-attr]
    left = (await anna.get("/api/v1/follow-ups")).json()["items"]
    assert f"task-{early}" not in [i["id"] for i in left]
