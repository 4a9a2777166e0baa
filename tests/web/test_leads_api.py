"""The leads API: cursor pages, a lead's ETag and If-Match, notes, follow-ups, rescoring, WhatsApp, the
dashboard and the CSV export, each scoped to what the caller may see."""

from __future__ import annotations

import csv
import io
import re

import httpx
from fastapi import FastAPI

from agent.core.clock import FrozenClock
from agent.services.web_access.sessions import token_digest
from storage.db import Database
from storage.repositories.web import ApiTokenRepository
from tests.web.conftest import SignIn
from tests.web.leads_support import board, scored_lead
from tests.web.web_support import ANNA, BORIS, OLGA, OTTO, Agencies


async def csrf_of(client: httpx.AsyncClient) -> dict[str, str]:
    page = await client.get("/leads")
    found = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
    assert found
    return {"X-CSRF-Token": found.group(1)}


async def integration(
    web_app: FastAPI, database: Database, clock: FrozenClock, tenant_id: int
) -> httpx.AsyncClient:
    """A client with the agency's bearer API token."""
    token = "rt_leads_api_test_token_0123456789"
    async with database.session() as session:
        await ApiTokenRepository(session).create(
            tenant_id=tenant_id,
            name="crm sync",
            token_digest=token_digest(token),
            prefix=token[:8],
            created_by="test",
            now=clock.now(),
        )
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=web_app),
        base_url="http://testserver",
        headers={"Authorization": f"Bearer {token}"},
    )


async def test_cursor_pages_cover_the_callers_leads_once(
    clients: SignIn, agencies: Agencies, database: Database
) -> None:
    made = await board(database, agencies, count=12)
    anna = await clients(agencies.tre, ANNA)
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": "5", **({"cursor": cursor} if cursor else {})}
        page = (await anna.get("/api/v1/leads", params=params)).json()
        seen += [item["id"] for item in page["items"]]
        assert all(item["qr_scan_count"] == 0 and "badge" in item for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) and sorted(seen) == sorted(made["anna"])
    assert seen[-1] == made["anna"][-1]  # opted out: last
    bad = await anna.get("/api/v1/leads", params={"cursor": "nonsense!"})
    assert bad.status_code == 400 and bad.headers["content-type"] == "application/problem+json"


async def test_a_stale_etag_is_a_conflict_and_nothing_changes(
    clients: SignIn, agencies: Agencies, database: Database, clock: FrozenClock
) -> None:
    lead_id = await scored_lead(database, clock, agencies)
    anna = await clients(agencies.tre, ANNA)
    headers = await csrf_of(anna)
    read = await anna.get(f"/api/v1/leads/{lead_id}")
    assert read.status_code == 200
    etag = read.headers["ETag"]
    body = read.json()
    assert body["etag"] == etag and {f["key"] for f in body["factors"]} >= {"qr_scans", "phone", "recency"}
    changed = await anna.patch(
        f"/api/v1/leads/{lead_id}", json={"status": "qualified"}, headers={**headers, "If-Match": etag}
    )
    assert changed.status_code == 200 and changed.json()["status"] == "qualified"
    assert changed.headers["ETag"] != etag
    stale = await anna.patch(
        f"/api/v1/leads/{lead_id}", json={"status": "lost"}, headers={**headers, "If-Match": etag}
    )
    assert stale.status_code == 412 and stale.headers["content-type"] == "application/problem+json"
    assert (await anna.get(f"/api/v1/leads/{lead_id}")).json()["status"] == "qualified"
    no_csrf = await anna.patch(f"/api/v1/leads/{lead_id}", json={"status": "lost"})
    assert no_csrf.status_code == 400
    unknown = await anna.patch(f"/api/v1/leads/{lead_id}", json={"status": "sold"}, headers=headers)
    assert unknown.status_code == 400


async def test_notes_follow_ups_rescoring_and_whatsapp(
    clients: SignIn, agencies: Agencies, database: Database, clock: FrozenClock
) -> None:
    lead_id = await scored_lead(database, clock, agencies)
    anna = await clients(agencies.tre, ANNA)
    headers = await csrf_of(anna)
    notes = await anna.post(
        f"/api/v1/leads/{lead_id}/notes", json={"text": "Prefers mornings"}, headers=headers
    )
    assert notes.status_code == 201 and notes.json()[-1]["text"] == "Prefers mornings"
    task = await anna.post(
        f"/api/v1/leads/{lead_id}/follow-up",
        json={"due_at": "2026-01-01T08:00:00+00:00", "note": "send the floor plan"},
        headers=headers,
    )
    assert task.status_code == 201 and task.json()["rep_id"] == str(agencies.rep(ANNA).id)
    scored = await anna.post(f"/api/v1/leads/{lead_id}/score", headers=headers)
    assert scored.status_code == 200 and scored.json()["score"] > 0
    whatsapp = await anna.post(f"/api/v1/leads/{lead_id}/whatsapp", json={"text": "Hello"}, headers=headers)
    assert whatsapp.status_code == 409
    assert "WHATSAPP_TOKEN" in whatsapp.json()["detail"]
    dashboard = (await anna.get("/api/v1/leads/dashboard")).json()
    assert dashboard["counts"][scored.json()["temperature"]] == 1
    assert [t["note"] for t in dashboard["overdue_follow_ups"]] == ["send the floor plan"]
    boris = await clients(agencies.tre, BORIS)
    assert (await boris.get(f"/api/v1/leads/{lead_id}")).status_code == 404
    refused = await boris.post(
        f"/api/v1/leads/{lead_id}/notes", json={"text": "x"}, headers=await csrf_of(boris)
    )
    assert refused.status_code == 404
    assert (await boris.get("/api/v1/leads/dashboard")).json()["overdue_follow_ups"] == []


async def test_the_export_holds_what_the_caller_may_see(
    clients: SignIn, agencies: Agencies, database: Database, clock: FrozenClock, web_app: FastAPI
) -> None:
    made = await board(database, agencies, count=3)
    exported = await (await clients(agencies.tre, BORIS)).get("/api/v1/leads/export.csv")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert exported.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert sorted(int(row["id"]) for row in rows) == sorted(made["boris"])
    admin_rows = list(
        csv.DictReader(
            io.StringIO(
                (await (await clients(agencies.tre, OLGA)).get("/api/v1/leads/export.csv")).text.lstrip(
                    "\ufeff"
                )
            )
        )
    )
    assert len(admin_rows) == len(made["anna"]) + len(made["boris"])
    async with await integration(web_app, database, clock, agencies.other.id) as api:
        other = list(
            csv.DictReader(io.StringIO((await api.get("/api/v1/leads/export.csv")).text.lstrip("\ufeff")))
        )
        assert [int(row["id"]) for row in other] == made["other"]
        assert (await api.get(f"/api/v1/leads/{made['anna'][0]}")).status_code == 404
    otto = await clients(agencies.other, OTTO)
    assert [item["id"] for item in (await otto.get("/api/v1/leads")).json()["items"]] == made["other"]
