"""Hostile values in every path and query parameter of every route, as a signed-in admin: never a 500.

The walk reads the routes and their parameters from the app (tests/web/test_every_route.py), so a route added
later is walked too. The ASGI transport re-raises an unhandled error, so a crash fails here with its traceback
even though the app answers it with a clean 500.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
from fastapi import FastAPI

from agent.services.provider import Services
from tests.web import test_every_route as walk
from tests.web.web_support import OLGA, Agencies

world = walk.world

HOSTILE = (
    str(2**63),  # one above bigint
    "-1",
    "²",  # str.isdigit() says yes, int() says no
    "0001-01-01",
    "9999-12-31T23:59:59-12:00",
    "x" * 10_000,
    "%FF%FE",  # not UTF-8 once decoded: sent raw, as a hostile client would
)


def _query_names(dependant: Any) -> Iterator[str]:
    for field in dependant.query_params:
        yield field.alias
    for sub in dependant.dependencies:
        yield from _query_names(sub)


def query_params(app: FastAPI) -> dict[tuple[str, str], set[str]]:
    """(method, path) → the names of its query parameters, its dependencies' included."""
    found: dict[tuple[str, str], set[str]] = {}
    for included in app.routes:
        router = getattr(included, "original_router", None)
        for route in router.routes if router is not None else [included]:
            dependant = getattr(route, "dependant", None)
            if dependant is None:
                continue
            for method in getattr(route, "methods", None) or ():
                found[(method, route.path)] = set(_query_names(dependant))
    return found


def _quoted(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


async def _send(
    client: httpx.AsyncClient, method: str, path: str, params: dict[str, str], query: str, csrf: str
) -> httpx.Response:
    """`walk.call`, with a raw (already encoded) path and query, so "%FF" reaches the app undecoded."""
    url = re.sub(r"\{(\w+)\}", lambda m: params[m.group(1)], path) + (f"?{query}" if query else "")
    headers = {"X-CSRF-Token": csrf}
    if path.startswith("/api/"):
        body = walk.JSON.get((method, path))
        if method in ("POST", "PATCH"):
            return await client.request(method, url, json=body if body is not None else {}, headers=headers)
        return await client.request(method, url, headers=headers)
    if method == "POST":
        return await client.post(
            url, data={**walk.FORMS.get((method, path), {}), "csrf": csrf}, headers=headers
        )
    return await client.request(method, url, headers=headers)


async def test_every_parameter_of_every_route_with_hostile_values_never_crashes(
    web_app: FastAPI, web_services: Services, agencies: Agencies, world: walk.World
) -> None:
    olga, csrf = await walk.signed_in(web_app, web_services, agencies.tre, OLGA)
    queries = query_params(web_app)
    tried = 0
    statuses: set[int] = set()
    async with olga:
        for method, path in walk.routes(web_app):
            if (method, path) == walk.SIGNS_OUT:
                continue
            for value in HOSTILE:
                raw = value if value.startswith("%") else _quoted(value)
                for name in re.findall(r"\{(\w+)\}", path):
                    answer = await _send(olga, method, path, {**world.params, name: raw}, "", csrf)
                    assert answer.status_code < 500, (method, path, name, value[:20], answer.status_code)
                    statuses.add(answer.status_code)
                    tried += 1
                for name in sorted(queries.get((method, path), ())):
                    answer = await _send(olga, method, path, world.params, f"{name}={raw}", csrf)
                    assert answer.status_code < 500, (method, path, name, value[:20], answer.status_code)
                    statuses.add(answer.status_code)
                    tried += 1
    assert tried > 300
    assert {400, 404} <= statuses
