"""The eval runner: cases on fresh tenants, concurrency, trials and pass^k, crashes kept to their case.

The system under test here is a small scripted lead route that writes to the real database, so these tests
pin the runner's behaviour independently of how good the sales agent is.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from agent.clock import FrozenClock
from agent.runtime import Services
from agent.settings import Settings
from evals.actors import ActorIdentity, World
from evals.results import pass_hat_k
from evals.runner import RunOptions, run_suites
from evals.suite import Step, parse_suite
from evals.trajectory import ToolCall
from storage.db import Database
from storage.models import Lead, Tenant


class ScriptedLeadRoute:
    """Understands "N bedrooms" and "in <Area>", answers in English, and crashes on "crash"."""

    name = "scripted"

    def __init__(self) -> None:
        self.tenants: set[int] = set()

    async def act(self, world: World, actor: ActorIdentity, step: Step) -> None:
        from agent.leads import get_or_create_telegram_lead

        text = step.message
        if "crash" in text:
            raise RuntimeError("the scripted agent fell over")
        self.tenants.add(world.tenant_id)
        args: dict[str, Any] = {}
        async with world.services.database.session() as session:
            tenant = await session.get(Tenant, world.tenant_id)
            assert tenant is not None
            lead = await get_or_create_telegram_lead(session, tenant, actor.user_id, chat_id=actor.user_id)
            if match := re.search(r"(\d+) bedrooms?", text):
                lead.bedrooms = args["bedrooms"] = int(match.group(1))
            if match := re.search(r"\bin ([A-Z][a-z]+)", text):
                lead.location = args["location"] = match.group(1)
        call = ToolCall("update_preferences", args)
        world.tools.append((world.step, call))
        world.record(
            actor.name,
            "out",
            "message",
            f"Noted, thank you! ({text[:40]})",
            tools=[{"name": call.name, "args": args}],
        )

    async def after_jobs(self, world: World) -> None:
        return None

    async def finish(self, world: World) -> None:
        return None

    async def close(self) -> None:
        return None


SUITE = """
name: scripted
threshold: 0.5
defaults:
  language: en
cases:
  - id: passes
    steps:
      - lead: I need 3 bedrooms in Canggu
        expect:
          tools: [{name: update_preferences, args: {bedrooms: 3}}]
    expect:
      lead: {bedrooms: 3, location: Canggu}
      messages: {contains: [noted], max_length: 200, count: 1}
  - id: wrong-slot
    steps:
      - lead: I need 2 bedrooms in Ubud
    expect:
      lead: {bedrooms: 3, location: Ubud}
  - id: crashes
    steps:
      - lead: please crash now
    expect:
      lead: {bedrooms: 1}
  - id: after-the-crash
    steps:
      - lead: 4 bedrooms
      - wait: 2h
      - lead: in Sanur
    expect:
      lead: {bedrooms: 4, location: Sanur}
      tools: {mode: strict, args: ignore, calls: [update_preferences, update_preferences]}
"""


@pytest.fixture
def services(settings: Settings, database: Database) -> Services:
    return Services(settings=settings, database=database, clock=FrozenClock())


async def test_each_case_is_graded_and_a_crash_stays_in_its_case(
    services: Services, database: Database
) -> None:
    suite = parse_suite(SUITE, "scripted.yaml")
    route = ScriptedLeadRoute()
    done: list[str] = []

    result = await run_suites(
        services,
        [suite],
        RunOptions(concurrency=4),
        route=route,
        on_done=lambda run: done.append(run.case_id),
    )

    [suite_result] = result.suites
    outcome = {case.case_id: case.runs[0] for case in suite_result.cases}
    assert sorted(done) == sorted(outcome)
    assert outcome["passes"].passed and outcome["after-the-crash"].passed
    wrong = outcome["wrong-slot"]
    assert not wrong.passed and wrong.error is None
    assert [c.name for c in wrong.failed_checks] == ["lead.bedrooms"]
    assert wrong.failed_checks[0].actual == "2"
    crashed = outcome["crashes"]
    assert not crashed.passed
    assert crashed.error is not None and crashed.error.startswith(
        "RuntimeError: the scripted agent fell over"
    )
    assert "test_eval_runner.py" in crashed.error
    assert suite_result.metrics.pass_rate == 0.5 and suite_result.met
    assert suite_result.metrics.errors == 1
    assert suite_result.metrics.slot_accuracy == {"bedrooms": 2 / 3, "location": 1.0}
    assert suite_result.metrics.tool_accuracy == 1.0
    assert suite_result.metrics.language_accuracy == 1.0
    assert [c.case_id for c in suite_result.ordered_cases()][:2] == ["crashes", "wrong-slot"]
    # Every case ran on its own tenant, and the tenants are gone afterwards.
    assert len(route.tenants) == 3
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Tenant)) == 0
        assert await session.scalar(select(func.count()).select_from(Lead)) == 0


async def test_a_step_expectation_sees_only_that_step(services: Services) -> None:
    suite = parse_suite(
        """
name: scoped
threshold: 1
cases:
  - id: scoped
    steps:
      - lead: 3 bedrooms
      - lead: in Ubud
        expect:
          messages: {count: 1, not_contains: ["3 bedrooms"]}
          tools: {mode: strict, calls: [{name: update_preferences, args: {location: Ubud}}]}
""",
        "scoped.yaml",
    )
    result = await run_suites(services, [suite], RunOptions(), route=ScriptedLeadRoute())
    run = result.suites[0].cases[0].runs[0]
    assert run.passed, run.failed_checks
    assert all(check.step == 1 for check in run.checks)
    assert [event.direction for event in run.transcript] == ["in", "out", "in", "out"]
    assert run.transcript[0].latency_ms is not None


async def test_trials_give_pass_hat_k(services: Services) -> None:
    suite = parse_suite(SUITE, "scripted.yaml")
    result = await run_suites(
        services, [suite], RunOptions(trials=3, concurrency=6), route=ScriptedLeadRoute()
    )
    [suite_result] = result.suites
    assert all(len(case.runs) == 3 for case in suite_result.cases)
    assert [run.trial for run in suite_result.cases[0].runs] == [1, 2, 3]
    assert suite_result.metrics.pass_hat_k == 0.5
    assert result.to_json()["suites"][0]["cases"][0]["pass_hat_k"] == 1.0


def test_pass_hat_k_is_the_chance_that_k_trials_all_pass() -> None:
    assert pass_hat_k(3, 3, 3) == 1.0
    assert pass_hat_k(2, 3, 1) == pytest.approx(2 / 3)
    assert pass_hat_k(2, 3, 2) == pytest.approx(1 / 3)
    assert pass_hat_k(2, 3, 3) == 0.0
