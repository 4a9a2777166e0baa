"""/api/v1/listings and /api/v1/reps: who may read and change, cursors, ETags, and no rep decided by a token."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from agent.services.provider import Services
from evals.bot_api import FakeTelegramAPI
from storage.models import RepStatus, SalesRepresentative
from tests.web.admin_support import add_listing, audit_rows, csrf_of, integration_token
from tests.web.conftest import SignIn
from tests.web.web_support import ANNA, OLGA, OTTO, PENDING, TEAM_TOKEN, Agencies


def _bearer(app: FastAPI, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver",
        headers={"Authorization": f"Bearer {token}"},
    )


async def test_every_caller_of_the_agency_reads_its_listings_page_by_page(
    clients: SignIn, agencies: Agencies, web_services: Services, web_app: FastAPI
) -> None:
    ids = [await add_listing(web_services.database, agencies.tre, f"V-{n}", f"Villa {n}") for n in range(5)]
    await add_listing(web_services.database, agencies.other, "M-1", "Moscow flat")
    anna = await clients(agencies.tre, ANNA)
    first = (await anna.get("/api/v1/listings", params={"limit": 3})).json()
    assert [item["id"] for item in first["items"]] == ids[:3] and first["next_cursor"]
    rest = (await anna.get("/api/v1/listings", params={"limit": 3, "cursor": first["next_cursor"]})).json()
    assert [item["id"] for item in rest["items"]] == ids[3:] and rest["next_cursor"] is None
    async with _bearer(web_app, await integration_token(web_services, agencies.tre)) as crm:
        listed = (await crm.get("/api/v1/listings")).json()
    assert [item["title"] for item in listed["items"]] == [f"Villa {n}" for n in range(5)]
    assert listed["items"][0]["price"] == "425000.00" and listed["items"][0]["currency"] == "USD"


async def test_patch_with_if_match_and_a_stale_etag_answers_412(
    agencies: Agencies, web_services: Services, web_app: FastAPI
) -> None:
    villa = await add_listing(web_services.database, agencies.tre, "V-1", "Pool villa")
    async with _bearer(web_app, await integration_token(web_services, agencies.tre)) as crm:
        read = await crm.get(f"/api/v1/listings/{villa}")
        etag = read.headers["etag"]
        assert read.status_code == 200 and etag.startswith('"')
        assert (
            await crm.get(f"/api/v1/listings/{villa}", headers={"If-None-Match": etag})
        ).status_code == 304

        changed = await crm.patch(
            f"/api/v1/listings/{villa}", json={"price": "410000", "units": 2}, headers={"If-Match": etag}
        )
        assert changed.status_code == 200, changed.text
        body = changed.json()
        assert body["changed"] == ["price", "units_available"]
        assert (body["listing"]["price"], body["listing"]["units_available"]) == ("410000.00", 2)
        assert changed.headers["etag"] != etag

        stale = await crm.patch(
            f"/api/v1/listings/{villa}", json={"status": "sold"}, headers={"If-Match": etag}
        )
        assert stale.status_code == 412
        assert stale.headers["content-type"].startswith("application/problem+json")
        assert stale.headers["etag"] == changed.headers["etag"]
        assert (await crm.get(f"/api/v1/listings/{villa}")).json()["status"] == "available"

        invalid = await crm.patch(f"/api/v1/listings/{villa}", json={"currency": "dollars"})
        assert invalid.status_code == 422 and invalid.json()["field"] == "currency"
        unknown = await crm.patch(f"/api/v1/listings/{villa}", json={"title": "x"})
        assert unknown.status_code == 422
    [row] = await audit_rows(web_services, "listing.edit")
    assert row.actor_telegram_id is None and row.detail is not None and row.detail.startswith("api token")


async def test_a_rep_may_read_but_not_change_a_listing_and_another_agency_sees_nothing(
    clients: SignIn, agencies: Agencies, web_services: Services
) -> None:
    villa = await add_listing(web_services.database, agencies.tre, "V-1", "Pool villa")
    anna = await clients(agencies.tre, ANNA)
    assert (await anna.get(f"/api/v1/listings/{villa}")).status_code == 200
    refused = await anna.patch(
        f"/api/v1/listings/{villa}",
        json={"price": "1"},
        headers={"X-CSRF-Token": await csrf_of(web_services, ANNA)},
    )
    assert refused.status_code == 403 and refused.headers["content-type"].startswith(
        "application/problem+json"
    )
    [row] = await audit_rows(web_services, "listing.edit")
    assert (row.actor_telegram_id, row.allowed) == (ANNA, False)
    otto = await clients(agencies.other, OTTO)
    assert (await otto.get(f"/api/v1/listings/{villa}")).status_code == 404
    assert (await otto.get("/api/v1/listings")).json()["items"] == []
    olga = await clients(agencies.tre, OLGA)
    assert (await olga.patch(f"/api/v1/listings/{villa}", json={"price": "1"})).status_code == 400  # no CSRF


async def test_an_integration_token_neither_reads_reps_nor_approves_one(
    agencies: Agencies, web_services: Services, web_app: FastAPI, api: FakeTelegramAPI
) -> None:
    pending = agencies.rep(PENDING)
    async with _bearer(web_app, await integration_token(web_services, agencies.tre)) as crm:
        listed = await crm.get("/api/v1/reps", params={"status": "pending"})
        refused = await crm.post(f"/api/v1/reps/{pending.id}/approve")
    assert listed.status_code == 403 and "Pavel" not in listed.text and "@" not in listed.text
    [read] = await audit_rows(web_services, "rep.list")
    assert (read.allowed, read.actor_telegram_id) == (False, None)
    assert refused.status_code == 403
    async with web_services.database.session() as session:
        fresh = await session.get(SalesRepresentative, pending.id)
        assert fresh is not None and fresh.status == RepStatus.PENDING
    [row] = await audit_rows(web_services, "rep.approve")
    assert (row.allowed, row.actor_telegram_id) == (False, None) and "integration" in (row.detail or "")
    assert api.sent(chat_id=PENDING) == []


async def test_an_admin_approves_through_the_api_and_a_rep_cannot(
    clients: SignIn, agencies: Agencies, web_services: Services, api: FakeTelegramAPI
) -> None:
    pending = agencies.rep(PENDING)
    anna = await clients(agencies.tre, ANNA)
    assert (await anna.get("/api/v1/reps")).status_code == 403
    [listing_refused] = await audit_rows(web_services, "rep.list")
    assert (listing_refused.actor_telegram_id, listing_refused.allowed) == (ANNA, False)
    refused = await anna.post(
        f"/api/v1/reps/{pending.id}/approve", headers={"X-CSRF-Token": await csrf_of(web_services, ANNA)}
    )
    assert refused.status_code == 403
    olga = await clients(agencies.tre, OLGA)
    csrf = {"X-CSRF-Token": await csrf_of(web_services, OLGA)}
    approved = await olga.post(f"/api/v1/reps/{pending.id}/approve", headers=csrf)
    assert approved.status_code == 200, approved.text
    assert approved.json() | {"id": None} == {
        "id": None,
        "name": "Pavel New",
        "status": "active",
        "is_admin": False,
        "told": True,
    }
    assert api.sent_texts(chat_id=PENDING, token=TEAM_TOKEN)[0].startswith("Great news!")
    again = await olga.post(f"/api/v1/reps/{pending.id}/approve", headers=csrf)
    assert again.status_code == 409 and again.json()["status_now"] == "active"
    team = (await olga.get("/api/v1/reps")).json()["items"]
    assert {item["name"] for item in team} == {"Anna Rep", "Boris Rep", "Olga Admin", "Pavel New"}
