"""The SGD yardstick: both SGD Homes shapes convert and import, and a run reports joint slot, visit and
visit-date accuracy, split by whether the lead named the property.

The dialogues are small, written here in the dataset's shape: one of the Homes_1 shape (`rent`), two of the
other shape (`price` and `intent`, listings without `area`). The system under test is a scripted lead route
that writes to the real database, so the figures are known in advance and pin the harness, not the agent.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from agent.core.clock import FrozenClock
from agent.core.policies.slots import parse_working_hours
from agent.services.catalog.importer import validate_catalog
from agent.services.catalog.readers import RawCatalog, RawRow, read_catalog, sgd_external_id, sgd_listing_row
from agent.services.provider import Services
from agent.settings import Settings
from evals.actors import ActorIdentity, World
from evals.compare import compare
from evals.report import render_html, yardstick_summary
from evals.results import result_from_json
from evals.runner import RunOptions, run_suites
from evals.sgd import EVERY_DAY_HOURS, convert_files, dialogue_to_case, names_property
from evals.suite import Step, Suite, load_suite
from storage.db import Database
from storage.models import Lead, Property, SalesRepresentative, Tenant, Viewing

CLOCK = datetime(2019, 3, 1, 10, 0)


def _user(text: str, **slots: list[str]) -> dict[str, Any]:
    return {"speaker": "user", "utterance": text, "slot_values": slots}


def _system(text: str, method: str | None = None, **parameters: str) -> dict[str, Any]:
    turn: dict[str, Any] = {"speaker": "system", "utterance": text}
    if method:
        turn["service_call"] = {"method": method, "parameters": parameters}
    return turn


HOMES_2_LISTINGS = [
    {
        "property_name": "Crystal Court",
        "address": "10 Mission Street",
        "intent": "buy",
        "price": "1250000",
        "number_of_beds": "3",
        "number_of_baths": "2",
        "has_garage": "True",
        "in_unit_laundry": "False",
        "phone_number": "408-555-0101",
    },
    {
        "property_name": "Oak Terrace",
        "address": "22 Hill Road",
        "intent": "buy",
        "price": "990000",
        "number_of_beds": "3",
        "number_of_baths": "2",
        "has_garage": "False",
        "in_unit_laundry": "True",
        "phone_number": "408-555-0102",
    },
]

BUY_NAMED = {
    "dialogue_id": "2_00001",
    "services": ["Homes_2"],
    "turns": [
        _user(
            "I want to buy a home with 3 bedrooms in San Jose.",
            intent=["buy"],
            area=["San Jose"],
            number_of_beds=["3"],
        ),
        _system(
            "Oak Terrace at 22 Hill Road is $990,000.",
            "FindHomeByArea",
            intent="buy",
            area="San Jose",
            number_of_beds="3",
        ),
        _user(
            "I'd rather visit crystal court on 2019-03-07.",
            intent=["buy"],
            area=["San Jose"],
            number_of_beds=["3"],
            property_name=["Crystal Court"],
            visit_date=["March 7th"],
        ),
        _system(
            "Your visit is booked.", "ScheduleVisit", property_name="Crystal Court", visit_date="2019-03-07"
        ),
    ],
    "listings": HOMES_2_LISTINGS,
}

RENT_OFFERED = {
    "dialogue_id": "2_00002",
    "services": ["Homes_2"],
    "turns": [
        _user(
            "I need a 2 bedroom place to rent in Fremont.",
            intent=["rent"],
            area=["Fremont"],
            number_of_beds=["2"],
        ),
        _system(
            "Lake View at 5 Shore Drive is $3,100 a month.",
            "FindHomeByArea",
            intent="rent",
            area="Fremont",
            number_of_beds="2",
        ),
        _user(
            "That one. Book a visit on 2019-03-03.",
            intent=["rent"],
            area=["Fremont"],
            number_of_beds=["2"],
            property_name=["Lake View"],
            visit_date=["Sunday"],
        ),
        _system("Your visit is booked.", "ScheduleVisit", property_name="Lake View", visit_date="2019-03-03"),
    ],
    "listings": [
        {
            "property_name": "Garden Row",
            "address": "1 First Street",
            "intent": "rent",
            "price": "2900",
            "number_of_beds": "2",
            "number_of_baths": "1",
            "phone_number": "510-555-0100",
        },
        {
            "property_name": "Lake View",
            "address": "5 Shore Drive",
            "intent": "rent",
            "price": "3100",
            "number_of_beds": "2",
            "number_of_baths": "1",
            "phone_number": "510-555-0101",
        },
    ],
}

HOMES_1_CRASH = {
    "dialogue_id": "1_00003",
    "services": ["Homes_1"],
    "turns": [
        _user(
            "An apartment in Fremont with pets allowed, please crash.",
            area=["Fremont"],
            pets_allowed=["True"],
        ),
        _system("Amber Court is $3,500 a month.", "FindApartment", area="Fremont", pets_allowed="True"),
        _user(
            "Visit it on 2019-03-04.", area=["Fremont"], pets_allowed=["True"], property_name=["Amber Court"]
        ),
        _system("Booked.", "ScheduleVisit", property_name="Amber Court", visit_date="2019-03-04"),
    ],
    "listings": [
        {
            "address": "34050 Westchester Terrace",
            "area": "Fremont",
            "furnished": "False",
            "number_of_baths": "2",
            "number_of_beds": "3",
            "pets_allowed": "True",
            "phone_number": "510-794-9981",
            "property_name": "Amber Court",
            "rent": "3500",
        },
    ],
}


def _write(tmp_path: Path, *dialogues: dict[str, Any]) -> Path:
    path = tmp_path / "homes.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in dialogues) + "\n", encoding="utf-8")
    return path


# -- converting -----------------------------------------------------------------------------------


def test_the_other_shape_converts_with_intent_graded_as_the_transaction() -> None:
    case = dialogue_to_case(BUY_NAMED, clock=CLOCK, source="homes.jsonl")
    assert case is not None
    assert case["expect"]["lead"] == {"transaction": "sale", "location": "San Jose", "bedrooms": 3}
    assert case["expect"]["viewings"] == {"property": "Crystal Court", "date": "2019-03-07"}
    # The listings carry no area: they take the one the dialogue searched.
    assert {listing["area"] for listing in case["catalog"]["listings"]} == {"San Jose"}
    rent = dialogue_to_case(RENT_OFFERED, clock=CLOCK, source="homes.jsonl")
    assert rent is not None and rent["expect"]["lead"]["transaction"] == "rent"


def test_a_case_records_whether_the_lead_named_the_property() -> None:
    named = dialogue_to_case(BUY_NAMED, clock=CLOCK, source="homes.jsonl")
    offered = dialogue_to_case(RENT_OFFERED, clock=CLOCK, source="homes.jsonl")
    assert named is not None and offered is not None
    assert "property-named" in named["tags"] and named["source"]["named_property"] is True
    assert "property-offered" in offered["tags"] and offered["source"]["named_property"] is False


@pytest.mark.parametrize(
    ("name", "utterance", "named"),
    [
        ("Amber Court", "Is amber court pet friendly?", True),
        ("Coffeetree Apartments", "Set up a visit to Cofeetree Apartments.", True),  # a typo
        ("El Gato Penthouse", "Yes. Does El gato allow pets?", True),  # the distinctive part
        ("Canal Apartments", "Yeah, that apartment sounds great!", False),  # "apartment" names nothing
        ("Arbors At Mountain View", "Looking for an apartment in Mountain View", False),  # the area searched
    ],
)
def test_naming_a_property_is_fuzzy_but_not_generic(name: str, utterance: str, named: bool) -> None:
    assert names_property(name, [utterance], places=["Mountain View"]) is named


def test_the_converted_suite_loads_and_its_reps_work_every_day(tmp_path: Path) -> None:
    source = _write(tmp_path, BUY_NAMED, RENT_OFFERED, HOMES_1_CRASH)
    out = tmp_path / "suite.yaml"

    report = convert_files([source], out, name="SGD shapes", threshold=0.5, clock=CLOCK)

    assert report.cases == 3
    suite = load_suite(out)
    [rep] = suite.defaults.reps
    hours = parse_working_hours(rep.working_hours)
    assert all(hours.on(date(2019, 3, day)) for day in range(4, 11))  # Monday to Sunday
    assert out.read_text().startswith("# Generated by `realty eval convert-sgd` from homes.jsonl")


# -- importing ------------------------------------------------------------------------------------


def test_the_importer_reads_the_other_shape(tmp_path: Path) -> None:
    raw = read_catalog(_write(tmp_path, BUY_NAMED, RENT_OFFERED), "sgd")
    catalog = validate_catalog(raw)
    assert catalog.errors == []
    by_title = {listing.title: listing for listing in catalog.listings}
    crystal = by_title["Crystal Court"]
    assert (crystal.transaction, crystal.price, crystal.price_period, crystal.location) == (
        "sale",
        Decimal("1250000.00"),
        None,
        "San Jose",
    )
    assert list(crystal.amenities) == ["garage"] and list(by_title["Oak Terrace"].amenities) == ["laundry"]
    assert "for sale at 10 Mission Street, San Jose" in crystal.description
    lake = by_title["Lake View"]
    assert (lake.transaction, lake.price, lake.price_period, lake.location) == (
        "rent",
        Decimal("3100.00"),
        "month",
        "Fremont",
    )


def test_a_homes_1_listing_keeps_its_id_and_row() -> None:
    [listing] = HOMES_1_CRASH["listings"]
    assert sgd_external_id(listing) == "sgd-amber-court-d3a9db0535"  # the id imports before this change gave
    row = sgd_listing_row(listing)
    assert (row["transaction"], row["price"], row["price_period"], row["location"]) == (
        "rent",
        "3500",
        "month",
        "Fremont",
    )
    assert row["description"] == (
        "3-bedroom, 2-bathroom apartment for rent at 34050 Westchester Terrace, Fremont. Unfurnished; pets allowed."
    )


def test_a_listing_with_no_area_anywhere_is_rejected_with_its_place() -> None:
    row = sgd_listing_row(HOMES_2_LISTINGS[0])
    assert row["location"] is None

    catalog = validate_catalog(RawCatalog("sgd", [RawRow(1, row, where="dialogue x, listing 1")]))
    assert catalog.rejected == 1 and "location" in catalog.errors[0].reason


# -- running and reporting ------------------------------------------------------------------------


class ScriptedSgdRoute:
    """Books "visit <name> on <date>" (the named listing) or "visit on <date>" (the first listing, by id);
    understands "N bedroom", "in <Area>", buy/rent; crashes on "crash". Notes each tenant's rep hours."""

    name = "scripted"

    def __init__(self) -> None:
        self.rep_hours: list[dict[str, object]] = []

    async def act(self, world: World, actor: ActorIdentity, step: Step) -> None:
        from agent.services.leads import get_or_create_telegram_lead

        text = step.message
        if "crash" in text:
            raise RuntimeError("the scripted agent fell over")
        async with world.services.database.session() as session:
            tenant = await session.get(Tenant, world.tenant_id)
            assert tenant is not None
            rep = (
                await session.execute(
                    select(SalesRepresentative).where(SalesRepresentative.tenant_id == world.tenant_id)
                )
            ).scalar_one()
            self.rep_hours.append(dict(rep.working_hours))
            lead = await get_or_create_telegram_lead(session, tenant, actor.user_id, chat_id=actor.user_id)
            if match := re.search(r"(\d+) bedroom", text):
                lead.bedrooms = int(match.group(1))
            if match := re.search(r"\bin ((?:[A-Z][a-z]+ ?)+)", text):
                lead.location = match.group(1).strip()
            if re.search(r"\bbuy\b", text):
                lead.transaction = "sale"
            elif re.search(r"\brent\b", text):
                lead.transaction = "rent"
            if match := re.search(r"visit (.*?) ?on (\d{4}-\d{2}-\d{2})", text, re.IGNORECASE):
                await session.flush()
                await self._book(session, world, lead, match.group(1), date.fromisoformat(match.group(2)))
        world.record(actor.name, "out", "message", "Noted, thank you!")

    async def _book(self, session: Any, world: World, lead: Lead, named: str, day: date) -> None:
        query = select(Property).where(Property.tenant_id == world.tenant_id).order_by(Property.external_id)
        listings = list((await session.execute(query)).scalars())
        wanted = [p for p in listings if named and p.title.casefold() in named.casefold()]
        listing = (wanted or listings)[0]
        zone = ZoneInfo(world.time_zone)
        starts = datetime.combine(day, time(10), tzinfo=zone)
        session.add(
            Viewing(
                tenant_id=world.tenant_id,
                lead_id=lead.id,
                property_id=listing.id,
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                time_zone=world.time_zone,
            )
        )

    async def after_jobs(self, world: World) -> None:
        return None

    async def finish(self, world: World) -> None:
        return None

    async def close(self) -> None:
        return None


@pytest.fixture
def services(settings: Settings, database: Database) -> Services:
    return Services(settings=settings, database=database, clock=FrozenClock())


async def test_a_run_reports_the_yardstick_split_by_named_and_offered(services: Services) -> None:
    cases = [
        dialogue_to_case(d, clock=CLOCK, source="homes.jsonl")
        for d in (BUY_NAMED, RENT_OFFERED, HOMES_1_CRASH)
    ]

    suite_model = Suite.model_validate(
        {
            "name": "SGD shapes",
            "threshold": 0.0,
            "defaults": {
                "language": "en",
                "tenant": {
                    "time_zone": "America/Los_Angeles",
                    "country_code": "US",
                    "default_currency": "USD",
                },
                "reps": [{"name": "Leasing Agent", "status": "active", "working_hours": EVERY_DAY_HOURS}],
            },
            "cases": cases,
        }
    )
    route = ScriptedSgdRoute()

    result = await run_suites(services, [suite_model], RunOptions(concurrency=3), route=route)

    [outcome] = result.suites
    runs = {case.case_id: case.runs[0] for case in outcome.cases}
    # Named: the lead's own words booked Crystal Court on the 7th; every slot right.
    assert runs["sgd-2_00001"].joint_slots is True
    assert runs["sgd-2_00001"].visit == {"property": True, "date": True, "both": True}
    # Offered: the right date, but the first listing, not Lake View.
    assert runs["sgd-2_00002"].joint_slots is True
    assert runs["sgd-2_00002"].visit == {"property": False, "date": True, "both": False}
    # Crashed: nothing right, and counted so.
    assert runs["sgd-1_00003"].error is not None
    assert runs["sgd-1_00003"].joint_slots is False
    assert runs["sgd-1_00003"].visit == {"property": False, "date": False, "both": False}
    assert route.rep_hours and all(set(hours) == set(EVERY_DAY_HOURS) for hours in route.rep_hours)

    m = outcome.metrics
    assert m.yardstick_counts == {
        "joint_slot_accuracy": [2, 3],
        "joint_slot_accuracy:named": [1, 1],
        "joint_slot_accuracy:offered": [1, 2],
        "visit_accuracy": [1, 3],
        "visit_accuracy:named": [1, 1],
        "visit_accuracy:offered": [0, 2],
        "visit_date_accuracy": [2, 3],
        "visit_date_accuracy:named": [1, 1],
        "visit_date_accuracy:offered": [1, 2],
    }
    assert m.yardstick["visit_date_accuracy"] == pytest.approx(2 / 3)
    assert yardstick_summary(m).startswith(
        "joint slots 66.7% (2/3) [named 100.0% (1/1), offered 50.0% (1/2)]"
    )
    assert "visit date 66.7% (2/3)" in yardstick_summary(m)
    html = render_html(result)
    assert "SGD yardstick" in html and "lead named the property" in html
    from agent.cli.common import console
    from agent.cli.eval import _print_summary

    with console.capture() as captured:
        _print_summary(result)
    printed = " ".join(captured.get().split())
    assert "SGD shapes joint slots 66.7% (2/3) [named 100.0% (1/1), offered 50.0% (1/2)]" in printed

    # The JSON round trip keeps the figures, and compare reports each of them.
    data = result.to_json()
    again = result_from_json(data)
    assert again.suites[0].metrics.yardstick == m.yardstick
    assert again.suites[0].cases[0].runs[0].visit == outcome.cases[0].runs[0].visit
    better = json.loads(json.dumps(data))
    better["suites"][0]["metrics"]["yardstick"]["visit_accuracy:offered"] = 0.5
    changes = {c.subject: c.verdict for c in compare(again, result_from_json(better))}
    assert changes["visit_accuracy:offered"] == "better" and changes["joint_slot_accuracy:named"] == "same"


def test_results_written_before_the_yardstick_still_load_and_compare() -> None:
    metrics = {
        "cases": 1,
        "trials": 1,
        "pass_rate": 1.0,
        "pass_hat_k": 1.0,
        "errors": 0,
        "tool_accuracy": None,
        "language_accuracy": 1.0,
        "slot_accuracy": {},
        "slot_counts": {},
        "check_pass_rate": 1.0,
        "latency_p50_ms": 10.0,
        "latency_p95_ms": 12.0,
        "turns": 1,
        "duration_s": 1.0,
        "tokens_in": 0,
        "tokens_out": 0,
        "cost_usd": None,
    }
    run = {"suite": "s", "case_id": "c", "trial": 1, "passed": True}
    old = {
        "model": "offline",
        "trials": 1,
        "started_at": "2026-01-01T00:00:00",
        "duration_s": 1.0,
        "suites": [
            {
                "name": "s",
                "path": "s.yaml",
                "threshold": 0.5,
                "metrics": metrics,
                "cases": [{"case_id": "c", "description": None, "runs": [run]}],
            }
        ],
    }
    before = result_from_json(old)
    assert before.suites[0].metrics.yardstick == {}
    new = json.loads(json.dumps(old))
    new["suites"][0]["metrics"]["yardstick"] = {"visit_accuracy": 0.5}
    changes = {c.subject: c.verdict for c in compare(before, result_from_json(new))}
    assert changes["visit_accuracy"] == "new"
