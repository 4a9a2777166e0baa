"""The eval runner: cases on fresh tenants, concurrency, trials and pass^k, crashes kept to their case.

The system under test here is a small scripted lead route that writes to the real database, so these tests
pin the runner's behaviour independently of how good the sales agent is.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from agent.settings import Settings
from evals.actors import ActorIdentity, World
from evals.results import pass_hat_k
from evals.runner import RunOptions, run_suites
from evals.suite import Step, load_suite, parse_suite
from evals.trajectory import ToolCall
from storage.db import Database
from storage.models import Lead, Tenant


class ScriptedLeadRoute:
    """Understands "N bedrooms" and "in <Area>", answers in English, and crashes on "crash"."""

    name = "scripted"

    def __init__(self) -> None:
        self.tenants: set[int] = set()

    async def act(self, world: World, actor: ActorIdentity, step: Step) -> None:
        from agent.services.leads import get_or_create_telegram_lead

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


async def test_the_report_puts_failures_first_and_escapes_what_leads_wrote(services: Services) -> None:
    from evals.report import render_html

    suite = parse_suite(
        SUITE.replace("I need 3 bedrooms in Canggu", "<script>alert(1)</script> 3 bedrooms in Canggu"),
        "s.yaml",
    )
    result = await run_suites(services, [suite], RunOptions(), route=ScriptedLeadRoute())
    html = render_html(result)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.index("crashes") < html.index("wrong-slot") < html.index("<b>passes</b>")
    assert "RuntimeError: the scripted agent fell over" in html


async def test_results_survive_json_and_compare_names_what_got_worse(services: Services) -> None:
    import json

    from evals.compare import compare
    from evals.results import result_from_json

    suite = parse_suite(SUITE, "scripted.yaml")
    before = await run_suites(services, [suite], RunOptions(), route=ScriptedLeadRoute())
    worse_suite = parse_suite(
        SUITE.replace("I need 3 bedrooms in Canggu", "I need 2 bedrooms in Canggu"), "scripted.yaml"
    )
    after = await run_suites(services, [worse_suite], RunOptions(), route=ScriptedLeadRoute())

    restored = result_from_json(json.loads(json.dumps(before.to_json())))
    assert restored.suites[0].metrics == before.suites[0].metrics
    assert [c.case_id for c in restored.suites[0].cases] == [c.case_id for c in before.suites[0].cases]

    verdicts = {change.subject: change.verdict for change in compare(restored, after)}
    assert verdicts["case passes"] == "worse"
    assert verdicts["pass_rate"] == "worse"
    assert verdicts["slot:bedrooms"] == "worse"
    assert verdicts["case after-the-crash"] == "same"
    assert {c.verdict for c in compare(after, after)} == {"same"}


def test_recorded_conversations_are_graded_without_a_model() -> None:
    from evals.transcripts import (
        grade_answered,
        grade_language,
        grade_listing_facts,
        grade_phone_before_silence,
    )

    conversation = {
        "language": "en",
        "exported_at": "2026-03-02T15:00:00+00:00",
        "phone_captured": False,
        "listings": [{"title": "Quiet villa in Berawa", "price": 425000, "bedrooms": 3}],
        "messages": [
            {
                "at": "2026-03-02T10:00:00+00:00",
                "direction": "inbound",
                "type": "message",
                "text": "Hi, a villa in Canggu please",
            },
            {
                "at": "2026-03-02T10:00:01+00:00",
                "direction": "outbound",
                "type": "message",
                "text": "1. Quiet villa in Berawa — 425K USD · 3-bedroom",
            },
            {
                "at": "2026-03-02T10:05:00+00:00",
                "direction": "inbound",
                "type": "message",
                "text": "Какая цена?",
            },
            {
                "at": "2026-03-02T10:05:01+00:00",
                "direction": "outbound",
                "type": "message",
                "text": "Quiet villa in Berawa is 380K USD with 4-bedroom layout, a great deal",
            },
        ],
    }
    assert grade_language(conversation).passed is False  # the lead switched to Russian, the reply did not
    assert grade_answered(conversation).passed is True
    silent = grade_phone_before_silence(conversation, timedelta(hours=2))
    assert silent.passed is False and "without a phone" in silent.detail
    facts = grade_listing_facts(conversation)
    assert facts.passed is False and "380" in facts.detail


async def test_the_judge_reads_a_json_verdict_per_rubric() -> None:
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    from evals.transcripts import RUBRICS, grade_conversations

    verdicts = iter(
        [
            AIMessage(content='{"reasoning": "all English", "score": true}'),
            AIMessage(content='Sure! {"reasoning": "never asked", "score": false}'),
            AIMessage(content="I cannot tell"),
        ]
    )
    model = GenericFakeChatModel(messages=verdicts)
    conversation = {
        "messages": [
            {"at": "2026-03-02T10:00:00+00:00", "direction": "inbound", "type": "message", "text": "hi"}
        ]
    }
    report = await grade_conversations([conversation], judge_with=model)
    grades = report.results[0].grades
    assert [grades[name].passed for name in RUBRICS] == [True, False, None]
    assert report.totals()["judge_language"] == (1, 0, 0)


async def test_transcripts_export_one_line_per_conversation(services: Services, database: Database) -> None:
    import io
    import json
    from datetime import UTC, datetime

    from evals.transcripts import export_transcripts
    from storage.repositories.leads import LeadRepository
    from storage.repositories.tenants import TenantRepository

    now = datetime(2026, 3, 2, 10, tzinfo=UTC)
    async with database.session() as session:
        tenant = await TenantRepository(session).create(name="Agency", slug="agency")
        repo = LeadRepository(session)
        lead = await repo.create(tenant.id, name="Ann", language="en")
        await repo.add_interaction(lead, type="message", direction="inbound", now=now, text="Hello")
        await repo.add_interaction(lead, type="message", direction="outbound", now=now, text="Hi Ann!")
        quiet = await repo.create(tenant.id, name="Old")
        await repo.add_interaction(
            quiet, type="message", direction="inbound", now=datetime(2026, 1, 1, tzinfo=UTC), text="old"
        )
    out = io.StringIO()
    count = await export_transcripts(services, since=datetime(2026, 3, 1), tenant_slug="agency", out=out)
    assert count == 1
    [line] = out.getvalue().splitlines()
    data = json.loads(line)
    assert data["tenant"] == "agency" and [m["text"] for m in data["messages"]] == ["Hello", "Hi Ann!"]


async def test_a_real_model_run_counts_tokens_and_cost(settings: Settings, database: Database) -> None:
    from pydantic import SecretStr

    from tests.fakes.openai_api import Answer, FakeOpenAI, completion

    suite = parse_suite(
        "name: model\nthreshold: 0\ncases:\n  - id: hello\n    steps: [{lead: Hi there}]\n"
        "    expect: {messages: {count: {min: 1}}}\n",
        "model.yaml",
    )
    async with FakeOpenAI() as api:
        api.default = Answer(body=completion("Hello! Which area would you like?"))  # usage: 10 in, 5 out
        with_key = settings.model_copy(
            update={
                "openai_api_key": SecretStr("sk-loopback"),
                "openai_base_url": api.base_url,
                "model_max_retries": 0,
            }
        )
        services = Services(settings=with_key, database=database, clock=FrozenClock())
        async with services.resources:
            result = await run_suites(
                services, [suite], RunOptions(model="loopback-model", price_in=1.0, price_out=2.0)
            )
    run = result.suites[0].cases[0].runs[0]
    assert run.passed, (run.error, run.failed_checks)
    assert api.requests and api.requests[0]["json"]["model"] == "loopback-model"
    calls = len(api.requests)
    assert (run.tokens_in, run.tokens_out) == (10 * calls, 5 * calls)
    assert run.cost_usd == pytest.approx((10 * calls * 1.0 + 5 * calls * 2.0) / 1_000_000)
    assert result.suites[0].metrics.tokens_in == 10 * calls


def test_a_real_model_needs_a_key(settings: Settings) -> None:
    from evals.runner import ModelNotConfigured, model_settings

    with pytest.raises(ModelNotConfigured, match="OPENAI_API_KEY"):
        model_settings(settings, "gpt-4o-mini")
    assert model_settings(settings, "offline").openai_api_key is None


async def test_a_case_imports_its_own_catalog_from_a_file_or_inline(
    tmp_path: Path, services: Services, database: Database
) -> None:
    import json

    from storage.models import Property

    listing = {
        "external_id": "L-1",
        "title": "Garden villa",
        "property_type": "villa",
        "transaction": "sale",
        "price": 300000,
        "currency": "USD",
        "bedrooms": 3,
        "location": "Ubud",
    }
    (tmp_path / "listings.json").write_text(json.dumps([listing]), encoding="utf-8")
    inline = json.dumps([{**listing, "external_id": "L-2"}, {**listing, "external_id": "L-3"}])
    suite_file = tmp_path / "suite.yaml"
    suite_file.write_text(
        "name: catalogs\nthreshold: 1\ncases:\n"
        "  - id: from-file\n    catalog: listings.json\n    steps: [{lead: 3 bedrooms}]\n    expect: {lead: {bedrooms: 3}}\n"
        f"  - id: inline\n    catalog: {inline}\n    steps: [{{lead: 3 bedrooms}}]\n    expect: {{lead: {{bedrooms: 3}}}}\n",
        encoding="utf-8",
    )
    result = await run_suites(
        services, [load_suite(suite_file)], RunOptions(keep_tenants=True), route=ScriptedLeadRoute()
    )
    assert result.suites[0].metrics.pass_rate == 1.0
    async with database.session() as session:
        rows = (await session.execute(select(Property.tenant_id, Property.external_id))).all()
    by_tenant: dict[int, set[str]] = {}
    for tenant_id, external_id in rows:
        by_tenant.setdefault(tenant_id, set()).add(external_id)
    assert sorted(by_tenant.values(), key=len) == [{"L-1"}, {"L-2", "L-3"}]


async def test_a_catalog_row_the_importer_rejects_fails_the_case_with_the_reason(services: Services) -> None:
    suite = parse_suite(
        "name: bad\nthreshold: 0\ncases:\n  - id: bad\n"
        "    catalog: [{external_id: X, title: T, property_type: villa, transaction: sale, price: -5, currency: USD, location: Ubud}]\n"
        "    steps: [{lead: hi}]\n    expect: {lead: {bedrooms: 1}}\n",
        "bad.yaml",
    )
    result = await run_suites(services, [suite], RunOptions(), route=ScriptedLeadRoute())
    run = result.suites[0].cases[0].runs[0]
    assert run.error is not None and "catalog: 1 listing(s) rejected" in run.error and "line 1" in run.error
