"""The leads board and a lead page: who sees what, filters, search, keyset pages, factors, actions."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from agent.services.team import TeamService
from agent.services.team.cards import Actor
from evals.bot_api import FakeTelegramAPI
from storage.db import Database
from storage.models import AuditLog, LeadInteraction, Property, RepTask, Tenant
from tests.secrets_support import store_lead_bot_token
from tests.web.conftest import SignIn
from tests.web.leads_support import board, scored_lead
from tests.web.web_support import ANNA, BORIS, GLOBAL_ADMIN, OLGA, OTTO, Agencies


def lead_ids(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'data-lead="(\d+)"', html)]


def next_link(html: str) -> str | None:
    found = re.search(r'rel="next" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


async def test_a_rep_sees_their_own_leads_an_admin_the_agency_nobody_else(
    clients: SignIn, anonymous: object, agencies: Agencies, database: Database
) -> None:
    made = await board(database, agencies, count=3)
    anna = await (await clients(agencies.tre, ANNA)).get("/leads")
    assert anna.status_code == 200
    assert sorted(lead_ids(anna.text)) == sorted(made["anna"])
    assert lead_ids(anna.text)[-1] == made["anna"][-1], "the opted-out lead comes last, whatever its score"
    assert "🔕" in anna.text
    olga = await (await clients(agencies.tre, OLGA)).get("/leads")
    assert sorted(lead_ids(olga.text)) == sorted(made["anna"] + made["boris"])
    otto = await (await clients(agencies.other, OTTO)).get("/leads")
    assert lead_ids(otto.text) == made["other"]
    nobody = await anonymous.get("/leads")  # type: ignore[attr-defined]
    assert nobody.status_code == 401


async def test_keyset_pages_have_no_duplicates_or_gaps_while_scores_tie(
    clients: SignIn, agencies: Agencies, database: Database
) -> None:
    made = await board(database, agencies, count=60)
    olga = await clients(agencies.tre, OLGA)
    seen: list[int] = []
    url: str | None = "/leads"
    pages = 0
    while url:
        page = await olga.get(url)
        assert page.status_code == 200
        seen += lead_ids(page.text)
        url = next_link(page.text)
        pages += 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == len(made["anna"]) + len(made["boris"])
    assert seen[0] == max(made["boris"] + made["anna"][:-1]), "ties: the newest first"
    assert seen[-1] == made["anna"][-1]


async def test_filters_and_search(clients: SignIn, agencies: Agencies, database: Database) -> None:
    made = await board(database, agencies, count=3)
    olga = await clients(agencies.tre, OLGA)
    boris_rep = agencies.rep(BORIS).id
    by_rep = await olga.get(f"/leads?rep={boris_rep}")
    assert sorted(lead_ids(by_rep.text)) == sorted(made["boris"])
    assert lead_ids((await olga.get("/leads?opted=yes")).text) == [made["anna"][-1]]
    assert made["anna"][-1] not in lead_ids((await olga.get("/leads?opted=no")).text)
    assert lead_ids((await olga.get("/leads?q=boris+lead+1")).text) == [made["boris"][1]]
    anna = await clients(agencies.tre, ANNA)
    # a rep's rep filter cannot widen their board
    assert sorted(lead_ids((await anna.get(f"/leads?rep={boris_rep}")).text)) == sorted(made["anna"])


async def test_the_lead_page_shows_every_factor_with_its_reason(
    clients: SignIn, agencies: Agencies, database: Database, clock: FrozenClock
) -> None:
    lead_id = await scored_lead(database, clock, agencies)
    page = await (await clients(agencies.tre, ANNA)).get(f"/leads/{lead_id}")
    assert page.status_code == 200
    factors = re.findall(r'data-factor="([a-z_]+)"', page.text)
    assert {"qr_scans", "catalog_views", "messages", "phone", "budget", "recency"} <= set(factors)
    assert "3 QR scans × 3 = 9 of 15" in page.text
    assert "tel:+971501234567" in page.text and "https://wa.me/971501234567" in page.text
    assert "Hi, a villa in the Marina?" in page.text
    # Boris reads the same factors in Russian (the score's reasons were stored in the lead's English)
    async with database.session() as session:
        from storage.models import Lead

        lead = await session.get(Lead, lead_id)
        assert lead is not None
        lead.assigned_rep_id = agencies.rep(BORIS).id
    boris = await (await clients(agencies.tre, BORIS)).get(f"/leads/{lead_id}")
    assert "Сканирования QR: 3 × 3 = 9 из 15" in boris.text


async def test_a_rep_is_refused_another_reps_lead_with_404_and_an_audit_row(
    clients: SignIn, agencies: Agencies, database: Database, clock: FrozenClock
) -> None:
    lead_id = await scored_lead(database, clock, agencies)
    boris = await clients(agencies.tre, BORIS)
    assert (await boris.get(f"/leads/{lead_id}")).status_code == 404
    otto = await clients(agencies.other, OTTO)
    assert (await otto.get(f"/leads/{lead_id}")).status_code == 404
    csrf = await _csrf(boris)
    refused = await boris.post(f"/leads/{lead_id}/note", data={"csrf": csrf, "note": "mine now"})
    assert refused.status_code == 404
    async with database.session() as session:
        rows = (
            (await session.execute(select(AuditLog).where(AuditLog.allowed.is_(False)).order_by(AuditLog.id)))
            .scalars()
            .all()
        )
    assert [(row.action, row.target, row.actor_telegram_id) for row in rows] == [
        ("lead.view", f"lead:{lead_id}", BORIS),
        ("lead.view", f"lead:{lead_id}", OTTO),
        ("lead.note", f"lead:{lead_id}", BORIS),
    ]
    assert all("not_their_lead" in (row.detail or "") for row in rows)


async def _csrf(client: object) -> str:
    page = await client.get("/leads")  # type: ignore[attr-defined]
    found = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
    assert found
    return found.group(1)


async def test_changes_on_the_web_show_in_the_team_bot_and_the_other_way_round(
    clients: SignIn, agencies: Agencies, database: Database, clock: FrozenClock, web_services: Services
) -> None:
    lead_id = await scored_lead(database, clock, agencies)
    anna = await clients(agencies.tre, ANNA)
    csrf = await _csrf(anna)
    status = await anna.post(f"/leads/{lead_id}/status", data={"csrf": csrf, "status": "qualified"})
    assert status.status_code == 303 and status.headers["location"].startswith(
        f"/leads/{lead_id}?done=status"
    )
    note = await anna.post(f"/leads/{lead_id}/note", data={"csrf": csrf, "note": "Wants a sea view"})
    assert note.status_code == 303
    assert (await anna.post(f"/leads/{lead_id}/note", data={"note": "no token"})).status_code == 400
    team = TeamService(web_services.database, web_services.settings, web_services.clock)
    line = await team.client(Actor(telegram_id=ANNA, language="en"), "lead", str(lead_id))
    assert line.status == "qualified" and line.notes is not None and "Wants a sea view" in line.notes
    book = await team.my_clients(Actor(telegram_id=ANNA, language="en"))
    assert [c.status for c in book.clients if c.id == str(lead_id)] == ["qualified"]
    # and the other way round: the bot's note and status show on the page
    await team.add_note(Actor(telegram_id=ANNA, language="en"), "lead", str(lead_id), "Called from the car")
    await team.change_status(
        Actor(telegram_id=ANNA, language="en"), "lead", str(lead_id), "viewing_scheduled"
    )
    page = await anna.get(f"/leads/{lead_id}?done=note")
    assert "Called from the car" in page.text and "Wants a sea view" in page.text
    assert 'value="viewing_scheduled" selected' in page.text
    assert "Note added." in page.text
    async with database.session() as session:
        actions = (
            (
                await session.execute(
                    select(AuditLog.action).where(
                        AuditLog.allowed.is_(True), AuditLog.target == f"lead:{lead_id}"
                    )
                )
            )
            .scalars()
            .all()
        )
    assert sorted(actions) == ["lead.note", "lead.status"]


async def test_follow_up_mark_hot_and_reassign(
    clients: SignIn, agencies: Agencies, database: Database, clock: FrozenClock
) -> None:
    lead_id = await scored_lead(database, clock, agencies, qr_scan_count=0, catalog_views=0, message_count=1)
    anna = await clients(agencies.tre, ANNA)
    csrf = await _csrf(anna)
    done = await anna.post(
        f"/leads/{lead_id}/follow_up", data={"csrf": csrf, "due_at": "2026-01-02T10:30", "note": "call back"}
    )
    assert done.headers["location"].startswith(f"/leads/{lead_id}?done=follow_up")
    async with database.session() as session:
        task = (await session.execute(select(RepTask))).scalar_one()
    assert task.rep_id == agencies.rep(ANNA).id and task.lead_id == lead_id and task.note == "call back"
    assert task.due_at.isoformat() == "2026-01-02T02:30:00+00:00"  # 10:30 in Anna's agency's zone (UTC+8)
    hot = await anna.post(f"/leads/{lead_id}/mark_hot", data={"csrf": csrf})
    assert hot.headers["location"].startswith(f"/leads/{lead_id}?done=mark_hot")
    refused = await anna.post(
        f"/leads/{lead_id}/reassign", data={"csrf": csrf, "rep": str(agencies.rep(BORIS).id)}
    )
    assert refused.headers["location"].startswith(f"/leads/{lead_id}?error=admins_only")
    olga = await clients(agencies.tre, OLGA)
    moved = await olga.post(
        f"/leads/{lead_id}/reassign", data={"csrf": await _csrf(olga), "rep": str(agencies.rep(BORIS).id)}
    )
    assert moved.headers["location"].startswith(f"/leads/{lead_id}?done=reassign")
    async with database.session() as session:
        task = (await session.execute(select(RepTask))).scalar_one()
    assert task.rep_id == agencies.rep(BORIS).id  # the open follow-up went with the lead
    assert "call back" not in (await anna.get("/today")).text
    elsewhere = await olga.post(
        f"/leads/{lead_id}/reassign", data={"csrf": await _csrf(olga), "rep": str(agencies.rep(OTTO).id)}
    )
    assert elsewhere.headers["location"].startswith(f"/leads/{lead_id}?error=bad_value")
    assert (await anna.get(f"/leads/{lead_id}")).status_code == 404
    assert (await (await clients(agencies.tre, BORIS)).get(f"/leads/{lead_id}")).status_code == 200
    global_admin = await clients(agencies.tre, GLOBAL_ADMIN)
    assert (await global_admin.get(f"/leads/{lead_id}")).status_code == 200


async def test_a_listing_goes_to_the_leads_chat_through_the_agencys_lead_bot(
    clients: SignIn, agencies: Agencies, database: Database, clock: FrozenClock, api: FakeTelegramAPI
) -> None:
    lead_token = "7100000001:LEADBOTTOKENxxxxxxxxxxxxxxxxxxxxxxxx"
    async with database.session() as session:
        tre = await session.get(Tenant, agencies.tre.id)
        assert tre is not None
        store_lead_bot_token(tre, lead_token)
        listing = Property(
            tenant_id=tre.id,
            external_id="V-7",
            title="Sea view villa",
            property_type="villa",
            transaction="sale",
            price=2_400_000,
            currency="AED",
            bedrooms=3,
            location="Dubai Marina",
        )
        session.add(listing)
        await session.flush()
        listing_id = listing.id
    lead_id = await scored_lead(database, clock, agencies)
    stopped = await scored_lead(
        database, clock, agencies, opted_out=True, telegram_user_id=5550002, telegram_chat_id=5550002
    )
    anna = await clients(agencies.tre, ANNA)
    csrf = await _csrf(anna)
    sent = await anna.post(f"/leads/{lead_id}/send_listing", data={"csrf": csrf, "listing": str(listing_id)})
    assert sent.headers["location"].startswith(f"/leads/{lead_id}?done=send_listing")
    card = api.last_sent(chat_id=5550001, token=lead_token).text
    assert "Sea view villa" in card and "2,400,000 AED" in card and "Dubai Marina" in card
    assert "Sea view villa" in (await anna.get(f"/leads/{lead_id}")).text  # in the conversation
    refused = await anna.post(
        f"/leads/{stopped}/send_listing", data={"csrf": csrf, "listing": str(listing_id)}
    )
    assert refused.headers["location"].startswith(f"/leads/{stopped}?error=unreachable")
    assert api.sent(chat_id=5550002) == []
    missing = await anna.post(f"/leads/{lead_id}/send_listing", data={"csrf": csrf, "listing": "999999"})
    assert missing.headers["location"].startswith(f"/leads/{lead_id}?error=bad_value")
    async with database.session() as session:
        refusals = (
            (await session.execute(select(AuditLog.detail).where(AuditLog.action == "lead.send_listing")))
            .scalars()
            .all()
        )
    assert sorted(refusals) == sorted(
        ["web: listing " + str(listing_id), "unreachable (web)", "bad_value (web)"]
    )


async def test_a_long_conversation_pages_back_from_the_newest(
    clients: SignIn, agencies: Agencies, database: Database, clock: FrozenClock
) -> None:
    lead_id = await scored_lead(database, clock, agencies)
    async with database.session() as session:
        for i in range(45):
            session.add(
                LeadInteraction(
                    tenant_id=agencies.tre.id,
                    lead_id=lead_id,
                    type="message",
                    direction="inbound",
                    text=f"message number {i:02d}",
                    created_at=clock.now() - timedelta(minutes=10) + timedelta(seconds=i),
                )
            )
    anna = await clients(agencies.tre, ANNA)
    latest = (await anna.get(f"/leads/{lead_id}")).text
    texts = re.findall(r"message number (\d\d)", latest)
    assert texts == [f"{i:02d}" for i in range(5, 45)], "the newest 40, newest last"
    earlier = re.search(r'href="(/leads/\d+\?before=[^"]+)"', latest)
    assert earlier
    older = (await anna.get(earlier.group(1))).text
    assert re.findall(r"message number (\d\d)", older) == [f"{i:02d}" for i in range(5)]
    assert "Hi, a villa in the Marina?" in older
