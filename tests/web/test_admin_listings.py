"""The listings page (admins): who gets it, and an edit there is what the CLI and the leads' search see."""

from __future__ import annotations

from decimal import Decimal

from agent.adapters.embeddings import HashingEmbedder
from agent.services.provider import Services
from storage.repositories.properties import PropertyFilters, get_property, search_properties
from tests.web.admin_support import add_listing, audit_rows, csrf_of
from tests.web.conftest import SignIn
from tests.web.web_support import ANNA, GLOBAL_ADMIN, OLGA, OTTO, Agencies


async def test_a_rep_is_refused_the_listings_and_the_refusal_is_audited(
    clients: SignIn, agencies: Agencies, web_services: Services
) -> None:
    villa = await add_listing(web_services.database, agencies.tre, "V-1", "Pool villa")
    anna = await clients(agencies.tre, ANNA)
    page = await anna.get("/listings")
    assert page.status_code == 403 and "Pool villa" not in page.text
    edit = await anna.post(f"/listings/{villa}/hide", data={"csrf": await csrf_of(web_services, ANNA)})
    assert edit.status_code == 403
    refusals = await audit_rows(web_services, "web.admin_page")
    assert [(r.actor_telegram_id, r.allowed, r.target) for r in refusals] == [
        (ANNA, False, "/listings"),
        (ANNA, False, f"/listings/{villa}/hide"),
    ]
    async with web_services.database.session() as session:
        listing = await get_property(session, agencies.tre.id, villa)
    assert listing is not None and listing.status == "available"


async def test_an_admin_sees_only_their_agency_and_another_agencys_listing_is_not_found(
    clients: SignIn, agencies: Agencies, web_services: Services
) -> None:
    ours = await add_listing(web_services.database, agencies.tre, "V-1", "Pool villa in Canggu")
    theirs = await add_listing(web_services.database, agencies.other, "M-1", "Moscow flat")
    olga, otto = await clients(agencies.tre, OLGA), await clients(agencies.other, OTTO)
    page = await olga.get("/listings")
    assert page.status_code == 200
    assert "Pool villa in Canggu" in page.text and "Moscow flat" not in page.text
    assert "$425,000" in page.text  # Babel, the viewer's locale
    assert (await otto.get(f"/listings/{ours}")).status_code == 404
    refused = await otto.post(
        f"/listings/{ours}",
        data={
            "csrf": await csrf_of(web_services, OTTO),
            "price": "1",
            "currency": "USD",
            "status": "sold",
            "units": "0",
        },
    )
    assert refused.status_code == 404
    assert (await otto.get(f"/listings/{theirs}")).status_code == 200
    async with web_services.database.session() as session:
        listing = await get_property(session, agencies.tre.id, ours)
    assert listing is not None and (listing.price, listing.status) == (Decimal("425000.00"), "available")


async def test_search_status_filter_and_keyset_pages(
    clients: SignIn, agencies: Agencies, web_services: Services
) -> None:
    for n in range(55):
        await add_listing(
            web_services.database,
            agencies.tre,
            f"A-{n:02}",
            f"Studio {n:02}",
            status="sold" if n == 7 else "available",
        )
    olga = await clients(agencies.tre, OLGA)
    first = await olga.get("/listings")
    assert "Studio 00" in first.text and "Studio 49" in first.text and "Studio 50" not in first.text
    assert 'rel="next"' in first.text
    following = first.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    second = await olga.get(following)
    assert "Studio 50" in second.text and "Studio 54" in second.text and "Studio 49" not in second.text
    assert 'rel="next"' not in second.text
    sold = await olga.get("/listings", params={"status": "sold"})
    assert "Studio 07" in sold.text and "Studio 08" not in sold.text
    by_ref = await olga.get("/listings", params={"q": "A-12"})
    assert "Studio 12" in by_ref.text and "Studio 13" not in by_ref.text
    by_title = await olga.get("/listings", params={"q": "studio 3"})
    assert "Studio 31" in by_title.text and "Studio 21" not in by_title.text


async def test_an_edit_through_the_page_is_what_leads_and_the_cli_see(
    clients: SignIn, agencies: Agencies, web_services: Services
) -> None:
    database = web_services.database
    villa = await add_listing(database, agencies.tre, "V-1", "Pool villa in Canggu")
    studio = await add_listing(
        database, agencies.tre, "A-1", "Studio in Seminyak", property_type="apartment", price=Decimal(950)
    )
    olga = await clients(agencies.tre, OLGA)
    csrf = await csrf_of(web_services, OLGA)
    form = await olga.get(f"/listings/{villa}")
    assert form.status_code == 200 and 'name="price"' in form.text and 'value="425000"' in form.text

    saved = await olga.post(
        f"/listings/{villa}",
        data={"csrf": csrf, "price": "399,000", "currency": "eur", "status": "available", "units": "3"},
    )
    assert saved.status_code == 303 and saved.headers["location"].startswith(
        f"/listings?done=saved&listing={villa}"
    )
    after = await olga.get(saved.headers["location"])
    assert "Pool villa in Canggu: saved." in after.text and "€399,000" in after.text

    sold = await olga.post(
        f"/listings/{studio}",
        data={"csrf": csrf, "price": "950", "currency": "USD", "status": "sold", "units": "0"},
    )
    assert sold.status_code == 303
    async with database.session() as session:
        hits = await search_properties(
            session, agencies.tre.id, "", PropertyFilters(), HashingEmbedder(), limit=5
        )
        shown = await get_property(session, agencies.tre.id, villa)
    assert [(h.title, h.price, h.currency, h.units_available) for h in hits] == [
        ("Pool villa in Canggu", Decimal("399000.00"), "EUR", 3)
    ]  # the studio is sold, so leads no longer find it
    assert shown is not None and shown.units_available == 3

    hidden = await olga.post(f"/listings/{villa}/hide", data={"csrf": csrf})
    assert hidden.status_code == 303
    async with database.session() as session:
        assert await get_property(session, agencies.tre.id, villa) is None  # leads: gone
        hits = await search_properties(
            session, agencies.tre.id, "", PropertyFilters(), HashingEmbedder(), limit=5
        )
    assert hits == []
    assert "Show again" in (await olga.get("/listings")).text
    assert (await olga.post(f"/listings/{villa}/unhide", data={"csrf": csrf})).status_code == 303
    async with database.session() as session:
        back = await get_property(session, agencies.tre.id, villa)
    assert back is not None and back.status == "available"

    changes = await audit_rows(web_services, "listing.edit")
    assert [(r.actor_telegram_id, r.target, r.detail) for r in changes] == [
        (OLGA, f"listing:{villa}", "web: price, currency, units_available"),
        (OLGA, f"listing:{studio}", "web: status, units_available"),
    ]
    assert [r.target for r in await audit_rows(web_services, "listing.hide")] == [f"listing:{villa}"]
    assert [r.target for r in await audit_rows(web_services, "listing.unhide")] == [f"listing:{villa}"]


async def test_a_value_the_listing_service_refuses_is_named_and_nothing_changes(
    clients: SignIn, agencies: Agencies, web_services: Services
) -> None:
    villa = await add_listing(web_services.database, agencies.tre, "V-1", "Pool villa")
    olga = await clients(agencies.tre, OLGA)
    csrf = await csrf_of(web_services, OLGA)
    base = {"csrf": csrf, "price": "1000", "currency": "USD", "status": "available", "units": "1"}
    for field, value, words in (
        ("price", "-5", "Price: a number"),
        ("currency", "dollars", "three-letter ISO code"),
        ("status", "gone", "choose one from the list"),
        ("units", "-1", "whole number"),
    ):
        refused = await olga.post(f"/listings/{villa}", data={**base, field: value})
        assert refused.status_code == 400 and words in refused.text, field
    assert (await olga.post(f"/listings/{villa}", data={**base, "csrf": "forged"})).status_code == 400
    async with web_services.database.session() as session:
        listing = await get_property(session, agencies.tre.id, villa)
    assert listing is not None and listing.price == Decimal("425000.00")
    assert await audit_rows(web_services, "listing.edit") == []


async def test_a_global_admin_manages_the_agency_they_signed_in_to(
    clients: SignIn, agencies: Agencies, web_services: Services
) -> None:
    villa = await add_listing(web_services.database, agencies.tre, "V-1", "Pool villa")
    admin = await clients(agencies.tre, GLOBAL_ADMIN)
    assert "Pool villa" in (await admin.get("/listings")).text
    hidden = await admin.post(
        f"/listings/{villa}/hide", data={"csrf": await csrf_of(web_services, GLOBAL_ADMIN)}
    )
    assert hidden.status_code == 303
    [row] = await audit_rows(web_services, "listing.hide")
    assert (row.actor_telegram_id, row.tenant_id) == (GLOBAL_ADMIN, agencies.tre.id)
