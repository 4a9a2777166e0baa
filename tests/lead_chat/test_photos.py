"""Photos: the lead bot sends a listing's photos as a Telegram album with the listings and on request, and a photo
Telegram refuses never costs the lead their reply (the loopback Bot API speaks sendMediaGroup's wire format)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select, update

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from agent.settings import Settings
from evals.bot_api import ApiCall, FakeTelegramAPI
from storage.db import Database
from storage.models import Property, Tenant
from tests.fakes.realty_bots import bot_settings, running_lead_bot
from tests.sales_support import make_services
from tests.secrets_support import store_lead_bot_token

LEAD_TOKEN = "7301:DEMO-LEAD"
_users = itertools.count(730_000)
PHOTOS = {
    "BDH-CGU-001": [f"https://photos.example.com/berawa/{n}.jpg" for n in range(1, 4)],
    "BDH-CGU-002": ["https://photos.example.com/pererenan/1.jpg"],
    "BDH-CGU-012": ["https://photos.example.com/batu-bolong/1.jpg"],
}


@pytest.fixture
async def services(
    settings: Settings, database: Database, sales_clock: FrozenClock, api: FakeTelegramAPI
) -> AsyncIterator[Services]:
    running = make_services(bot_settings(settings, api), database, sales_clock)
    async with running.resources:
        yield running


@pytest.fixture
async def pictured(services: Services, demo: Tenant) -> Tenant:
    """The demo agency with its lead bot token and photos on three Canggu villas."""
    async with services.database.session() as session:
        tenant = await session.get(Tenant, demo.id)
        assert tenant is not None
        store_lead_bot_token(tenant, LEAD_TOKEN)
        for external_id, urls in PHOTOS.items():
            await session.execute(
                update(Property).where(Property.external_id == external_id).values(photos=urls)
            )
        return tenant


def _albums(api: FakeTelegramAPI, user: int) -> list[ApiCall]:
    return [c for c in api.calls if c.method in ("sendMediaGroup", "sendPhoto") and c.chat_id == user]


async def test_listings_come_with_their_photos_and_photos_come_on_request(
    services: Services, pictured: Tenant, api: FakeTelegramAPI
) -> None:
    user = next(_users)
    async with running_lead_bot(services, pictured, api, burst_seconds=0.05) as bot:
        await bot.text(user, "I want to buy a villa in Canggu", language_code="en")
        await api.wait_for_messages(1, chat_id=user, token=LEAD_TOKEN)
        [album] = _albums(api, user)
        assert album.method == "sendMediaGroup" and album.result and len(album.result) == 3
        media = album.params["media"]
        assert [m["media"] for m in media] == [urls[0] for urls in PHOTOS.values()]
        assert media[0]["type"] == "photo" and media[0]["caption"].startswith("1. Quiet 3-bedroom pool villa")
        for request in ("send photos of the first one", "фото первой"):
            before = len(_albums(api, user))
            sent = len(api.sent(chat_id=user))
            await bot.text(user, request, language_code="en")
            await api.wait_for_messages(sent + 1, chat_id=user, token=LEAD_TOKEN)
            album = _albums(api, user)[before]
            assert [m["media"] for m in album.params["media"]] == PHOTOS["BDH-CGU-001"]


async def test_a_photo_telegram_refuses_leaves_the_reply_and_a_short_note(
    services: Services, pictured: Tenant, api: FakeTelegramAPI, database: Database
) -> None:
    api.refused_urls.add(PHOTOS["BDH-CGU-001"][1])
    user = next(_users)
    async with running_lead_bot(services, pictured, api, burst_seconds=0.05) as bot:
        await bot.text(user, "I want to buy a villa in Canggu", language_code="en")
        await api.wait_for_messages(1, chat_id=user, token=LEAD_TOKEN)
        await bot.text(user, "Can you send photos of the first one?", language_code="en")
        replies = await api.wait_for_messages(2, chat_id=user, token=LEAD_TOKEN)
    refused = [c for c in _albums(api, user) if c.result is None]
    assert len(refused) == 1
    assert "Photos of Quiet 3-bedroom pool villa in Berawa are below." in replies[-1].text
    assert replies[-1].text.endswith("I couldn't send the photos just now; our agent can share them.")
    async with database.session() as session:
        listing = (
            await session.execute(select(Property).where(Property.external_id == "BDH-CGU-001"))
        ).scalar_one()
    assert listing.photos == PHOTOS["BDH-CGU-001"]  # the turn went on: nothing was changed or lost
