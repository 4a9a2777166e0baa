"""Calendar benchmark: booking latency with the providers stubbed at realistic latency, and slot search time.

    uv run python bench/bench_calendar.py [--bookings 60] [--searches 200]

- booking latency (p50/p95) of `book_viewing` end to end (slot check, the viewing and its blocks, provider
  calls, reminders in the ledger, the commit, the team-bot note and .ics documents to the loopback Bot API)
  for the embedded default, a Google-connected rep with Meet, and Zoom; Google answers after 120 ms
  (freeBusy) / 450 ms (events.insert with Meet), Zoom after 250 ms (token, once) / 350 ms (create);
- slot search time for a rep with 500 busy blocks over 30 days: the pure merge (`free_slots`) and the full
  path (`rep_free_slots`: our viewings from PostgreSQL plus a 500-block freeBusy answer parsed by
  google-api-python-client).

Runs against a private embedded PostgreSQL in a fresh temporary folder, prints a table and writes the figures
as JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httplib2  # noqa: E402
import httpx  # noqa: E402
from cryptography.fernet import Fernet  # noqa: E402
from pydantic import SecretStr  # noqa: E402
from sqlalchemy import select  # noqa: E402

from agent.adapters.crypto import LeadBotTokens, encrypt_token  # noqa: E402
from agent.adapters.embeddings import HashingEmbedder  # noqa: E402
from agent.adapters.google import GoogleTransport  # noqa: E402
from agent.adapters.zoom import ZoomClient, ZoomCredentials  # noqa: E402
from agent.core.availability import Interval, RepHours, free_slots  # noqa: E402
from agent.core.clock import FrozenClock  # noqa: E402
from agent.services.calendars.service import CalendarProviders, calendar_for_tenant, rep_free_slots  # noqa: E402
from agent.services.leads import create_lead  # noqa: E402
from agent.services.provider import Services  # noqa: E402
from agent.settings import Settings  # noqa: E402
from evals.bot_api import FakeTelegramAPI  # noqa: E402
from storage.db import create_database  # noqa: E402
from storage.embedded import embedded_database_url, stop_embedded_server  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Property, SalesRepresentative, Tenant  # noqa: E402
from storage.repositories.listings import ListingRecord, upsert_listings  # noqa: E402
from tools.booking import book_viewing  # noqa: E402
from tools.context import LeadContext, call_tool  # noqa: E402

MONDAY_10_BALI = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
BALI = ZoneInfo("Asia/Makassar")
LEAD_BOT = "111:bench-lead-bot"
TEAM_BOT = "222:bench-team-bot"
BENCH_LISTING = ListingRecord(
    external_id="bench-villa", title="Villa Sunset", property_type="villa", transaction="sale",
    price=Decimal(450_000), currency="USD", location="Canggu",
)  # fmt: skip
LATENCY = {"freebusy": 0.120, "insert": 0.450, "zoom_token": 0.250, "zoom_create": 0.350}


@dataclass
class Results:
    machine: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)

    def put(self, name: str, value: Any) -> None:
        self.figures[name] = value
        shown = "  ".join(f"{k}={v:.1f}" for k, v in value.items()) if isinstance(value, dict) else value
        print(f"  {name:<58} {shown}", flush=True)


def percentile(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def summary_ms(samples: Sequence[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples]
    return {"p50": statistics.median(ms), "p95": percentile(ms, 95), "max": max(ms)}


# --- Provider stand-ins at realistic latency ---------------------------------------------------------------


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class SlowGoogle:
    """An httplib2.Http stand-in: Google's answers (real shapes), each after the endpoint's usual latency."""

    def __init__(self, busy: Sequence[tuple[datetime, datetime]] = ()) -> None:
        self.busy = list(busy)
        self.inserted = 0

    def request(self, uri: str, method: str = "GET", body: Any = None, headers: Any = None, **_: Any) -> Any:
        path = uri.split("?")[0]
        if path.endswith("/freeBusy"):
            time.sleep(LATENCY["freebusy"])
            request = json.loads(body)
            content = {
                "kind": "calendar#freeBusy",
                "timeMin": request["timeMin"],
                "timeMax": request["timeMax"],
                "calendars": {
                    "primary": {"busy": [{"start": _stamp(s), "end": _stamp(e)} for s, e in self.busy]}
                },
            }
        elif path.endswith("/events") and method == "POST":
            time.sleep(LATENCY["insert"])
            self.inserted += 1
            event = json.loads(body)
            content = {
                "kind": "calendar#event",
                "id": event.get("id", f"ev{self.inserted}"),
                "status": "confirmed",
                "htmlLink": "https://www.google.com/calendar/event?eid=x",
                "start": event["start"],
                "end": event["end"],
                "hangoutLink": "https://meet.google.com/abc-defg-hij",
                "conferenceData": {
                    "entryPoints": [
                        {"entryPointType": "video", "uri": "https://meet.google.com/abc-defg-hij"}
                    ]
                },
            }
        else:
            return httplib2.Response({"status": "404"}), b'{"error": {"code": 404, "message": "Not Found"}}'
        return httplib2.Response({"status": "200", "content-type": "application/json"}), json.dumps(
            content
        ).encode()


def slow_zoom() -> httpx.AsyncClient:
    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "zoom.us":
            await asyncio.sleep(LATENCY["zoom_token"])
            return httpx.Response(
                200, json={"access_token": "tok", "token_type": "bearer", "expires_in": 3599}
            )
        await asyncio.sleep(LATENCY["zoom_create"])
        body = json.loads(request.content)
        return httpx.Response(
            201,
            json={"id": 85746065432, "join_url": "https://us05web.zoom.us/j/85746065432?pwd=x", "host_id": "h",
                  "topic": body["topic"], "start_time": body["start_time"]},
        )  # fmt: skip

    return httpx.AsyncClient(transport=httpx.MockTransport(handler))


# --- Booking latency ---------------------------------------------------------------------------------------


def viewing_times(count: int) -> list[str]:
    """Distinct free 09:00-17:00 Bali starts from Tuesday on, six days a week."""
    times: list[str] = []
    day = datetime(2026, 3, 3, tzinfo=BALI)
    while len(times) < count:
        if day.weekday() < 6:
            times += [f"{day:%Y-%m-%d}T{hour:02d}:00" for hour in range(9, 18)]
        day += timedelta(days=1)
    return times[:count]


async def bench_booking(url: str, results: Results, bookings: int) -> None:
    database = create_database(url, pool_size=5)
    await upgrade(database)
    key = Fernet.generate_key().decode()
    try:
        async with FakeTelegramAPI() as api:
            base = Settings(  # type: ignore[call-arg]
                _env_file=None,
                database_url=url,
                registry_bot_token=SecretStr(TEAM_BOT),
                telegram_api_base_url=api.base_url,
                telegram_file_base_url=api.file_base_url,
                google_client_id="bench.apps.googleusercontent.com",
                google_client_secret=SecretStr("s"),
                token_encryption_key=SecretStr(key),
            )
            zoom_settings = base.model_copy(
                update={"zoom_account_id": "a", "zoom_client_id": "c", "zoom_client_secret": SecretStr("s")}
            )
            for scenario, provider, google in (
                ("embedded default (internal calendar, .ics to both)", "none", False),
                ("Google connected, online with Meet", "google_meet", True),
                ("internal calendar, online with Zoom", "zoom", False),
            ):
                clock = FrozenClock(MONDAY_10_BALI)
                zoom = None
                if provider == "zoom":
                    credentials = ZoomCredentials.from_settings(zoom_settings)
                    assert credentials is not None
                    zoom = ZoomClient(credentials, http=slow_zoom(), clock=clock)
                services = Services(
                    settings=base, database=database, clock=clock, embedder=HashingEmbedder(),
                    calendars=CalendarProviders(google=GoogleTransport(http_factory=SlowGoogle), zoom=zoom),
                )  # fmt: skip
                async with database.session() as session:
                    tenant = Tenant(
                        name=scenario, slug=f"bench-{provider}", time_zone="Asia/Makassar",
                        **LeadBotTokens(base).columns(f"{LEAD_BOT}-{provider}"), meeting_provider=provider,
                    )  # fmt: skip
                    session.add(tenant)
                    await session.flush()
                    rep = SalesRepresentative(
                        tenant_id=tenant.id, telegram_id=9000 + tenant.id, telegram_chat_id=9000 + tenant.id,
                        name="Anna", email="anna@acme-realty.com", status="active", language="ru",
                        time_zone="Asia/Makassar", working_hours={},
                    )  # fmt: skip
                    if google:
                        rep.calendar_connected = True
                        rep.google_token_encrypted = encrypt_token(
                            {
                                "token": "ya29.x",
                                "refresh_token": "1//r",
                                "expiry": "2100-01-01T00:00:00+00:00",
                            },
                            base,
                        )
                    session.add(rep)
                    await upsert_listings(  # a viewing always has a listing
                        session, tenant.id, [BENCH_LISTING], HashingEmbedder()
                    )
                    listing_id = (
                        await session.execute(select(Property.id).where(Property.tenant_id == tenant.id))
                    ).scalar_one()
                    leads = []
                    for n in range(bookings):
                        lead = await create_lead(session, tenant.id, language="ru")
                        lead.telegram_chat_id = 100_000 + tenant.id * 1000 + n
                        lead.email = f"lead{n}@example.com" if google else None
                        leads.append(lead.id)
                samples = []
                async with services.resources:  # closes the notice bots
                    for lead_id, when in zip(leads, viewing_times(bookings), strict=True):
                        ctx = LeadContext(services=services, tenant_id=tenant.id, lead_id=lead_id)
                        started = time.perf_counter()
                        answer = await call_tool(
                            book_viewing, ctx, property_id=listing_id, when=when, online=provider != "none"
                        )
                        samples.append(time.perf_counter() - started)
                        assert answer["status"] == "booked", answer
                if zoom is not None:
                    await zoom.http.aclose()
                results.put(f"book_viewing ms, {scenario}", summary_ms(samples))
            results.put("Telegram calls made (notes + .ics documents)", len(api.calls))
    finally:
        await database.dispose()


# --- Slot search ---------------------------------------------------------------------------------------------


def busy_blocks(count: int, start: datetime, days: int, seed: int = 7) -> list[tuple[datetime, datetime]]:
    rng = random.Random(seed)
    blocks = []
    for _ in range(count):
        begin = start + timedelta(minutes=rng.randrange(0, days * 24 * 60, 15))
        blocks.append((begin, begin + timedelta(minutes=rng.choice((15, 30, 45, 60, 90, 120)))))
    return blocks


def bench_pure_search(results: Results, searches: int) -> None:
    start = MONDAY_10_BALI
    window = Interval(start, start + timedelta(days=30))
    busy = [Interval(s, e) for s, e in busy_blocks(500, start, 30)]
    hours = RepHours.of({}, BALI)
    samples, slots = [], []
    for _ in range(searches):
        began = time.perf_counter()
        slots = free_slots(hours=hours, window=window, busy=busy, duration=timedelta(hours=1),
                           step=timedelta(minutes=30))  # fmt: skip
        samples.append(time.perf_counter() - began)
    results.put("free_slots ms, 500 busy blocks over 30 days (pure)", summary_ms(samples))
    results.put("free slots found in those 30 days", len(slots))


async def bench_full_search(url: str, results: Results, searches: int) -> None:
    database = create_database(url, pool_size=5)
    clock = FrozenClock(MONDAY_10_BALI)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=url, google_client_id="b.apps.googleusercontent.com",
        google_client_secret=SecretStr("s"), token_encryption_key=SecretStr(Fernet.generate_key().decode()),
    )  # fmt: skip
    blocks = busy_blocks(500, MONDAY_10_BALI, 30, seed=11)
    fast_google = SlowGoogle(blocks)
    LATENCY["freebusy"] = 0.0  # the search itself, not Google's round trip
    services = Services(
        settings=settings,
        database=database,
        clock=clock,
        calendars=CalendarProviders(google=GoogleTransport(http_factory=lambda: fast_google)),
    )
    try:
        async with database.session() as session:
            tenant = Tenant(name="search", slug="bench-search", time_zone="Asia/Makassar")
            session.add(tenant)
            await session.flush()
            rep = SalesRepresentative(
                tenant_id=tenant.id, telegram_id=99_999, name="Boris", email="boris@acme-realty.com",
                status="active", time_zone="Asia/Makassar", working_hours={}, calendar_connected=True,
                google_token_encrypted=encrypt_token(
                    {"token": "t", "refresh_token": "r", "expiry": "2100-01-01T00:00:00+00:00"}, settings
                ),
            )  # fmt: skip
            session.add(rep)
        window = Interval(MONDAY_10_BALI, MONDAY_10_BALI + timedelta(days=30))
        samples = []
        for _ in range(searches):
            async with database.session() as session:
                rep_row = await session.get(SalesRepresentative, rep.id)
                assert rep_row is not None
                began = time.perf_counter()
                await rep_free_slots(
                    session, rep_row, tenant, window, timedelta(hours=1), now=clock.now(),
                    calendar=calendar_for_tenant(services, tenant),
                )  # fmt: skip
                samples.append(time.perf_counter() - began)
        results.put("rep_free_slots ms, 500 Google busy blocks, 30 days (full)", summary_ms(samples))
    finally:
        await database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bookings", type=int, default=60, help="bookings per scenario")
    parser.add_argument("--searches", type=int, default=200, help="slot searches per figure")
    args = parser.parse_args()

    import logging
    import warnings

    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)
    results = Results(machine={
        "python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
        "bookings": args.bookings, "searches": args.searches, "latency_s": dict(LATENCY),
        "load_average_at_start": os.getloadavg(),
    })  # fmt: skip
    base = Path(
        tempfile.mkdtemp(prefix="realty-bench-", dir="/tmp")
    )  # short path: the unix socket lives there
    print(
        f"realty-agent calendar benchmark ({args.bookings} bookings per scenario, {args.searches} searches)"
    )
    try:
        bench_pure_search(results, args.searches)
        url = embedded_database_url(base / "srv")
        asyncio.run(bench_booking(url, results, args.bookings))
        asyncio.run(bench_full_search(url, results, max(20, args.searches // 5)))
    finally:
        stop_embedded_server(base / "srv")
        shutil.rmtree(base, ignore_errors=True)
    results.machine["load_average_at_end"] = os.getloadavg()
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"calendar-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(
        json.dumps({"machine": results.machine, "figures": results.figures}, indent=2, default=str)
    )
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
