"""Taking a lead over from the lead page: the lead's rep or an admin; another rep of the agency cannot take it
from them; the page says who is talking to the lead; every change and refusal audited."""

from __future__ import annotations

import re

from sqlalchemy import select

from agent.core.clock import FrozenClock
from evals.bot_api import FakeTelegramAPI
from storage.db import Database
from storage.models import AuditLog, Lead
from tests.web.conftest import SignIn
from tests.web.leads_support import scored_lead
from tests.web.web_support import ANNA, BORIS, OLGA, Agencies


async def _csrf(client: object) -> str:
    page = await client.get("/leads")  # type: ignore[attr-defined]
    found = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
    assert found
    return found.group(1)


async def _holder(database: Database, lead_id: int) -> int | None:
    async with database.session() as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        return lead.taken_over_by


async def _audit(database: Database) -> list[tuple[str, int | None, bool, str | None]]:
    async with database.session() as session:
        rows = await session.execute(
            select(AuditLog)
            .where(AuditLog.action.in_(["lead.take_over", "lead.hand_back"]))
            .order_by(AuditLog.id)
        )
        return [(r.action, r.actor_telegram_id, r.allowed, r.detail) for r in rows.scalars()]


async def test_the_rep_takes_over_from_the_lead_page_and_hands_back(
    clients: SignIn, agencies: Agencies, database: Database, clock: FrozenClock
) -> None:
    lead_id = await scored_lead(database, clock, agencies, message_count=1)
    anna = await clients(agencies.tre, ANNA)
    page = await anna.get(f"/leads/{lead_id}")
    assert f'action="/leads/{lead_id}/takeover"' in page.text and "data-taken-over" not in page.text

    taken = await anna.post(f"/leads/{lead_id}/takeover", data={"csrf": await _csrf(anna)})

    assert taken.status_code == 303 and taken.headers["location"].startswith(
        f"/leads/{lead_id}?done=takeover"
    )
    assert await _holder(database, lead_id) == ANNA
    page = await anna.get(f"/leads/{lead_id}")
    assert "data-taken-over" in page.text and agencies.rep(ANNA).name in page.text
    assert f'action="/leads/{lead_id}/handback"' in page.text
    assert f'action="/leads/{lead_id}/takeover"' not in page.text

    back = await anna.post(f"/leads/{lead_id}/handback", data={"csrf": await _csrf(anna)})

    assert back.headers["location"].startswith(f"/leads/{lead_id}?done=handback")
    assert await _holder(database, lead_id) is None
    assert await _audit(database) == [
        ("lead.take_over", ANNA, True, "via=web"),
        ("lead.hand_back", ANNA, True, "via=web"),
    ]


async def test_another_rep_cannot_see_it_and_an_admin_may_take_it_from_the_rep(
    clients: SignIn, agencies: Agencies, database: Database, clock: FrozenClock
) -> None:
    lead_id = await scored_lead(database, clock, agencies, message_count=1)
    anna = await clients(agencies.tre, ANNA)
    await anna.post(f"/leads/{lead_id}/takeover", data={"csrf": await _csrf(anna)})
    boris = await clients(agencies.tre, BORIS)

    refused = await boris.post(f"/leads/{lead_id}/takeover", data={"csrf": await _csrf(boris)})

    assert refused.status_code == 404 and await _holder(database, lead_id) == ANNA
    olga = await clients(agencies.tre, OLGA)
    taken = await olga.post(f"/leads/{lead_id}/takeover", data={"csrf": await _csrf(olga)})
    assert taken.headers["location"].startswith(f"/leads/{lead_id}?done=takeover")
    assert await _holder(database, lead_id) == OLGA
    refused_back = await anna.post(f"/leads/{lead_id}/handback", data={"csrf": await _csrf(anna)})
    assert refused_back.headers["location"].startswith(f"/leads/{lead_id}?error=admins_only")
    assert await _holder(database, lead_id) == OLGA
    assert [(action, who, allowed) for action, who, allowed, _ in await _audit(database)] == [
        ("lead.take_over", ANNA, True),
        ("lead.take_over", BORIS, False),
        ("lead.take_over", OLGA, True),
        ("lead.hand_back", ANNA, False),
    ]


async def test_the_api_takes_over_and_hands_back_and_says_so_when_someone_else_talks_to_the_lead(
    clients: SignIn, agencies: Agencies, database: Database, clock: FrozenClock
) -> None:
    lead_id = await scored_lead(database, clock, agencies, message_count=1)
    anna = await clients(agencies.tre, ANNA)
    anna_csrf = {"X-CSRF-Token": await _csrf(anna)}

    taken = await anna.post(f"/api/v1/leads/{lead_id}/takeover", headers=anna_csrf)

    assert taken.status_code == 200, taken.text
    assert taken.json() | {"message": None} == {
        "lead_id": lead_id,
        "outcome": "taken",
        "taken_over_by": ANNA,
        "message": None,
    }
    olga = await clients(agencies.tre, OLGA)
    olga_csrf = {"X-CSRF-Token": await _csrf(olga)}
    assert (await olga.post(f"/api/v1/leads/{lead_id}/takeover", headers=olga_csrf)).json()[
        "taken_over_by"
    ] == OLGA
    busy = await anna.post(f"/api/v1/leads/{lead_id}/handback", headers=anna_csrf)
    assert busy.status_code == 409
    back = await olga.post(f"/api/v1/leads/{lead_id}/handback", headers=olga_csrf)
    assert (back.status_code, back.json()["outcome"], back.json()["taken_over_by"]) == (
        200,
        "handed_back",
        None,
    )
    again = await olga.post(f"/api/v1/leads/{lead_id}/handback", headers=olga_csrf)
    assert (again.status_code, again.json()["outcome"]) == (200, "not_taken")


async def test_a_person_without_a_team_bot_chat_is_refused_with_a_clear_message_on_the_page_and_the_api(
    clients: SignIn, agencies: Agencies, database: Database, clock: FrozenClock, api: FakeTelegramAPI
) -> None:
    lead_id = await scored_lead(database, clock, agencies, message_count=1)
    olga = await clients(agencies.tre, OLGA)  # an admin who never pressed Start in the team bot
    api.fail_next("sendChatAction", error_code=400, description="Bad Request: chat not found")

    refused = await olga.post(f"/leads/{lead_id}/takeover", data={"csrf": await _csrf(olga)})

    assert refused.status_code == 303
    assert refused.headers["location"].startswith(f"/leads/{lead_id}?error=no_team_chat")
    page = await olga.get(refused.headers["location"])
    assert "Open the team bot in Telegram and press Start first" in page.text
    api.fail_next("sendChatAction", error_code=403, description="Forbidden: bot was blocked by the user")
    by_api = await olga.post(f"/api/v1/leads/{lead_id}/takeover", headers={"X-CSRF-Token": await _csrf(olga)})
    assert by_api.status_code == 409
    assert "press Start" in by_api.text
    assert await _holder(database, lead_id) is None
    assert [
        (action, who, allowed, str(detail)[:12]) for action, who, allowed, detail in await _audit(database)
    ] == [
        ("lead.take_over", OLGA, False, "no_team_chat"),
        ("lead.take_over", OLGA, False, "no_team_chat"),
    ]
    taken = await olga.post(f"/api/v1/leads/{lead_id}/takeover", headers={"X-CSRF-Token": await _csrf(olga)})
    assert taken.status_code == 200 and await _holder(database, lead_id) == OLGA  # once the chat exists
