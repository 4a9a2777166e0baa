"""Analytics against a small hand-built history (tests/web/analytics_history.py): exact figures, who sees what."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from agent.core.clock import FrozenClock
from storage.db import Database
from tests.web.analytics_history import History, build_history
from tests.web.conftest import SignIn
from tests.web.web_support import ANNA, BORIS, OLGA, OTTO, Agencies


@pytest.fixture
async def history(database: Database, agencies: Agencies, clock: FrozenClock) -> History:
    return await build_history(database, agencies, clock.now())


async def figures(client: httpx.AsyncClient, **params: object) -> dict[str, Any]:
    response = await client.get("/api/v1/leads/analytics", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def by_key(groups: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    return {group["key"]: group["stages"] for group in groups}


STAGES = ("new", "qualified", "contact", "viewing", "won", "lost")


def stages(*counts: int) -> dict[str, int]:
    return dict(zip(STAGES, counts, strict=True))


async def test_an_admin_sees_the_agencys_funnel_sources_and_temperatures(
    clients: SignIn, agencies: Agencies, history: History
) -> None:
    body = await figures(await clients(agencies.tre, OLGA))
    assert body["rep_id"] is None and body["days"] == 30
    # Lena new; Mark qualified; Nina lost with a phone; Omar viewing; Pia won; Rob contact captured.
    assert body["funnel"] == stages(6, 5, 4, 2, 1, 1)
    assert by_key(body["by_source"]) == {
        "expo_qr": stages(3, 2, 1, 1, 1, 0),
        "catalog": stages(2, 2, 2, 0, 0, 1),
        "referral": stages(1, 1, 1, 1, 0, 0),
    }
    assert by_key(body["by_deep_link"]) == {
        "EXPO1": stages(2, 1, 0, 0, 0, 0),
        "EXPO2": stages(1, 1, 1, 1, 1, 0),
    }
    temperatures = by_key(body["by_temperature"])
    assert {t: (s["new"], s["viewing"], s["won"]) for t, s in temperatures.items()} == {
        "cold": (1, 0, 0),
        "warm": (2, 0, 0),
        "hot": (2, 1, 0),
        "burning": (1, 1, 1),
    }
    assert body["channels"] == [
        {"channel": "telegram", "leads": 4, "messages": 7, "viewing": 1, "won": 0},
        {"channel": "whatsapp", "leads": 1, "messages": 2, "viewing": 0, "won": 0},
    ]


async def test_reply_and_reaction_times_are_medians_and_90th_percentiles(
    clients: SignIn, agencies: Agencies, history: History
) -> None:
    anna = await figures(await clients(agencies.tre, ANNA))
    # 60, 120 and 300 s; Omar's first message is still unanswered.
    assert anna["first_reply"] == {"measured": 3, "waiting": 1, "median_seconds": 120.0, "p90_seconds": 264.0}
    # Omar's alert answered in the team bot after 120 s, Pia's on the web after 600 s; Nina's not yet.
    assert anna["rep_reaction_to_hot_alerts"] == {
        "measured": 2,
        "waiting": 1,
        "median_seconds": 360.0,
        "p90_seconds": 552.0,
    }
    agency = await figures(await clients(agencies.tre, OLGA))
    assert agency["first_reply"]["measured"] == 4 and agency["first_reply"]["median_seconds"] == 90.0


async def test_follow_up_reply_rates_by_step_and_ghost_nudges(
    clients: SignIn, agencies: Agencies, history: History
) -> None:
    step1, step2 = f"seq:{history.step1}", f"seq:{history.step2}"
    anna = await figures(await clients(agencies.tre, ANNA))
    assert [
        (s["key"], s["sequence"], s["position"], s["sent"], s["replied"]) for s in anna["follow_up_steps"]
    ] == [
        (step1, "Warm", 1, 2, 1),
        (step2, "Warm", 2, 2, 1),
        ("ghost", None, None, 1, 1),
    ]
    assert anna["ghost"] == {"nudged": 1, "replied_within_24h": 1}
    agency = await figures(await clients(agencies.tre, OLGA))
    assert {s["key"]: (s["sent"], s["replied"]) for s in agency["follow_up_steps"]} == {
        step1: (3, 1),
        step2: (2, 1),
        "ghost": (2, 2),  # Rob wrote back, but 30 h after his nudge:
    }
    assert agency["ghost"] == {"nudged": 2, "replied_within_24h": 1}


async def test_a_rep_sees_only_their_own_numbers_and_an_admin_can_pick_a_rep(
    clients: SignIn, agencies: Agencies, history: History
) -> None:
    anna = await clients(agencies.tre, ANNA)
    own = await figures(anna)
    assert own["rep_id"] == str(agencies.rep(ANNA).id)
    assert own["funnel"] == stages(5, 4, 3, 2, 1, 1)
    boris = await figures(await clients(agencies.tre, BORIS))
    assert boris["funnel"] == stages(1, 1, 1, 0, 0, 0)
    refused = await anna.get("/api/v1/leads/analytics", params={"rep": str(agencies.rep(BORIS).id)})
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    picked = await figures(await clients(agencies.tre, OLGA), rep=str(agencies.rep(BORIS).id))
    assert picked["funnel"] == boris["funnel"] and picked["rep_id"] == str(agencies.rep(BORIS).id)


async def test_another_agencys_admin_sees_nothing_of_it_and_nobody_gets_401(
    clients: SignIn, anonymous: httpx.AsyncClient, agencies: Agencies, history: History
) -> None:
    otto = await clients(agencies.other, OTTO)
    theirs = await figures(otto)
    assert theirs["funnel"] == stages(1, 1, 1, 1, 1, 0)  # only Xan, their own (won) lead
    assert theirs["by_deep_link"] == [{"key": "EXPO1", "stages": stages(1, 1, 1, 1, 1, 0)}]
    assert theirs["rep_reaction_to_hot_alerts"]["measured"] == 0 and theirs["follow_up_steps"] == []
    assert (
        await otto.get("/api/v1/leads/analytics", params={"rep": str(agencies.rep(ANNA).id)})
    ).status_code == 403
    assert (await otto.get("/analytics", params={"rep": str(agencies.rep(ANNA).id)})).status_code == 403
    assert (await anonymous.get("/api/v1/leads/analytics")).status_code == 401
    assert (await anonymous.get("/analytics")).status_code == 401


async def test_the_period_leaves_older_leads_out(
    clients: SignIn, agencies: Agencies, history: History, clock: FrozenClock
) -> None:
    anna = await clients(agencies.tre, ANNA)
    assert (await figures(anna, days=90))["funnel"]["won"] == 1  # Vera (100 days ago) is not in 90 days
    assert (await figures(anna, days=180))["funnel"]["won"] == 2
    assert (await figures(anna, days=1))["funnel"]["new"] == 0
