"""The shipped suites on the offline model: each suite in evals/suites/ must meet its own threshold.

This is `realty eval evals/suites` inside the test command, one test per suite file: the same runner, the bots
behind the loopback Bot API, a fresh tenant per case. The suites share one set of services (the checkpointer
pools open once). The full SGD suite (evals/suites/external/) is a separate command:
`realty eval evals/suites/external/sgd_homes.yaml`.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from agent.settings import Settings
from evals.runner import RunOptions, run_suites
from evals.suite import load_suite, suite_files
from storage.db import Database

SUITES = Path(__file__).resolve().parents[2] / "evals" / "suites"
SLOW_SUITES = {"sgd_homes_sample"}
"""The SGD sample replays 15 crowd-written dialogues, over a hundred turns; `-m "not slow"` leaves it out."""
GENEROUS_WALL_SECONDS = 180.0
"""All suites have a 60 s budget on an idle 2-core machine; this catches a suite gone pathological."""


@pytest.fixture(scope="module")
async def offline_services(settings: Settings, database: Database) -> AsyncIterator[Services]:
    services = Services(settings=settings, database=database, clock=FrozenClock())
    async with services.resources:
        yield services


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(path, id=path.stem, marks=[pytest.mark.slow] if path.stem in SLOW_SUITES else [])
        for path in suite_files([SUITES])
    ],
)
async def test_each_offline_suite_meets_its_threshold(path: Path, offline_services: Services) -> None:
    suite = load_suite(path)

    started = time.perf_counter()
    result = await run_suites(offline_services, [suite], RunOptions(model="offline", concurrency=4))
    elapsed = time.perf_counter() - started

    [outcome] = result.suites
    m = outcome.metrics
    lines = [f"{outcome.name}: {m.pass_rate:.1%} (threshold {outcome.threshold:.0%}), {m.errors} crashed"]
    for case in outcome.ordered_cases():
        if case.pass_rate < 1:
            run = case.runs[0]
            why = (
                run.error.splitlines()[0]
                if run.error
                else "; ".join(
                    f"{c.name}: expected {c.expected}, got {c.actual[:120]}" for c in run.failed_checks[:2]
                )
            )
            lines.append(f"  ✗ {case.case_id}: {why}")
    report = "\n".join(lines)
    print(f"\n{outcome.name} in {elapsed:.1f} s\n{report}")
    assert outcome.met, f"threshold missed: {outcome.name}\n{report}"
    assert elapsed < GENEROUS_WALL_SECONDS, f"the offline run of {outcome.name} took {elapsed:.0f} s"
