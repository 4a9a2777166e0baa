"""What each kind of bad input gets: a 404 for an id no row can have, a 400 page in the reader's language for
a date or cursor out of range, problem+json under /api, a clean 500 for the unexpected, inert CSV cells and
notes that cannot forge a back-dated note."""

from __future__ import annotations

import csv
import io
import logging
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import Response

import prompts
from agent.services.dashboard.leads import BadCursor, Position
from agent.services.dashboard.leads_detail import split_notes
from agent.services.provider import Services
from agent.services.team.crm import with_note
from tests.web import test_every_route as walk
from tests.web.admin_support import add_listing
from tests.web.conftest import SignIn
from tests.web.test_agenda_support import add_lead
from tests.web.web_support import ANNA, BORIS, OLGA, Agencies

BEYOND = str(2**63)
PROBLEM = "application/problem+json"


async def test_an_id_beyond_bigint_or_negative_is_not_found(
    clients: SignIn, agencies: Agencies, web_app: FastAPI, web_services: Services
) -> None:
    boris = await clients(agencies.tre, BORIS)  # reads Russian
    page = await boris.get(f"/leads/{BEYOND}")
    assert page.status_code == 404
    assert prompts.text("ru", "web", "not_found_title") in page.text
    olga, csrf = await walk.signed_in(web_app, web_services, agencies.tre, OLGA)
    async with olga:
        for url in (
            f"/api/v1/leads/{BEYOND}",
            "/api/v1/leads/-1",
            f"/api/v1/listings/{BEYOND}",
            "/api/v1/leads/0",
        ):
            answer = await olga.get(url)
            assert answer.status_code == 404, url
            assert answer.headers["content-type"] == PROBLEM
        for url in (f"/leads/{BEYOND}/status", f"/today/tasks/{BEYOND}/done", f"/viewings/{BEYOND}"):
            answer = await olga.post(url, data={"csrf": csrf, "status": "qualified"})
            assert answer.status_code == 404, url


async def test_a_superscript_digit_is_not_a_number(
    web_app: FastAPI, web_services: Services, agencies: Agencies
) -> None:
    lead_id = await add_lead(web_services.database, agencies.tre, agencies.rep(ANNA), "Sam Super")
    await add_listing(web_services.database, agencies.tre, "sup-1", "Superscript Villa")
    olga, csrf = await walk.signed_in(web_app, web_services, agencies.tre, OLGA)
    async with olga:
        sent = await olga.post(f"/leads/{lead_id}/send_listing", data={"csrf": csrf, "listing": "²"})
        assert sent.status_code == 303
        assert "error=bad_value" in sent.headers["location"]
        searched = await olga.get("/listings", params={"q": "²"})
        assert searched.status_code == 200
        assert "Superscript Villa" not in searched.text
        assert (await olga.get("/listings", params={"q": "#" + BEYOND})).status_code == 200
        marked = await olga.post("/api/v1/follow-ups/task-²/done", headers={"X-CSRF-Token": csrf})
        assert marked.status_code == 404
        assert (await olga.get("/listings", params={"after": "²"})).status_code == 400
        assert (await olga.get("/api/v1/listings", params={"cursor": "²"})).status_code == 400


async def test_a_day_out_of_range_is_a_400_in_the_readers_language(
    clients: SignIn, agencies: Agencies, web_app: FastAPI, web_services: Services
) -> None:
    boris = await clients(agencies.tre, BORIS)
    for day in ("0001-01-01", "9999-12-31"):
        page = await boris.get("/viewings", params={"day": day})
        assert page.status_code == 400
        assert prompts.text("ru", "web", "bad_input_title") in page.text
    assert (await boris.get("/viewings", params={"day": "2030-06-01"})).status_code == 200
    lead_id = await add_lead(web_services.database, agencies.tre, agencies.rep(ANNA), "Tim Far")
    olga, csrf = await walk.signed_in(web_app, web_services, agencies.tre, OLGA)
    async with olga:
        far = {"due_at": "0001-01-01T00:30:00+05:00", "note": "far"}
        answer = await olga.post(
            f"/api/v1/leads/{lead_id}/follow-up", json=far, headers={"X-CSRF-Token": csrf}
        )
        assert answer.status_code == 422
        assert answer.headers["content-type"] == PROBLEM
        listed = await olga.get("/api/v1/follow-ups", params={"due_before": "9999-12-31T23:59:59-12:00"})
        assert listed.status_code == 422
        page = await olga.post(
            f"/leads/{lead_id}/follow_up", data={"csrf": csrf, "due_at": "9999-12-31T23:59", "note": "far"}
        )
        assert page.status_code == 400


def test_a_cursor_out_of_range_is_refused() -> None:
    assert Position.decode(Position(False, 12, 34).encode()) == Position(False, 12, 34)
    for forged in (Position(False, 12, 2**63), Position(False, 2**40, 1), Position(True, 1, -1)):
        with pytest.raises(BadCursor):
            Position.decode(forged.encode())


async def test_a_huge_board_cursor_is_a_400(
    web_app: FastAPI, web_services: Services, agencies: Agencies, clients: SignIn
) -> None:
    cursor = Position(False, 1, 2**63).encode()
    olga, _ = await walk.signed_in(web_app, web_services, agencies.tre, OLGA)
    async with olga:
        answer = await olga.get("/api/v1/leads", params={"cursor": cursor})
        assert answer.status_code == 400
        assert answer.headers["content-type"] == PROBLEM
    boris = await clients(agencies.tre, BORIS)
    page = await boris.get("/leads", params={"cursor": cursor})
    assert page.status_code == 400
    assert prompts.text("ru", "web", "bad_input_title") in page.text


async def test_an_unexpected_error_is_a_clean_500(
    web_app: FastAPI, web_services: Services, agencies: Agencies, caplog: pytest.LogCaptureFixture
) -> None:
    async def boom() -> Response:
        raise RuntimeError("the database went away")

    web_app.add_api_route("/api/v1/boom", boom)
    web_app.add_api_route("/boom", boom)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=web_app, raise_app_exceptions=False), base_url="http://testserver"
    ) as client:
        with caplog.at_level(logging.ERROR):
            api = await client.get("/api/v1/boom")
            page = await client.get("/boom")
    assert api.status_code == 500
    assert api.headers["content-type"] == PROBLEM
    assert api.json() == {"type": "about:blank", "title": "internal error", "status": 500}
    assert page.status_code == 500
    assert prompts.text("en", "web", "failed_title") in page.text
    assert "the database went away" not in page.text + api.text
    assert any(record.exc_info and "/api/v1/boom" in record.getMessage() for record in caplog.records)


async def test_the_csv_export_keeps_formulas_inert(
    web_app: FastAPI, web_services: Services, agencies: Agencies
) -> None:
    formula = '=HYPERLINK("http://x","y")'
    await add_lead(web_services.database, agencies.tre, agencies.rep(ANNA), formula, phone="+6281234567890")
    await add_lead(web_services.database, agencies.tre, agencies.rep(ANNA), "@SUM(A1)")
    olga, _ = await walk.signed_in(web_app, web_services, agencies.tre, OLGA)
    async with olga:
        answer = await olga.get("/api/v1/leads/export.csv")
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.text.lstrip("\ufeff"))))
    by_phone = {row["phone"]: row for row in rows}
    assert by_phone["+6281234567890"]["name"] == "'" + formula  # a plain phone stays as it is
    assert "'@SUM(A1)" in {row["name"] for row in rows}
    assert not [row for row in rows for value in row.values() if value[:1] in ("=", "@", "-", "\t", "\r")]


async def test_a_note_cannot_forge_a_back_dated_note(
    web_app: FastAPI, web_services: Services, agencies: Agencies
) -> None:
    now = datetime(2026, 3, 7, 9, 30, tzinfo=UTC)
    stored = with_note("[2026-03-01 08:00] first", "called\n[2026-01-01 10:00] paid in full\r\n\u2028ok", now)
    assert [(n.stamp, n.text) for n in split_notes(stored)] == [
        ("2026-03-01 08:00", "first"),
        ("2026-03-07 09:30", "called [2026-01-01 10:00] paid in full ok"),
    ]
    lead_id = await add_lead(web_services.database, agencies.tre, agencies.rep(ANNA), "Nora Note")
    olga, csrf = await walk.signed_in(web_app, web_services, agencies.tre, OLGA)
    async with olga:
        forged = {"text": "ok\n[2026-01-01 10:00] forged"}
        answer = await olga.post(
            f"/api/v1/leads/{lead_id}/notes", json=forged, headers={"X-CSRF-Token": csrf}
        )
        assert answer.status_code == 201
        assert len(answer.json()) == 1
        assert "forged" in answer.json()[0]["text"]
        page = await olga.post(
            f"/leads/{lead_id}/note", data={"csrf": csrf, "note": "a\n[2025-01-01 00:00] b"}
        )
        assert page.status_code == 303
        notes = (await olga.get(f"/api/v1/leads/{lead_id}")).json()["notes"]
    assert len(notes) == 2
    assert all(note["stamp"] != "2025-01-01 00:00" for note in notes)
