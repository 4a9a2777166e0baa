"""`realty transcripts grade` judges the agent's own words: listing titles (in any language the catalog gives
them) are names, left out of the language check as the eval harness leaves them out."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from agent.services.provider import Services
from evals.transcripts import export_transcripts, grade_language, grade_listing_facts
from storage.db import Database
from storage.models import Property
from storage.repositories.leads import LeadRepository
from storage.repositories.tenants import TenantRepository

RUSSIAN_TITLE = "Вилла с видом на рисовые поля в Переренане"


def conversation(
    language: str, lead_says: str, replies: list[str], listings: list[dict[str, Any]]
) -> dict[str, Any]:
    messages: list[dict[str, Any]] = [
        {"at": "2026-03-02T10:00:00+00:00", "direction": "inbound", "type": "message", "text": lead_says}
    ]
    messages += [
        {"at": "2026-03-02T10:00:01+00:00", "direction": "outbound", "type": "message", "text": reply}
        for reply in replies
    ]
    return {"language": language, "messages": messages, "listings": listings}


def test_a_title_in_another_language_does_not_fail_the_reply() -> None:
    reply = (
        f"Here is what I found for you:\n1. 3-bedroom villa in Canggu — “{RUSSIAN_TITLE}” — 465K USD · 240 m²"
    )
    listing = {"title": RUSSIAN_TITLE, "price": 465000, "bedrooms": 3}
    graded = grade_language(conversation("en", "a villa in Canggu please", [reply], [listing]))
    assert graded.passed is True, graded.detail
    # an export from before `titles` existed carries only `title`; one with `titles` names every language
    both = {"title": "Quiet villa", "titles": ["Quiet villa", RUSSIAN_TITLE]}
    assert grade_language(conversation("en", "a villa please", [reply], [both])).passed is True


def test_the_agents_own_words_in_another_language_still_fail() -> None:
    listing = {"title": RUSSIAN_TITLE}
    reply = f"Вот что я нашёл: {RUSSIAN_TITLE}"
    graded = grade_language(conversation("en", "a villa in Canggu please", [reply], [listing]))
    assert graded.passed is False and "0/1" in graded.detail


def test_localized_amounts_are_read_as_prices() -> None:
    listing = {"title": "Quiet villa in Berawa", "price": 425000, "bedrooms": 3}
    for line in (
        "1. Quiet villa in Berawa — 425 тыс. USD",
        "1. Quiet villa in Berawa — 425 هزار USD",
        "1. Quiet villa in Berawa — 425 ألف USD",
    ):
        assert grade_listing_facts(conversation("ru", "вилла", [line], [listing])).passed is True, line
    wrong = grade_listing_facts(
        conversation("ar", "فيلا", ["1. Quiet villa in Berawa — 380 ألف USD"], [listing])
    )
    assert wrong.passed is False and "380" in wrong.detail


async def test_the_export_names_a_listing_shown_under_its_translated_title(
    services: Services, database: Database
) -> None:
    now = datetime(2026, 3, 2, 10, tzinfo=UTC)
    english = "Villa with rice-field views in Pererenan"
    async with database.session() as session:
        tenant = await TenantRepository(session).create(name="Agency", slug="agency")
        session.add(
            Property(
                tenant_id=tenant.id,
                external_id="V-1",
                title=RUSSIAN_TITLE,
                property_type="villa",
                transaction="sale",
                price=Decimal(465000),
                currency="USD",
                location="Canggu",
                language="ru",
                translations={"en": {"title": english}},
            )
        )
        repo = LeadRepository(session)
        lead = await repo.create(tenant.id, name="Ann", language="en")
        await repo.add_interaction(lead, type="message", direction="inbound", now=now, text="a villa please")
        await repo.add_interaction(
            lead, type="message", direction="outbound", now=now, text=f"1. {english} — 465K USD"
        )
    out = io.StringIO()
    assert await export_transcripts(services, since=datetime(2026, 3, 1), tenant_slug="agency", out=out) == 1
    exported = json.loads(out.getvalue())
    [listing] = exported["listings"]
    assert listing["titles"] == [RUSSIAN_TITLE, english]
    assert grade_language(exported).passed is True
    assert grade_listing_facts(exported).passed is True
