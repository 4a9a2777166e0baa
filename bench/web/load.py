"""The load: 50 signed-in clients (httpx, keep-alive) per scenario against the live server, and its figures.

A scenario is one user action (a list page, a deep walk along `next` cursors, a lead page, analytics, the
API dashboard). Its callers are real sessions (`WebAccess.open_session`) of random reps or admins, or an
API token per agency. A scenario whose route the app on this branch does not have is reported as
"404: not on this branch" and not run.
"""

from __future__ import annotations

import asyncio
import html
import random
import re
import secrets
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlencode

import httpx
from sqlalchemy import text
from starlette.routing import Match

from agent.core.clock import SystemClock
from agent.services.web_access import WebAccess
from agent.services.web_access.sessions import token_digest
from agent.settings import Settings
from agent.web.deps import SESSION_COOKIE
from bench.web.generate import Generated
from bench.web.rows import FIRST, STATUSES, UNASSIGNED_EVERY
from storage.db import Database
from storage.repositories.web import ApiTokenRepository

Who = Literal["any", "rep", "admin", "api"]
TEMPERATURES = ("burning", "hot", "warm", "cold")
DEEP_PAGES = 20
CURSOR_LINK = re.compile(r"""<a\b[^>]*\bhref="([^"]*[?&](?:amp;)?cursor=[^"]*)"[^>]*>""", re.IGNORECASE)
REL_NEXT = re.compile(r"""\brel="[^"]*\bnext\b""", re.IGNORECASE)
MISSING = "404: not on this branch"


@dataclass
class Caller:
    client: httpx.AsyncClient
    who: Who
    agency: int
    rep: int | None
    """The rep's index in the group (None for an admin, or an API token)."""
    rep_id: uuid.UUID | None


@dataclass
class Samples:
    latency_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    error_examples: list[str] = field(default_factory=list)

    def note_error(self, what: str) -> None:
        self.errors += 1
        if len(self.error_examples) < 3:
            self.error_examples.append(what)


@dataclass
class Run:
    """What a scenario's step may do: time a request (counted only after the warm-up)."""

    group: Generated
    rng: random.Random
    samples: Samples
    counting: bool

    async def get(
        self, caller: Caller, url: str, *, ok: tuple[int, ...] = (200,), timed: bool = True
    ) -> httpx.Response | None:
        """The response when its status is one of `ok`; an untimed request (the first page of a walk) still
        counts its errors."""
        started = time.perf_counter()
        try:
            response = await caller.client.get(url)
        except httpx.HTTPError as exc:
            if self.counting:
                self.samples.note_error(f"{url}: {type(exc).__name__}")
            return None
        took = (time.perf_counter() - started) * 1000
        if self.counting and not timed:
            if response.status_code not in ok:
                self.samples.note_error(f"{url}: {response.status_code}")
        elif self.counting:
            self.samples.latency_ms.append(took)
            self.samples.statuses[response.status_code] = (
                self.samples.statuses.get(response.status_code, 0) + 1
            )
            server = _server_ms(response)
            if server is not None:
                self.samples.server_ms.append(server)
            if response.status_code not in ok:
                self.samples.note_error(f"{url}: {response.status_code}")
        return response if response.status_code in ok else None


Step = Callable[[Run, Caller], Awaitable[None]]


@dataclass(frozen=True)
class Scenario:
    name: str
    who: Who
    probe: str
    """A path of the route, to tell whether this branch has it."""
    step: Step
    target_p95_ms: float | None = None


def _server_ms(response: httpx.Response) -> float | None:
    header = response.headers.get("server-timing", "")
    match = re.search(r"dur=([0-9.]+)", header)
    return float(match.group(1)) if match else None


def lead_filters(rng: random.Random) -> dict[str, str]:
    """No filter, a temperature, a status, both, or a search by name or phone digits."""
    roll = rng.random()
    if roll < 0.2:
        return {}
    if roll < 0.45:
        return {"temperature": rng.choice(TEMPERATURES)}
    if roll < 0.65:
        return {"status": rng.choice(STATUSES)}
    if roll < 0.8:
        return {"temperature": rng.choice(TEMPERATURES), "status": rng.choice(STATUSES)}
    if roll < 0.92:
        return {"q": rng.choice(rng.choice(list(FIRST.values())))}
    return {"q": f"{rng.randrange(100, 999)}"}


def _with(path: str, params: dict[str, str]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def next_page(response: httpx.Response) -> str | None:
    """The next page's address: `next_cursor` of an API answer, or the page's link carrying `cursor=`."""
    if response.headers.get("content-type", "").startswith("application/json"):
        cursor = response.json().get("next_cursor")
        return str(response.url.copy_set_param("cursor", cursor)) if cursor else None
    links = [(match.group(0), match.group(1)) for match in CURSOR_LINK.finditer(response.text)]
    if not links:
        return None
    marked = [href for tag, href in links if REL_NEXT.search(tag)]
    href = (
        marked[0] if marked else links[-1][1]
    )  # rel="next", else the last one (a "previous" link comes first)
    return str(response.url.join(html.unescape(href)))


def own_lead(run: Run, caller: Caller) -> int:
    """A lead this caller may open: one of the rep's own, or any of the admin's (or token's) agency."""
    group = run.group
    if caller.rep is None:
        reps = range(
            caller.agency * group.shape.reps_per_agency, (caller.agency + 1) * group.shape.reps_per_agency
        )
        leads = group.lead_ids_of_rep(run.rng.choice(reps))
    else:
        leads = group.lead_ids_of_rep(caller.rep)
    first = group.context.first_lead_id
    while True:
        lead_id = run.rng.choice(leads)
        if caller.rep is None or (lead_id - first) % UNASSIGNED_EVERY != UNASSIGNED_EVERY - 1:
            return lead_id


async def list_first_page(run: Run, caller: Caller) -> None:
    await run.get(caller, _with("/leads", lead_filters(run.rng)))


async def list_deep_page(run: Run, caller: Caller) -> None:
    """Walk ~20 pages along the `next` links; the pages after the first are the samples."""
    params = lead_filters(run.rng)
    params.pop("q", None)  # a search rarely has 20 pages
    response = await run.get(caller, _with("/leads", params), timed=False)
    for _ in range(DEEP_PAGES - 1):
        url = next_page(response) if response is not None else None
        if url is None:
            return
        response = await run.get(caller, url)


async def lead_page(run: Run, caller: Caller) -> None:
    await run.get(caller, f"/leads/{own_lead(run, caller)}")


async def analytics_agency(run: Run, caller: Caller) -> None:
    await run.get(caller, "/analytics")


async def analytics_rep(run: Run, caller: Caller) -> None:
    await run.get(caller, f"/analytics?rep={caller.rep_id}")


async def api_dashboard(run: Run, caller: Caller) -> None:
    await run.get(caller, "/api/v1/leads/dashboard")


async def api_deep_page(run: Run, caller: Caller) -> None:
    response = await run.get(caller, "/api/v1/leads", timed=False)
    for _ in range(DEEP_PAGES - 1):
        url = next_page(response) if response is not None else None
        if url is None:
            return
        response = await run.get(caller, url)


async def healthz(run: Run, caller: Caller) -> None:
    await run.get(caller, "/healthz")


async def readyz(run: Run, caller: Caller) -> None:
    await run.get(caller, "/readyz")


async def home_redirect(run: Run, caller: Caller) -> None:
    await run.get(caller, "/", ok=(303,))


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("healthz (baseline)", "any", "/healthz", healthz),
    Scenario("readyz (one SELECT 1)", "any", "/readyz", readyz),
    Scenario("/ signed in: session check + redirect", "any", "/", home_redirect),
    Scenario("leads list, first page, filters", "any", "/leads", list_first_page, 50),
    Scenario("leads list, deep pages (next x20), filters", "any", "/leads", list_deep_page, 50),
    Scenario("a lead page", "any", "/leads/1", lead_page, 100),
    Scenario("analytics, one agency (admin)", "admin", "/analytics", analytics_agency, 300),
    Scenario("analytics, one rep", "rep", "/analytics", analytics_rep, 300),
    Scenario("API GET /api/v1/leads/dashboard", "api", "/api/v1/leads/dashboard", api_dashboard, 200),
    Scenario(
        "API GET /api/v1/leads, deep pages (next_cursor x20)", "api", "/api/v1/leads", api_deep_page, 200
    ),
)


def route_exists(app: Any, path: str) -> bool:
    """Whether the app has a GET route for this path (asked the way Starlette routes a request)."""
    scope = {
        "type": "http",
        "path": path,
        "method": "GET",
        "root_path": "",
        "headers": [],
        "query_string": b"",
    }
    return any(route.matches(scope)[0] == Match.FULL for route in app.routes)


class Sessions:
    """Signed-in callers: a fresh session (or the agency's API token) for each client."""

    def __init__(self, database: Database, settings: Settings, group: Generated, *base_urls: str) -> None:
        self.access = WebAccess(database, settings, SystemClock())
        self.database = database
        self.group = group
        self.base_urls = base_urls
        self.tokens: dict[int, str] = {}
        self.opened: list[httpx.AsyncClient] = []

    async def callers(self, who: Who, count: int, rng: random.Random) -> list[Caller]:
        return [await self.caller(who, rng) for _ in range(count)]

    async def caller(self, who: Who, rng: random.Random) -> Caller:
        if who == "any":
            who = "admin" if rng.random() < 0.2 else "rep"
        active = [rep for rep in self.group.reps if rep.active and (rep.is_admin == (who == "admin"))]
        if who == "api":
            agency = rng.randrange(self.group.shape.agencies)
            headers = {"Authorization": f"Bearer {await self.api_token(agency)}"}
            return Caller(self._client(headers=headers), "api", agency, None, None)
        rep = rng.choice(active)
        token = await self.access.open_session(self.group.tenant_id(rep.agency), rep.telegram_id, via="link")
        client = self._client(cookies={SESSION_COOKIE: token})
        return Caller(client, who, rep.agency, None if who == "admin" else rep.index, rep.id)

    async def api_token(self, agency: int) -> str:
        if agency not in self.tokens:
            token = "rk_" + secrets.token_urlsafe(32)
            async with self.database.session() as session:
                await ApiTokenRepository(session).create(
                    tenant_id=self.group.tenant_id(agency),
                    name="bench",
                    token_digest=token_digest(token),
                    prefix=token[:8],
                    created_by="cli",
                    now=SystemClock().now(),
                )
            self.tokens[agency] = token
        return self.tokens[agency]

    def _client(self, **kwargs: Any) -> httpx.AsyncClient:
        client = httpx.AsyncClient(
            base_url=self.base_urls[len(self.opened) % len(self.base_urls)],  # round robin over the servers
            timeout=30,
            follow_redirects=False,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            **kwargs,
        )
        self.opened.append(client)
        return client

    async def close(self) -> None:
        for client in self.opened:
            await client.aclose()
        self.opened.clear()


PG_COUNTERS = ("xact_commit", "tup_returned", "tup_fetched", "blks_hit", "blks_read")


async def pg_counters(database: Database) -> dict[str, int]:
    """This database's counters (flushed by the server's connections at most once a second: approximate)."""
    async with database.session() as session:
        row = (
            await session.execute(
                text(
                    f"SELECT {', '.join(PG_COUNTERS)} FROM pg_stat_database WHERE datname = current_database()"
                )
            )
        ).one()
    return {name: int(value) for name, value in zip(PG_COUNTERS, row, strict=True)}


def percentile(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def run_scenario(
    scenario: Scenario,
    callers: list[Caller],
    group: Generated,
    database: Database,
    *,
    seconds: float,
    warmup: float,
    requests: int | None = None,
) -> dict[str, Any]:
    """Every caller repeats the step until the time (or the request count) is up; figures of the measured part."""
    samples = Samples()
    started = time.perf_counter()
    measure_from = started + warmup
    stop_at = measure_from + seconds
    before: dict[str, int] = {}
    measured_at = 0.0
    cpu_at = 0.0

    async def client(n: int, caller: Caller) -> None:
        nonlocal before, measured_at, cpu_at
        rng = random.Random(n)
        while True:
            now = time.perf_counter()
            if now >= stop_at or (requests is not None and len(samples.latency_ms) >= requests):
                return
            counting = now >= measure_from
            if counting and not before:
                before = {"pending": 1}  # claimed: the first client past the warm-up reads the counters
                before = await pg_counters(database)
                measured_at, cpu_at = time.perf_counter(), time.process_time()
            await scenario.step(Run(group, rng, samples, counting), caller)

    await asyncio.gather(*(client(n, caller) for n, caller in enumerate(callers)))
    elapsed = time.perf_counter() - (measured_at or measure_from)
    client_cpu = time.process_time() - cpu_at if cpu_at else 0.0
    after = await pg_counters(database)
    result = summarize(scenario, samples, elapsed, len(callers), before, after)
    if samples.latency_ms:
        result["client_cpu_ms_per_request"] = round(client_cpu * 1000 / len(samples.latency_ms), 2)
    return result


def summarize(
    scenario: Scenario,
    samples: Samples,
    elapsed: float,
    clients: int,
    before: dict[str, int],
    after: dict[str, int],
) -> dict[str, Any]:
    count = len(samples.latency_ms)
    result: dict[str, Any] = {
        "scenario": scenario.name,
        "clients": clients,
        "requests": count,
        "seconds": round(elapsed, 2),
        "throughput_rps": round(count / elapsed, 1) if elapsed > 0 else 0.0,
        "errors": samples.errors,
        "statuses": {str(code): n for code, n in sorted(samples.statuses.items())},
        "error_examples": samples.error_examples,
        "target_p95_ms": scenario.target_p95_ms,
    }
    if count:
        result.update(
            p50_ms=round(percentile(samples.latency_ms, 0.5), 2),
            p95_ms=round(percentile(samples.latency_ms, 0.95), 2),
            p99_ms=round(percentile(samples.latency_ms, 0.99), 2),
        )
    if samples.server_ms:
        result.update(
            server_p50_ms=round(percentile(samples.server_ms, 0.5), 2),
            server_p95_ms=round(percentile(samples.server_ms, 0.95), 2),
        )
    if count and before and "xact_commit" in before:
        result["pg_per_request"] = {
            name: round((after[name] - before[name]) / count, 1) for name in PG_COUNTERS
        }
    result["verdict"] = verdict(result)
    return result


def verdict(result: dict[str, Any]) -> str:
    if result.get("skipped"):
        return str(result["skipped"])
    if not result["requests"]:
        return "no requests measured (raise --seconds)"
    target = result["target_p95_ms"]
    if result["errors"]:
        return f"errors ({result['errors']})"
    if target is None:
        return "baseline"
    return "met" if result["p95_ms"] < target else "NOT met"


def skipped(scenario: Scenario, why: str) -> dict[str, Any]:
    return {
        "scenario": scenario.name,
        "requests": 0,
        "target_p95_ms": scenario.target_p95_ms,
        "skipped": why,
        "verdict": why,
    }
