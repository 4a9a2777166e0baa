"""Viewings end to end: booking on the embedded calendar with .ics to both sides, on a connected Google
Calendar with Meet, with Zoom links, a token revoked mid-booking, races the database decides, reschedules,
cancels, and reminders at the right moments — Telegram, Google and Zoom all stand-ins, never the network."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest
from cryptography.fernet import Fernet
from icalendar import Calendar
from pydantic import SecretStr
from sqlalchemy import func, select

from agent.adapters.crypto import encrypt_token
from agent.adapters.embeddings import HashingEmbedder
from agent.adapters.google import event_id_for
from agent.core.clock import FrozenClock
from agent.services.calendars import reminders
from agent.services.calendars.notify import Change, lead_invitation
from agent.services.calendars.service import CalendarProviders
from agent.services.jobs.dispatch import dispatch_due
from agent.services.provider import Services
from agent.settings import Settings
from evals.bot_api import ApiCall, FakeTelegramAPI
from storage.db import Database
from storage.models import FollowUpSend, Lead, SalesRepresentative, Tenant, Viewing, ViewingBlock
from storage.repositories.listings import ListingRecord, upsert_listings
from tests.fakes.google_api import (
    GoogleStub,
    event,
    freebusy,
    invalid_grant,
    no_content,
    ok,
)
from tests.fakes.zoom_api import CREDENTIALS, zoom_api
from tests.jobs_support import LEAD_BOT, TEAM_BOT, job_context_on, reload
from tests.secrets_support import TEST_TOKEN_ENCRYPTION_KEY, lead_bot_columns
from tools.booking import book_viewing
from tools.context import LeadContext, call_tool
from tools.viewings_change import cancel_viewing, reschedule_viewing

MONDAY_10_BALI = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
WEDNESDAY_15_BALI = datetime(2026, 3, 4, 7, 0, tzinfo=UTC)
REP_CHAT = 9100
LEAD_CHAT = 7001


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(MONDAY_10_BALI)


@pytest.fixture
async def services(
    settings: Settings, database: Database, clock: FrozenClock, api: FakeTelegramAPI, google: GoogleStub
) -> AsyncIterator[Services]:
    configured = settings.model_copy(
        update={
            "registry_bot_token": SecretStr(TEAM_BOT),
            "telegram_api_base_url": api.base_url,
            "telegram_file_base_url": api.file_base_url,
            # the new key encrypts; the session's (which stored the lead bot's token) still decrypts: a rotation
            "token_encryption_key": SecretStr(
                f"{Fernet.generate_key().decode()},{TEST_TOKEN_ENCRYPTION_KEY.get_secret_value()}"
            ),
        }
    )
    services = Services(
        settings=configured,
        database=database,
        clock=clock,
        embedder=HashingEmbedder(),
        calendars=CalendarProviders(google=google.transport),
    )
    try:
        yield services
    finally:
        await services.resources.aclose()


async def agency(database: Database, **fields: Any) -> Tenant:
    async with database.session() as session:
        tenant = Tenant(
            name="Bali Homes",
            slug=fields.pop("slug", "bali"),
            time_zone="Asia/Makassar",
            **lead_bot_columns(LEAD_BOT),
            **fields,
        )
        session.add(tenant)
        await session.flush()
        await upsert_listings(
            session,
            tenant.id,
            [
                ListingRecord(
                    external_id="v1",
                    title="Villa Sunset",
                    property_type="villa",
                    transaction="sale",
                    price=Decimal(450_000),
                    currency="USD",
                    location="Canggu",
                    address="Jl. Pantai Berawa 12, Canggu",
                )
            ],
            HashingEmbedder(),
        )
        return tenant


async def listing_id(database: Database, tenant: Tenant) -> int:
    from storage.models import Property

    async with database.session() as session:
        return int(
            (await session.execute(select(Property.id).where(Property.tenant_id == tenant.id))).scalar_one()
        )


async def agent(database: Database, tenant: Tenant, **fields: Any) -> SalesRepresentative:
    async with database.session() as session:
        rep = SalesRepresentative(
            tenant_id=tenant.id,
            telegram_id=fields.pop("telegram_id", REP_CHAT),
            telegram_chat_id=fields.pop("telegram_chat_id", REP_CHAT),
            name=fields.pop("name", "Anna Smirnova"),
            email=fields.pop("email", "anna@acme-realty.com"),
            status="active",
            language="ru",
            time_zone="Asia/Makassar",
            working_hours={},
            **fields,
        )
        session.add(rep)
        await session.flush()
        return rep


async def lead_of(services: Services, tenant: Tenant, **fields: Any) -> LeadContext:
    values: dict[str, Any] = {
        "telegram_user_id": LEAD_CHAT,
        "telegram_chat_id": LEAD_CHAT,
        "name": "Иван Петров",
        "phone": "+79161234567",
        "language": "ru",
        "time_zone": "Europe/Moscow",
        "status": "contact_captured",
        **fields,
    }
    async with services.database.session() as session:
        lead = Lead(tenant_id=tenant.id, **values)
        session.add(lead)
        await session.flush()
        return LeadContext(services=services, tenant_id=tenant.id, lead_id=lead.id)


def documents(api: FakeTelegramAPI, token: str) -> list[ApiCall]:
    return api.calls_of("sendDocument", token=token)


def ics_of(call: ApiCall) -> tuple[Calendar, Any]:
    data = next(iter(call.files.values()))
    calendar = Calendar.from_ical(data)
    return calendar, calendar.walk("VEVENT")[0]


async def count(database: Database, model: type, **where: Any) -> int:
    async with database.session() as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int((await session.execute(query)).scalar_one())


async def ledger(database: Database) -> list[FollowUpSend]:
    async with database.session() as session:
        return list(
            (
                await session.execute(select(FollowUpSend).order_by(FollowUpSend.due_at, FollowUpSend.id))
            ).scalars()
        )


# --- The embedded default ------------------------------------------------------------------------------


async def test_the_embedded_default_books_moves_and_cancels_with_ics_to_both_sides(
    services: Services, api: FakeTelegramAPI, clock: FrozenClock
) -> None:
    tenant = await agency(services.database)
    await agent(services.database, tenant)
    ctx = await lead_of(services, tenant)
    property_id = await listing_id(services.database, tenant)

    booked = await call_tool(book_viewing, ctx, property_id=property_id, when="2026-03-04T15:00")

    assert booked["status"] == "booked" and booked["viewing"]["starts_at"] == WEDNESDAY_15_BALI.isoformat()
    viewing = await reload(services.database, Viewing, booked["viewing"]["id"])
    assert isinstance(viewing, Viewing) and viewing.extra["calendar"] == "internal"
    lead = await reload(services.database, Lead, ctx.lead_id)
    assert isinstance(lead, Lead) and lead.status == "viewing_scheduled"

    # The rep: a note from the team bot on their clock, with the invitation.
    [to_rep] = documents(api, TEAM_BOT)
    assert to_rep.chat_id == REP_CHAT
    assert to_rep.params["caption"].startswith(
        "Новый просмотр: Villa Sunset, ср, 4 мар., 15:00 (Asia/Makassar)"
    )
    calendar, vevent = ics_of(to_rep)
    assert calendar["METHOD"] == "REQUEST" and vevent["SEQUENCE"] == 0
    assert (
        vevent.decoded("DTSTART") == WEDNESDAY_15_BALI
        and str(vevent["DTSTART"].params["TZID"]) == "Asia/Makassar"
    )
    assert str(vevent["LOCATION"]) == "Jl. Pantai Berawa 12, Canggu"
    # The lead: nothing from the tool itself (the agent's reply says it, with this .ics attached: one message),
    # the same invitation on their own (Moscow) clock.
    assert documents(api, LEAD_BOT) == []
    lead_ics = await lead_invitation(services, viewing.id, Change.BOOKED)
    assert lead_ics is not None and lead_ics[0] == f"viewing-{viewing.id}.ics"
    lead_event = Calendar.from_ical(lead_ics[1]).walk("VEVENT")[0]
    assert str(lead_event["DTSTART"].params["TZID"]) == "Europe/Moscow"
    assert lead_event["UID"] == vevent["UID"] == f"viewing-{viewing.id}@bali.realty-agent"

    moved = await call_tool(reschedule_viewing, ctx, when="2026-03-06T11:00")
    assert moved["status"] == "moved" and "пт, 6 мар., 06:00 (Europe/Moscow)" in moved["message"]
    assert await count(services.database, ViewingBlock, viewing_id=viewing.id) == 4
    _, moved_event = ics_of(documents(api, TEAM_BOT)[-1])
    assert moved_event["UID"] == vevent["UID"] and moved_event["SEQUENCE"] == 1
    assert moved_event.decoded("DTSTART") == datetime(2026, 3, 6, 3, 0, tzinfo=UTC)
    assert documents(api, TEAM_BOT)[-1].params["caption"].startswith("Просмотр перенесён")

    cancelled = await call_tool(cancel_viewing, ctx)
    assert cancelled["status"] == "cancelled"
    cancel_ics = await lead_invitation(services, viewing.id, Change.CANCELLED)
    assert cancel_ics is not None and documents(api, LEAD_BOT) == []
    calendar = Calendar.from_ical(cancel_ics[1])
    cancel_event = calendar.walk("VEVENT")[0]
    assert (
        calendar["METHOD"] == "CANCEL"
        and cancel_event["UID"] == vevent["UID"]
        and cancel_event["SEQUENCE"] == 2
    )
    assert await count(services.database, ViewingBlock) == 0
    lead = await reload(services.database, Lead, ctx.lead_id)
    assert isinstance(lead, Lead) and lead.status == "contact_captured"  # follow-ups may resume
    assert {s.status for s in await ledger(services.database)} == {"cancelled"}
    assert (await call_tool(cancel_viewing, ctx))["status"] == "no_viewing"


async def test_a_reschedule_to_a_busy_time_offers_the_reps_free_times(services: Services) -> None:
    tenant = await agency(services.database)
    await agent(services.database, tenant)
    first = await lead_of(services, tenant)
    second = await lead_of(services, tenant, telegram_user_id=7002, telegram_chat_id=7002, name="Maria")
    await call_tool(
        book_viewing, first, property_id=await listing_id(services.database, tenant), when="2026-03-04T15:00"
    )
    await call_tool(
        book_viewing, second, property_id=await listing_id(services.database, tenant), when="2026-03-05T11:00"
    )

    answer = await call_tool(reschedule_viewing, first, when="2026-03-05T11:30")  # overlaps Maria's viewing

    assert answer["status"] == "needs_time"
    assert (
        "2026-03-05T11:00+08:00" not in answer["options"]
        and "2026-03-05T11:30+08:00" not in answer["options"]
    )
    assert all(option.endswith("(Europe/Moscow)") for option in answer["options_for_lead"])
    viewing = await reload(services.database, Viewing, 1)
    assert isinstance(viewing, Viewing) and viewing.starts_at == WEDNESDAY_15_BALI  # unchanged


async def test_a_lead_with_nothing_booked_is_told_so(services: Services) -> None:
    tenant = await agency(services.database)
    ctx = await lead_of(services, tenant)
    assert (await call_tool(reschedule_viewing, ctx, when="2026-03-05T11:00"))[
        "message"
    ] == "Предстоящих просмотров нет, менять нечего."


# --- Races the database decides ------------------------------------------------------------------------


async def test_two_leads_booking_the_same_second_get_one_viewing(services: Services) -> None:
    tenant = await agency(services.database)
    await agent(services.database, tenant)
    leads = [
        await lead_of(services, tenant, telegram_user_id=7000 + n, telegram_chat_id=7000 + n)
        for n in range(1, 5)
    ]

    villa = await listing_id(services.database, tenant)
    answers = await asyncio.gather(
        *(call_tool(book_viewing, ctx, property_id=villa, when="2026-03-04T15:00") for ctx in leads)
    )

    assert sorted(a["status"] for a in answers) == ["booked", "needs_time", "needs_time", "needs_time"]
    assert await count(services.database, Viewing) == 1
    assert await count(services.database, ViewingBlock) == 4


async def test_a_reschedule_racing_a_booking_for_the_same_slot_loses_or_wins_cleanly(
    services: Services,
) -> None:
    tenant = await agency(services.database)
    await agent(services.database, tenant)
    mover = await lead_of(services, tenant)
    booker = await lead_of(services, tenant, telegram_user_id=7002, telegram_chat_id=7002)
    await call_tool(
        book_viewing, mover, property_id=await listing_id(services.database, tenant), when="2026-03-04T15:00"
    )

    moved, booked = await asyncio.gather(
        call_tool(reschedule_viewing, mover, when="2026-03-05T10:00"),
        call_tool(
            book_viewing,
            booker,
            property_id=await listing_id(services.database, tenant),
            when="2026-03-05T10:00",
        ),
    )

    assert sorted((moved["status"], booked["status"])) in (["booked", "needs_time"], ["moved", "needs_time"])
    async with services.database.session() as session:
        thursday = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)
        holders = (
            await session.execute(select(ViewingBlock.viewing_id).where(ViewingBlock.block_start == thursday))
        ).all()
    assert len(holders) == 1
    # Whoever won, every live viewing holds exactly its own hour.
    assert await count(services.database, ViewingBlock) == 4 * await count(services.database, Viewing)


# --- Google Calendar -----------------------------------------------------------------------------------


def connect(rep: SalesRepresentative, settings: Settings) -> None:
    rep.calendar_connected = True
    rep.calendar_account_name = rep.email
    rep.google_token_encrypted = encrypt_token(
        {"token": "ya29.valid", "refresh_token": "1//refresh", "expiry": "2100-01-01T00:00:00+00:00"},
        settings,
    )


async def test_a_connected_rep_gets_a_google_event_with_meet_and_the_lead_invited(
    services: Services, api: FakeTelegramAPI, google: GoogleStub
) -> None:
    services.settings = services.settings.model_copy(
        update={"google_client_id": "cid.apps.googleusercontent.com", "google_client_secret": SecretStr("s")}
    )
    tenant = await agency(services.database, meeting_provider="google_meet")
    async with services.database.session() as session:
        rep = await agent(services.database, tenant)
        rep = await session.get(SalesRepresentative, rep.id)  # type: ignore[assignment]
        connect(rep, services.settings)
    ctx = await lead_of(services, tenant, email="ivan@example.com")
    busy_from = datetime(2026, 3, 4, 6, 30, tzinfo=UTC)  # the rep's dentist, 14:30-15:30 Bali time
    google.queue(
        ok(
            freebusy(
                MONDAY_10_BALI,
                MONDAY_10_BALI + timedelta(days=14),
                [(busy_from, busy_from + timedelta(hours=1))],
            )
        )
    )

    taken = await call_tool(
        book_viewing,
        ctx,
        property_id=await listing_id(services.database, tenant),
        when="2026-03-04T15:00",
        online=True,
    )
    assert taken["status"] == "needs_time"  # Google says the rep is busy then
    assert "2026-03-04T15:00+08:00" not in taken["options"]

    google.queue(ok(freebusy(MONDAY_10_BALI, MONDAY_10_BALI + timedelta(days=14), [])))
    google.queue(
        ok(
            event(
                event_id_for("bali:viewing:1"),
                summary="Просмотр: объект — Иван Петров",
                start="2026-03-04T16:00:00+08:00",
                end="2026-03-04T17:00:00+08:00",
                time_zone="Asia/Makassar",
                organizer="anna@acme-realty.com",
                attendees=["ivan@example.com"],
                meet_code="abc-defg-hij",
            )
        )
    )
    booked = await call_tool(
        book_viewing,
        ctx,
        property_id=await listing_id(services.database, tenant),
        when="2026-03-04T16:00",
        online=True,
    )

    assert (
        booked["status"] == "booked"
        and booked["viewing"]["meeting_link"] == "https://meet.google.com/abc-defg-hij"
    )
    insert = google.body(-1)
    assert insert["attendees"] == [{"email": "ivan@example.com", "displayName": "Иван Петров"}]
    assert insert["conferenceData"]["createRequest"]["conferenceSolutionKey"]["type"] == "hangoutsMeet"
    assert insert["start"] == {"dateTime": "2026-03-04T16:00:00+08:00", "timeZone": "Asia/Makassar"}
    viewing = await reload(services.database, Viewing, booked["viewing"]["id"])
    assert isinstance(viewing, Viewing)
    assert (
        viewing.calendar_event_id == event_id_for("bali:viewing:1")
        and viewing.meeting_provider == "google_meet"
    )
    # Google e-mailed the lead the invitation: the lead bot sends no .ics; the rep gets a plain note.
    assert documents(api, LEAD_BOT) == [] and documents(api, TEAM_BOT) == []
    assert "https://meet.google.com/abc-defg-hij" in api.sent_texts(chat_id=REP_CHAT, token=TEAM_BOT)[-1]

    google.queue(
        ok(freebusy(MONDAY_10_BALI, MONDAY_10_BALI + timedelta(days=14), [])),
        ok(
            event(
                viewing.calendar_event_id,
                summary="x",
                start="2026-03-05T10:00:00+08:00",
                end="2026-03-05T11:00:00+08:00",
                time_zone="Asia/Makassar",
                organizer="anna@acme-realty.com",
                meet_code="abc-defg-hij",
                sequence=1,
            )
        ),
    )
    assert (await call_tool(reschedule_viewing, ctx, when="2026-03-05T10:00"))["status"] == "moved"
    uri, method, _, _ = google.requests[-1]
    assert method == "PATCH" and urlsplit(uri).path.endswith(f"/events/{viewing.calendar_event_id}")
    assert google.body(-1)["start"]["dateTime"] == "2026-03-05T10:00:00+08:00"

    google.queue(no_content())
    assert (await call_tool(cancel_viewing, ctx))["status"] == "cancelled"
    assert google.requests[-1][1] == "DELETE"


async def test_a_token_revoked_mid_booking_falls_back_to_the_internal_calendar(
    services: Services, api: FakeTelegramAPI, google: GoogleStub
) -> None:
    services.settings = services.settings.model_copy(
        update={"google_client_id": "cid.apps.googleusercontent.com", "google_client_secret": SecretStr("s")}
    )
    tenant = await agency(services.database)
    async with services.database.session() as session:
        rep = await agent(services.database, tenant)
        rep = await session.get(SalesRepresentative, rep.id)  # type: ignore[assignment]
        connect(rep, services.settings)
        rep.google_token_encrypted = encrypt_token(
            {"token": "ya29.old", "refresh_token": "1//revoked", "expiry": "2020-01-01T00:00:00+00:00"},
            services.settings,
        )
    ctx = await lead_of(services, tenant)
    google.queue(invalid_grant())

    booked = await call_tool(
        book_viewing, ctx, property_id=await listing_id(services.database, tenant), when="2026-03-04T15:00"
    )

    assert booked["status"] == "booked"
    rep_now = await reload(services.database, SalesRepresentative, rep.id)
    assert isinstance(rep_now, SalesRepresentative)
    assert not rep_now.calendar_connected and rep_now.google_token_encrypted is None
    viewing = await reload(services.database, Viewing, booked["viewing"]["id"])
    assert (
        isinstance(viewing, Viewing)
        and viewing.extra["calendar"] == "internal"
        and viewing.calendar_event_id is None
    )
    [note] = documents(api, TEAM_BOT)  # the internal calendar's .ics, and a request to reconnect
    assert "Доступ к вашему Google Календарю истёк" in note.params["caption"]
    assert (
        await lead_invitation(services, viewing.id, Change.BOOKED) is not None
    )  # the lead's reply carries it


# --- Zoom ------------------------------------------------------------------------------------------


async def test_an_online_viewing_gets_a_zoom_meeting_that_follows_the_viewing(
    services: Services, api: FakeTelegramAPI
) -> None:
    services.settings = services.settings.model_copy(
        update={
            "zoom_account_id": CREDENTIALS.account_id,
            "zoom_client_id": CREDENTIALS.client_id,
            "zoom_client_secret": SecretStr(CREDENTIALS.client_secret),
        }
    )
    services.calendars = CalendarProviders.from_settings(
        services.settings, services.clock, services.resources
    )
    tenant = await agency(services.database, meeting_provider="zoom")
    await agent(services.database, tenant)
    ctx = await lead_of(services, tenant)

    with zoom_api() as zoom:
        assert services.calendars.zoom is not None
        booked = await call_tool(
            book_viewing,
            ctx,
            property_id=await listing_id(services.database, tenant),
            when="2026-03-04T15:00",
            online=True,
        )
        assert booked["viewing"]["meeting_link"].startswith("https://us05web.zoom.us/j/85746065432")
        assert zoom.created_for == ["me"] and zoom.created[0]["topic"].endswith("— Anna Smirnova")
        assert zoom.created[0]["start_time"] == "2026-03-04T07:00:00Z"
        _, vevent = ics_of(documents(api, TEAM_BOT)[0])
        assert str(vevent["URL"]).startswith("https://us05web.zoom.us/j/")

        await call_tool(reschedule_viewing, ctx, when="2026-03-06T11:00")
        assert (
            zoom.updated[0][0] == "85746065432" and zoom.updated[0][1]["start_time"] == "2026-03-06T03:00:00Z"
        )
        await call_tool(cancel_viewing, ctx)
        assert zoom.deleted == ["85746065432"]


# --- Reminders -------------------------------------------------------------------------------------


async def test_reminders_go_out_at_the_right_moments_in_each_persons_language_and_zone(
    services: Services, api: FakeTelegramAPI, clock: FrozenClock, settings: Settings
) -> None:
    tenant = await agency(services.database)
    rep = await agent(services.database, tenant)
    ctx = await lead_of(services, tenant)
    await call_tool(
        book_viewing, ctx, property_id=await listing_id(services.database, tenant), when="2026-03-04T15:00"
    )

    planned = {s.step_key: s.due_at for s in await ledger(services.database)}
    assert planned == {
        "reminder:1.0:24h": WEDNESDAY_15_BALI - timedelta(hours=24),
        "reminder:1.0:24h:rep": WEDNESDAY_15_BALI - timedelta(hours=24),
        "reminder:1.0:1h": WEDNESDAY_15_BALI - timedelta(hours=1),
        "reminder:1.0:1h:rep": WEDNESDAY_15_BALI - timedelta(hours=1),
        "reminder:1.0:outcome": WEDNESDAY_15_BALI + timedelta(minutes=90),
    }

    async with job_context_on(services.database, services.settings, api, clock) as jobs:

        async def at(moment: datetime) -> tuple[list[str], list[str]]:
            clock.set(moment)
            api.reset_calls()
            await dispatch_due(jobs, moment)
            return api.sent_texts(chat_id=LEAD_CHAT, token=LEAD_BOT), api.sent_texts(
                chat_id=REP_CHAT, token=TEAM_BOT
            )

        assert await at(WEDNESDAY_15_BALI - timedelta(hours=24, minutes=1)) == ([], [])
        to_lead, to_rep = await at(WEDNESDAY_15_BALI - timedelta(hours=24))
        assert to_lead == [
            "Напоминание: просмотр Villa Sunset завтра, ср, 4 мар., 10:00 (Europe/Moscow), агент Anna Smirnova.\n"
            "Адрес: Jl. Pantai Berawa 12, Canggu"
        ]
        assert to_rep == [
            "Завтра: просмотр Villa Sunset, клиент Иван Петров (+79161234567), ср, 4 мар., 15:00 (Asia/Makassar).\n"
            "Адрес: Jl. Pantai Berawa 12, Canggu"
        ]
        assert await at(WEDNESDAY_15_BALI - timedelta(hours=2)) == ([], [])
        to_lead, to_rep = await at(WEDNESDAY_15_BALI - timedelta(hours=1))
        assert to_lead[0].startswith("Просмотр Villa Sunset через час, ср, 4 мар., 10:00 (Europe/Moscow)")
        assert to_rep[0].startswith("Через час: просмотр Villa Sunset")
        assert await at(WEDNESDAY_15_BALI + timedelta(minutes=89)) == ([], [])
        to_lead, to_rep = await at(WEDNESDAY_15_BALI + timedelta(minutes=90))
        assert to_lead == [] and to_rep[0].startswith(
            "Как прошёл просмотр Villa Sunset с клиентом Иван Петров"
        )

    # The rep answers; the lead's status and score follow.
    async with services.database.session() as session:
        rep_row = await session.get(SalesRepresentative, rep.id)
        assert rep_row is not None
        outcome = reminders.parse_outcome("Клиент заинтересован, хочет второй просмотр")
        assert outcome is reminders.Outcome.INTERESTED
        recorded = await reminders.record_outcome(session, rep_row, outcome, clock.now())
        assert recorded is not None and recorded.viewing.status == "completed"
        assert recorded.lead.status == "handed_off" and recorded.lead.urgency_mentions == 1
        assert recorded.lead.scored_at == clock.now()
        assert await reminders.record_outcome(session, rep_row, outcome, clock.now()) is None


async def test_a_moved_viewing_never_sends_the_old_reminders(
    services: Services, api: FakeTelegramAPI, clock: FrozenClock
) -> None:
    tenant = await agency(services.database)
    await agent(services.database, tenant)
    ctx = await lead_of(services, tenant)
    await call_tool(
        book_viewing, ctx, property_id=await listing_id(services.database, tenant), when="2026-03-04T15:00"
    )
    await call_tool(reschedule_viewing, ctx, when="2026-03-06T11:00")

    by_key = {s.step_key: s for s in await ledger(services.database)}
    assert by_key["reminder:1.0:24h"].status == "cancelled" and by_key["reminder:1.1:24h"].status == "pending"
    assert by_key["reminder:1.1:24h"].due_at == datetime(2026, 3, 5, 3, 0, tzinfo=UTC)

    async with job_context_on(services.database, services.settings, api, clock) as jobs:
        clock.set(WEDNESDAY_15_BALI - timedelta(hours=1))
        api.reset_calls()
        await dispatch_due(jobs, clock.now())
        assert api.sent_texts(chat_id=LEAD_CHAT, token=LEAD_BOT) == []
        # 24 h before is 11:00 for the rep in Bali but 06:00 for the lead in Moscow: the rep hears now,
        # the lead once their quiet hours end at 08:00 Moscow time.
        clock.set(datetime(2026, 3, 5, 3, 0, tzinfo=UTC))
        await dispatch_due(jobs, clock.now())
        assert api.sent_texts(chat_id=LEAD_CHAT, token=LEAD_BOT) == []
        assert api.sent_texts(chat_id=REP_CHAT, token=TEAM_BOT)[0].startswith("Завтра: просмотр Villa Sunset")
        clock.set(datetime(2026, 3, 5, 5, 0, tzinfo=UTC))
        await dispatch_due(jobs, clock.now())
        assert api.sent_texts(chat_id=LEAD_CHAT, token=LEAD_BOT)[0].startswith(
            "Напоминание: просмотр Villa Sunset завтра, пт, 6 мар., 06:00 (Europe/Moscow)"
        )


async def test_a_booking_made_the_same_morning_skips_the_24h_reminder(services: Services) -> None:
    tenant = await agency(services.database)
    await agent(services.database, tenant)
    ctx = await lead_of(services, tenant)
    await call_tool(
        book_viewing, ctx, property_id=await listing_id(services.database, tenant), when="2026-03-02T15:00"
    )  # five hours from now
    assert sorted(s.step_key for s in await ledger(services.database)) == [
        "reminder:1.0:1h",
        "reminder:1.0:1h:rep",
        "reminder:1.0:outcome",
    ]


async def test_a_no_show_sends_the_lead_back_to_the_funnel(services: Services, clock: FrozenClock) -> None:
    tenant = await agency(services.database)
    rep = await agent(services.database, tenant)
    ctx = await lead_of(services, tenant)
    await call_tool(
        book_viewing, ctx, property_id=await listing_id(services.database, tenant), when="2026-03-02T15:00"
    )
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    async with services.database.session() as session:
        rep_row = await session.get(SalesRepresentative, rep.id)
        assert rep_row is not None
        outcome = reminders.parse_outcome("не пришёл")
        assert outcome is reminders.Outcome.NO_SHOW
        recorded = await reminders.record_outcome(session, rep_row, outcome, clock.now())
        assert recorded is not None and recorded.viewing.status == "no_show"
        assert recorded.lead.status == "contact_captured"
