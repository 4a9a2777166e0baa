"""The team bot's calendar desk: Google's callback endpoint (on the web app) finishing a connection with no pasting, and a rep's
answer after a viewing — real update JSON against the loopback Bot API, Google's endpoints stubbed."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr
from sqlalchemy import select

from agent.core.clock import FrozenClock
from agent.services.calendars import connection
from agent.services.calendars.conversation import CalendarDesk
from agent.services.calendars.service import CalendarProviders
from agent.services.provider import Services
from agent.settings import Settings
from agent.web.app import create_app
from bot.team import build_team_application
from evals.bot_api import BotDriver, FakeTelegramAPI
from storage.db import Database
from storage.models import Lead, SalesRepresentative, Tenant, Viewing
from storage.repositories.tenants import TenantRepository
from tests.fakes.google_api import GoogleStub, calendar_list_entry, ok, token_response
from tests.viewings.conftest import add_viewable_listing

TOKEN = "7002:TEAM-TOKEN"
ADMIN = 500_002
DOMAIN = "truerealestate.bali"
CLIENT_ID = "555-calendar.apps.googleusercontent.com"
_user_ids = itertools.count(720_000)


@pytest.fixture
async def services(
    settings: Settings, database: Database, clock: FrozenClock, api: FakeTelegramAPI, google: GoogleStub
) -> AsyncIterator[Services]:
    configured = settings.model_copy(
        update={
            "telegram_api_base_url": api.base_url,
            "telegram_file_base_url": api.file_base_url,
            "admin_telegram_ids": [ADMIN],
            "corporate_email_domain": DOMAIN,
            "registry_bot_token": SecretStr(TOKEN),
            "google_client_id": CLIENT_ID,
            "google_client_secret": SecretStr("GOCSPX-secret"),
            "token_encryption_key": SecretStr(Fernet.generate_key().decode()),
        }
    )
    async with database.session() as session:
        await TenantRepository(session).create(name="True Real Estate", slug="tre", time_zone="Asia/Makassar")
    services = Services(
        settings=configured,
        database=database,
        clock=clock,
        calendars=CalendarProviders(google=google.transport),
    )
    async with services.resources:
        yield services


@pytest.fixture
async def driver(services: Services, api: FakeTelegramAPI) -> AsyncIterator[BotDriver]:
    application = build_team_application(services, TOKEN)
    async with application:
        yield BotDriver(application, api)


async def active_rep(database: Database, **fields: object) -> SalesRepresentative:
    user = next(_user_ids)
    async with database.session() as session:
        tenant = (await session.execute(select(Tenant))).scalar_one()
        rep = SalesRepresentative(
            tenant_id=tenant.id,
            telegram_id=user,
            telegram_chat_id=user,
            name="Иван Иванов",
            email=f"ivan@{DOMAIN}",
            status="active",
            language="ru",
            working_hours={},
            **fields,
        )
        session.add(rep)
        await session.flush()
        return rep


async def test_the_callback_endpoint_connects_without_pasting(
    services: Services, api: FakeTelegramAPI, google: GoogleStub
) -> None:
    services.settings = services.settings.model_copy(update={"public_base_url": "https://realty.example.com"})
    rep = await active_rep(services.database)
    user = rep.telegram_id
    async with services.database.session() as session:
        link = await connection.start(
            session, rep, tenant=None, settings=services.settings, now=services.clock.now()
        )
    assert not link.pasted_back
    state = parse_qs(urlsplit(link.url).query)["state"][0]
    google.token_endpoint.answers.append((200, token_response(email=f"ivan@{DOMAIN}", client_id=CLIENT_ID)))
    google.queue(ok(calendar_list_entry(f"ivan@{DOMAIN}", "Asia/Makassar")))

    transport = httpx.ASGITransport(app=create_app(services))
    async with httpx.AsyncClient(transport=transport, base_url="https://realty.example.com") as http:
        page = await http.get("/oauth/google/callback", params={"state": state, "code": "4/0Ab-cb"})
        again = await http.get("/oauth/google/callback", params={"state": state, "code": "4/0Ab-cb"})
        stateless = await http.get("/oauth/google/callback", params={"code": "4/0Ab-cb"})

    assert page.status_code == 200 and "Calendar connected ✓" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert again.status_code == 404  # the state is spent
    assert stateless.status_code == 400 and stateless.headers["Cache-Control"] == "no-store"
    assert api.sent_texts(chat_id=user)[-1].startswith("Календарь подключен ✓")
    assert google.token_endpoint.form()["redirect_uri"] == "https://realty.example.com/oauth/google/callback"


async def test_the_rep_answers_how_the_viewing_went(
    driver: BotDriver, api: FakeTelegramAPI, services: Services, clock: FrozenClock
) -> None:
    rep = await active_rep(services.database)
    user = rep.telegram_id
    async with services.database.session() as session:
        tenant = (await session.execute(select(Tenant))).scalar_one()
        lead = Lead(
            tenant_id=tenant.id, name="Мария", language="ru", status="viewing_scheduled", phone="+79160000000"
        )
        session.add(lead)
        await session.flush()
        ended = clock.now() - timedelta(hours=1)
        viewing = Viewing(
            tenant_id=tenant.id,
            lead_id=lead.id,
            property_id=await add_viewable_listing(session, tenant.id),
            rep_id=rep.id,
            starts_at=ended - timedelta(hours=1),
            ends_at=ended,
            time_zone="Asia/Makassar",
            status="scheduled",
            extra={},
        )
        session.add(viewing)
        await session.flush()

    answer = await driver.text(user, "Не пришла, не отвечает на звонки")

    assert answer[-1].text == "Спасибо, записал для Мария: не пришёл."
    async with services.database.session() as session:
        stored = await session.get(Viewing, viewing.id)
        lead_now = await session.get(Lead, lead.id)
    assert stored is not None and stored.status == "no_show" and stored.outcome == "no_show"
    assert lead_now is not None and lead_now.status == "contact_captured"
    # With nothing left to answer, the same words go to the onboarding conversation as usual.
    assert (await driver.text(user, "не пришёл"))[-1].text != answer[-1].text


async def test_a_denied_consent_is_explained_to_the_rep(services: Services, api: FakeTelegramAPI) -> None:
    rep = await active_rep(services.database)
    async with services.database.session() as session:
        link = await connection.start(
            session, rep, tenant=None, settings=services.settings, now=services.clock.now()
        )
    state = parse_qs(urlsplit(link.url).query)["state"][0]
    desk = CalendarDesk(services)

    answer, connected = await desk.on_callback(state, None, "access_denied")

    assert not connected and answer is not None and answer.chat_id == rep.telegram_id
    assert answer.texts == [
        "Google сообщает, что доступ не разрешён. Откройте ссылку ещё раз и нажмите «Разрешить»."
    ]
    assert await desk.on_callback("no-such-state", "4/0Ab", None) == (None, False)


async def test_words_without_a_finished_viewing_are_left_to_the_conversation(services: Services) -> None:
    rep = await active_rep(services.database)
    desk = CalendarDesk(services)
    assert await desk.on_outcome_answer(rep.telegram_id, "не пришёл") is None
    assert await desk.on_outcome_answer(rep.telegram_id, "Хочу обновить e-mail") is None
