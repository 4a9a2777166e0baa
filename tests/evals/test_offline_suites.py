"""The shipped suites on the offline model: every suite in evals/suites/ must meet its own threshold.

This is `realty eval evals/suites` inside the test command: the same runner, the bots behind the loopback
Bot API, a fresh tenant per case. The full SGD suite (evals/suites/external/) is a separate command:
`realty eval evals/suites/external/sgd_homes.yaml`.
"""

from __future__ import annotations

import time
from pathlib import Path

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from agent.settings import Settings
from evals.runner import RunOptions, run_suites
from evals.suite import load_suite, suite_files
from storage.db import Database

SUITES = Path(__file__).resolve().parents[2] / "evals" / "suites"
GENEROUS_WALL_SECONDS = 180.0
"""The budget is 60 s on an idle 2-core machine; this bound only catches a run gone pathological."""


async def test_every_offline_suite_meets_its_threshold(settings: Settings, database: Database) -> None:
    suites = [load_suite(path) for path in suite_files([SUITES])]
    services = Services(settings=settings, database=database, clock=FrozenClock())

    started = time.perf_counter()
    result = await run_suites(services, suites, RunOptions(model="offline", concurrency=4))
    elapsed = time.perf_counter() - started

    lines = []
    for suite in result.suites:
        m = suite.metrics
        lines.append(f"{suite.name}: {m.pass_rate:.1%} (threshold {suite.threshold:.0%}), {m.errors} crashed")
        for case in suite.ordered_cases():
            if case.pass_rate < 1:
                run = case.runs[0]
                why = (
                    run.error.splitlines()[0]
                    if run.error
                    else "; ".join(
                        f"{c.name}: expected {c.expected}, got {c.actual[:120]}"
                        for c in run.failed_checks[:2]
                    )
                )
                lines.append(f"  ✗ {case.case_id}: {why}")
    report = "\n".join(lines)
    print(f"\noffline suites in {elapsed:.1f} s\n{report}")
    missed = [suite.name for suite in result.suites if not suite.met]
    assert not missed, f"thresholds missed: {missed}\n{report}"
    assert elapsed < GENEROUS_WALL_SECONDS, f"the offline run took {elapsed:.0f} s"
