"""The reps page (admins): decide applications, suspend, restore and remove, with the team bot's authority and
audit; the rep hears it from the team bot."""

from __future__ import annotations

import html

from pydantic import SecretStr

from agent.services.provider import Services
from agent.web.app import create_app
from evals.bot_api import FakeTelegramAPI
from storage.models import RepStatus, SalesRepresentative
from tests.web.admin_support import audit_rows, csrf_of
from tests.web.conftest import SignIn
from tests.web.web_support import ANNA, BORIS, GLOBAL_ADMIN, OLGA, OTTO, PENDING, TEAM_TOKEN, Agencies


async def _status(services: Services, rep: SalesRepresentative) -> tuple[str, bool]:
    async with services.database.session() as session:
        fresh = await session.get(SalesRepresentative, rep.id)
        assert fresh is not None
        return fresh.status, fresh.is_admin


async def test_an_admin_approves_an_application_and_the_applicant_hears_it_from_the_team_bot(
    clients: SignIn, agencies: Agencies, web_services: Services, api: FakeTelegramAPI
) -> None:
    olga = await clients(agencies.tre, OLGA)
    page = await olga.get("/reps")
    assert page.status_code == 200
    pending_part = page.text.split("The team")[0]
    assert "Pavel New" in pending_part and f"/reps/{agencies.rep(PENDING).id}/approve" in pending_part
    assert "Otto Admin" not in page.text  # another agency's people

    approved = await olga.post(
        f"/reps/{agencies.rep(PENDING).id}/approve", data={"csrf": await csrf_of(web_services, OLGA)}
    )
    assert approved.status_code == 303
    after = await olga.get(approved.headers["location"])
    assert "Pavel New is approved. The team bot told them." in after.text
    assert await _status(web_services, agencies.rep(PENDING)) == (RepStatus.ACTIVE, False)
    told = api.sent_texts(chat_id=PENDING, token=TEAM_TOKEN)
    assert told[0].startswith("Great news! Your application has been approved")
    assert "calendar" in told[1]  # then, as in the bot, how to connect a calendar
    [row] = await audit_rows(web_services, "rep.approve")
    assert (row.actor_telegram_id, row.target, row.allowed) == (OLGA, str(agencies.rep(PENDING).id), True)

    again = await olga.post(
        f"/reps/{agencies.rep(PENDING).id}/reject", data={"csrf": await csrf_of(web_services, OLGA)}
    )
    assert "Pavel New is already active: nothing changed." in (await olga.get(again.headers["location"])).text


async def test_suspend_restore_and_remove_as_in_the_team_bot(
    clients: SignIn, agencies: Agencies, web_services: Services, api: FakeTelegramAPI
) -> None:
    admin = await clients(agencies.tre, GLOBAL_ADMIN)
    csrf = await csrf_of(web_services, GLOBAL_ADMIN)
    boris = agencies.rep(BORIS)
    assert (await admin.post(f"/reps/{boris.id}/suspend", data={"csrf": csrf})).status_code == 303
    assert await _status(web_services, boris) == (RepStatus.SUSPENDED, False)
    page = await admin.get("/reps")
    assert f"/reps/{boris.id}/restore" in page.text
    assert (await admin.post(f"/reps/{boris.id}/restore", data={"csrf": csrf})).status_code == 303
    assert await _status(web_services, boris) == (RepStatus.ACTIVE, False)
    assert (await admin.post(f"/reps/{boris.id}/remove", data={"csrf": csrf})).status_code == 303
    assert await _status(web_services, boris) == (RepStatus.REMOVED, False)
    assert "Boris Rep" not in (await admin.get("/reps")).text
    texts = api.sent_texts(chat_id=BORIS, token=TEAM_TOKEN)
    assert len(texts) == 3 and "приостановлен" in texts[0]  # Boris reads Russian
    actions = [r.action for r in await audit_rows(web_services, "rep.suspend")]
    actions += [r.action for r in await audit_rows(web_services, "rep.restore")]
    actions += [r.action for r in await audit_rows(web_services, "rep.remove")]
    assert actions == ["rep.suspend", "rep.restore", "rep.remove"]


async def test_a_rep_is_refused_the_reps_page_and_every_change_and_each_refusal_is_audited(
    clients: SignIn, agencies: Agencies, web_services: Services, api: FakeTelegramAPI
) -> None:
    anna = await clients(agencies.tre, ANNA)
    assert (await anna.get("/reps")).status_code == 403
    refused = await anna.post(
        f"/reps/{agencies.rep(PENDING).id}/approve", data={"csrf": await csrf_of(web_services, ANNA)}
    )
    assert refused.status_code == 403
    assert await _status(web_services, agencies.rep(PENDING)) == (RepStatus.PENDING, False)
    rows = await audit_rows(web_services, "web.admin_page")
    assert [(r.actor_telegram_id, r.allowed, r.target) for r in rows] == [
        (ANNA, False, "/reps"),
        (ANNA, False, f"/reps/{agencies.rep(PENDING).id}/approve"),
    ]
    assert api.sent(chat_id=PENDING) == []


async def test_an_admin_of_another_agency_can_neither_see_nor_touch_these_reps(
    clients: SignIn, agencies: Agencies, web_services: Services, api: FakeTelegramAPI
) -> None:
    otto = await clients(agencies.other, OTTO)
    page = await otto.get("/reps")
    assert page.status_code == 200 and "Pavel New" not in page.text and "Anna Rep" not in page.text
    csrf = await csrf_of(web_services, OTTO)
    for change, rep in (("approve", PENDING), ("suspend", ANNA), ("remove", BORIS)):
        refused = await otto.post(f"/reps/{agencies.rep(rep).id}/{change}", data={"csrf": csrf})
        assert refused.status_code == 403, change
    assert await _status(web_services, agencies.rep(PENDING)) == (RepStatus.PENDING, False)
    assert await _status(web_services, agencies.rep(ANNA)) == (RepStatus.ACTIVE, False)
    refusals = [
        (r.action, r.actor_telegram_id, r.allowed, r.detail)
        for action in ("rep.approve", "rep.suspend", "rep.remove")
        for r in await audit_rows(web_services, action)
    ]
    assert [(a, actor, allowed) for a, actor, allowed, _ in refusals] == [
        ("rep.approve", OTTO, False),
        ("rep.suspend", OTTO, False),
        ("rep.remove", OTTO, False),
    ]
    assert all("other_agency" in (detail or "") for *_, detail in refusals)
    assert api.sent(chat_id=PENDING) == []


async def test_a_global_admin_signed_in_elsewhere_does_not_act_on_this_agency_from_there(
    clients: SignIn, agencies: Agencies, web_services: Services
) -> None:
    admin = await clients(agencies.other, GLOBAL_ADMIN)
    refused = await admin.post(
        f"/reps/{agencies.rep(PENDING).id}/approve", data={"csrf": await csrf_of(web_services, GLOBAL_ADMIN)}
    )
    assert refused.status_code == 403
    assert await _status(web_services, agencies.rep(PENDING)) == (RepStatus.PENDING, False)


async def test_without_a_team_bot_token_the_page_says_the_applicant_was_not_told(
    agencies: Agencies, web_services: Services, api: FakeTelegramAPI
) -> None:
    import httpx

    from agent.services.web_access import WebAccess
    from tests.web.web_support import open_session

    silent = Services(
        settings=web_services.settings.model_copy(update={"registry_bot_token": SecretStr("")}),
        database=web_services.database,
        clock=web_services.clock,
    )
    async with silent.resources:
        app = create_app(silent)
        cookies = await open_session(
            WebAccess(silent.database, silent.settings, silent.clock), agencies.tre, OLGA
        )
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver", cookies=cookies
        ) as olga:
            done = await olga.post(
                f"/reps/{agencies.rep(PENDING).id}/reject", data={"csrf": await csrf_of(silent, OLGA)}
            )
            page = await olga.get(done.headers["location"])
    assert "Pavel New's application is rejected." in html.unescape(page.text)
    assert "could not tell them" in page.text
    assert await _status(web_services, agencies.rep(PENDING)) == (RepStatus.REMOVED, False)
    assert api.sent(chat_id=PENDING) == []
