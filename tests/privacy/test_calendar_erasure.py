"""An erased lead's viewing in a rep's Google Calendar: the event is rewritten without their name, phone or
e-mail, and they are no longer a guest."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from agent.adapters.crypto import encrypt_token
from agent.core.clock import FrozenClock
from agent.services.calendars.service import CalendarProviders
from agent.services.privacy import Eraser, erase_lead
from agent.services.provider import Services
from agent.settings import Settings
from storage.db import Database
from storage.models import Lead, SalesRepresentative, Tenant, Viewing
from tests.fakes.google_api import GoogleStub, api_error, event, ok
from tests.sales_support import clear_checkpoints
from tests.viewings.conftest import add_viewable_listing

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
NAME, PHONE, EMAIL = "Ivan Petrovsky", "+6281233344455", "ivan.petrovsky@example.com"


@pytest.fixture
def google() -> GoogleStub:
    return GoogleStub()


@pytest.fixture
async def services(settings: Settings, database: Database, google: GoogleStub) -> AsyncIterator[Services]:
    configured = settings.model_copy(
        update={
            "token_encryption_key": SecretStr(Fernet.generate_key().decode()),
            "google_client_id": "cid.apps.googleusercontent.com",
            "google_client_secret": SecretStr("s"),
        }
    )
    running = Services(
        settings=configured,
        database=database,
        clock=FrozenClock(NOW),
        calendars=CalendarProviders(google=google.transport),
    )
    try:
        yield running
    finally:
        await running.resources.aclose()
        await clear_checkpoints(database)


async def lead_with_a_google_viewing(services: Services) -> tuple[Tenant, Lead]:
    """A rep with Google Calendar connected and the lead's viewing on it (event ev-viewing-1)."""
    async with services.database.session() as session:
        tenant = Tenant(name="Bali Homes", slug="bali", time_zone="Asia/Makassar")
        session.add(tenant)
        await session.flush()
        listing_id = await add_viewable_listing(session, tenant.id)
        rep = SalesRepresentative(
            tenant_id=tenant.id,
            telegram_id=601,
            name="Anna Smirnova",
            email="anna@acme-realty.com",
            status="active",
            language="en",
            time_zone="Asia/Makassar",
            calendar_connected=True,
            google_token_encrypted=encrypt_token(
                {"token": "ya29.valid", "refresh_token": "1//r", "expiry": "2100-01-01T00:00:00+00:00"},
                services.settings,
            ),
        )
        lead = Lead(tenant_id=tenant.id, name=NAME, phone=PHONE, email=EMAIL, telegram_user_id=9_200_001)
        session.add_all([rep, lead])
        await session.flush()
        session.add(
            Viewing(
                tenant_id=tenant.id,
                lead_id=lead.id,
                property_id=listing_id,
                rep_id=rep.id,
                starts_at=NOW + timedelta(days=2),
                ends_at=NOW + timedelta(days=2, hours=1),
                time_zone="Asia/Makassar",
                calendar_event_id="ev-viewing-1",
                extra={"calendar": "google", "revision": 0},
            )
        )
    return tenant, lead


async def test_the_reps_calendar_event_forgets_the_erased_lead(
    services: Services, google: GoogleStub
) -> None:
    tenant, lead = await lead_with_a_google_viewing(services)
    google.queue(
        ok(
            event(
                "ev-viewing-1",
                summary="Viewing: Villa Sunset",
                start="2026-03-04T10:00:00+08:00",
                end="2026-03-04T11:00:00+08:00",
                time_zone="Asia/Makassar",
                organizer="anna@acme-realty.com",
            )
        )
    )

    report = await erase_lead(services, tenant.id, lead.id, Eraser(None, "cli"))

    assert report.calendar_events == 1
    uri, method, body, _ = google.requests[-1]
    assert method == "PATCH" and "ev-viewing-1" in uri
    patched = json.loads(body.decode() if isinstance(body, bytes) else body)
    assert patched["attendees"] == []
    written = json.dumps(patched, ensure_ascii=False)
    for secret in (NAME, "Petrovsky", PHONE, EMAIL):
        assert secret not in written
    assert patched["start"]["dateTime"].startswith("2026-03-04T10:00:00")  # the viewing itself is unchanged


async def test_an_event_left_by_an_unreachable_calendar_is_rewritten_by_the_next_erase(
    services: Services, google: GoogleStub
) -> None:
    tenant, lead = await lead_with_a_google_viewing(services)
    google.queue(api_error(503, "backendError", "The service is currently unavailable"))
    first = await erase_lead(services, tenant.id, lead.id, Eraser(None, "cli"))
    assert (first.already_erased, first.calendar_events) == (False, 0)

    google.queue(ok(event("ev-viewing-1", summary="Viewing", start="2026-03-04T10:00:00+08:00",
                          end="2026-03-04T11:00:00+08:00", time_zone="Asia/Makassar",
                          organizer="anna@acme-realty.com")))  # fmt: skip
    second = await erase_lead(services, tenant.id, lead.id, Eraser(None, "cli"))
    assert (second.already_erased, second.calendar_events) == (True, 1)
    uri, method, _, _ = google.requests[-1]
    assert method == "PATCH" and "ev-viewing-1" in uri

    third = await erase_lead(services, tenant.id, lead.id, Eraser(None, "cli"))
    assert third.calendar_events == 0  # done once: nothing is sent to Google again
