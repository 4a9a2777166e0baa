"""Run suites: every case × trial on its own tenant, several at once; one crash never stops the others.

The run reports, per suite and case: pass rate and pass^k, each check, tool-call accuracy, slot accuracy
per lead field, language accuracy of the replies, turn latency, and tokens and cost with a real model.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import select

from evals.actors import (
    DirectPath,
    Route,
    World,
    load_fake_telegram,
    open_world,
    play,
    run_due_jobs,
)
from evals.expectations import Evaluation, Scope, evaluate, listing_titles
from evals.recording import CaseRecorder, recording
from evals.results import CaseRun, EvalResult, SuiteResult, group_runs, metrics_of
from evals.suite import Expectations, ResolvedCase, Suite, resolve
from storage.models import Property

if TYPE_CHECKING:
    from agent.services.provider import Services
    from agent.settings import Settings

RouteName = Literal["auto", "telegram", "direct"]

PRICES_PER_MILLION: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5-nano": (0.05, 0.40),
}
"""USD per million input / output tokens of well-known models; `--price-in/--price-out` override."""


class ModelNotConfigured(RuntimeError):
    """A real model was asked for but no API key is set."""


@dataclass(frozen=True)
class RunOptions:
    model: str = "offline"
    trials: int = 1
    concurrency: int = 4
    route: RouteName = "auto"
    keep_tenants: bool = False
    case_timeout_s: float = 180.0
    price_in: float | None = None
    price_out: float | None = None
    """USD per million tokens; unset: PRICES_PER_MILLION when the model is listed there."""


def model_settings(settings: Settings, model: str) -> Settings:
    """Settings for `--model`: `offline` drops any key; anything else is the model name at the endpoint."""
    if model == "offline":
        return settings.model_copy(update={"openai_api_key": None})
    if not settings.has_model_key:
        raise ModelNotConfigured(
            f"--model {model} needs OPENAI_API_KEY (and OPENAI_BASE_URL for a non-OpenAI endpoint); "
            "use --model offline to run without one"
        )
    name = model.split(":", 1)[1] if model.startswith("openai:") else model
    return settings.model_copy(update={"realty_model": name})


def _price(options: RunOptions) -> tuple[float, float] | None:
    if options.price_in is not None or options.price_out is not None:
        return (options.price_in or 0.0, options.price_out or 0.0)
    name = options.model.split(":", 1)[-1].split("/")[-1]
    return PRICES_PER_MILLION.get(name)


PROJECT_ROOT = str(Path(__file__).resolve().parents[1]) + os.sep


def _relative(filename: str) -> str:
    return filename.removeprefix(PROJECT_ROOT)


def error_summary(exc: BaseException, frames: int = 4) -> str:
    """`Type: message` and the innermost frames, enough to find the bug without the whole traceback."""
    head = f"{type(exc).__name__}: {exc}".strip()
    stack = traceback.extract_tb(exc.__traceback__)[-frames:]
    lines = [f"  {_relative(frame.filename)}:{frame.lineno} in {frame.name}" for frame in stack]
    return "\n".join([head[:2000], *lines])


def choose_route(name: RouteName) -> Route:
    """The Telegram Applications when `bot/` provides them (preferred), else the direct call."""
    if name in ("auto", "telegram"):
        from evals.telegram import TelegramRoute, telegram_available

        if telegram_available():
            return TelegramRoute()
        if name == "telegram":
            raise RuntimeError(
                "the telegram path needs the bot Applications from bot/, which are not available"
            )
    return DirectPath()


_CURRENT_WORLD: ContextVar[World | None] = ContextVar("realty_eval_world", default=None)


class _CaseLogHandler(logging.Handler):
    """The system's warnings during a case go into that case's transcript, not over the progress bar."""

    def emit(self, record: logging.LogRecord) -> None:
        world = _CURRENT_WORLD.get()
        if world is None:
            return
        with contextlib.suppress(Exception):
            world.record(
                "log", "note", record.levelname.lower(), f"{record.name}: {record.getMessage()}"[:1000]
            )


@contextlib.contextmanager
def _logs_into_transcripts() -> Iterator[None]:
    root = logging.getLogger()
    quieted = [(handler, handler.level) for handler in root.handlers]
    for handler, _ in quieted:
        handler.setLevel(logging.CRITICAL)
    ours = _CaseLogHandler(logging.WARNING)
    root.addHandler(ours)
    try:
        yield
    finally:
        root.removeHandler(ours)
        for handler, level in quieted:
            handler.setLevel(level)


async def warm_up(services: Services) -> None:
    """Build what every case shares once (the model, the checkpointer pools), so case copies reuse it."""
    with contextlib.suppress(ImportError):
        from agent.adapters.models import sales_model

        sales_model(services)
    with contextlib.suppress(ImportError):
        from agent.adapters.checkpointer import conversation_store

        await conversation_store(services)


async def _evaluate(world: World, expect: Expectations, step: int | None) -> Evaluation:
    scope = Scope(
        tenant_id=world.tenant_id,
        time_zone=world.time_zone,
        actor_ids=world.actor_ids,
        events=world.transcript if step is None else world.events_of_step(step),
        tools=world.tools_of_step(step),
        seeded_leads=world.seeded_leads,
        language=world.case.language if step is None else None,
        step=step,
    )
    async with world.services.database.session() as session:
        rows = await session.execute(
            select(Property.title, Property.translations).where(Property.tenant_id == world.tenant_id)
        )
        scope.listing_titles = [
            title for row in rows for title in listing_titles(row.title, row.translations)
        ]
        return await evaluate(expect, scope, session)


def _absorb(run: CaseRun, evaluation: Evaluation, *, final: bool = False) -> None:
    run.checks.extend(evaluation.checks)
    if final:
        slot_checks = [check for check in evaluation.checks if check.kind == "slot"]
        run.joint_slots = all(check.passed for check in slot_checks) if slot_checks else None
        run.visit = dict(evaluation.visit)
    run.tools_matched += evaluation.tools_matched
    run.tools_expected += evaluation.tools_expected
    run.language_ok += evaluation.language_ok
    run.language_total += evaluation.language_total
    for name, (ok, total) in evaluation.slots.items():
        slot = run.slots.setdefault(name, [0, 0])
        slot[0] += ok
        slot[1] += total


def _crashed_is_wrong(run: CaseRun, expect: Expectations) -> None:
    """A crashed case got nothing right: its slots and visit count as wrong, not as ungraded."""
    if expect.lead and run.joint_slots is None:
        run.joint_slots = False
    viewing = expect.viewings
    if viewing is not None and viewing.property is not None and viewing.date is not None and not run.visit:
        run.visit = {"property": False, "date": False, "both": False}


async def run_case(
    services: Services, case: ResolvedCase, trial: int, api: Any, route: Route, options: RunOptions
) -> CaseRun:
    """Play one trial of one case and grade it. Never raises: a crash is recorded as the run's error."""
    run = CaseRun(
        suite=case.suite,
        case_id=case.id,
        trial=trial,
        passed=False,
        description=case.case.description,
        tags=list(case.case.tags),
        path=route.name,
    )
    started = time.perf_counter()
    world: World | None = None
    recorder = CaseRecorder(record_tools=route.name != "direct")
    with recording(recorder):
        try:
            async with asyncio.timeout(options.case_timeout_s):
                async with open_world(services, case, trial, api, keep=options.keep_tenants) as world:
                    recorder.world = world
                    _CURRENT_WORLD.set(world)
                    try:
                        for index, step in enumerate(case.case.steps):
                            await play(world, route, index, step, run_due_jobs)
                            if step.expect is not None:
                                _absorb(run, await _evaluate(world, step.expect, index))
                        _absorb(run, await _evaluate(world, case.case.expect, None), final=True)
                    finally:
                        await route.finish(world)
        except TimeoutError:
            run.error = f"TimeoutError: the case did not finish within {options.case_timeout_s:g} s"
        except Exception as exc:
            run.error = error_summary(exc)
    if run.error is not None:
        _crashed_is_wrong(run, case.case.expect)
    run.tokens_in, run.tokens_out = recorder.tokens_in, recorder.tokens_out
    if world is not None:
        run.transcript = world.transcript
        run.latencies_ms = world.latencies_ms
    price = _price(options)
    if options.model != "offline" and price is not None:
        run.cost_usd = (run.tokens_in * price[0] + run.tokens_out * price[1]) / 1_000_000
    run.duration_ms = (time.perf_counter() - started) * 1000
    run.passed = run.error is None and all(check.passed for check in run.checks)
    return run


async def run_suites(
    services: Services,
    suites: Sequence[Suite],
    options: RunOptions,
    *,
    on_done: Callable[[CaseRun], None] | None = None,
    route: Route | None = None,
) -> EvalResult:
    """Run every case of every suite `options.trials` times, `options.concurrency` at once."""
    services = services.derive(model_settings(services.settings, options.model), embedder=services.embedder)
    await warm_up(services)
    route = route or choose_route(options.route)
    fakes = load_fake_telegram()
    semaphore = asyncio.Semaphore(max(1, options.concurrency))
    domain_locks: dict[str, asyncio.Lock] = {}
    resolved = [(suite, resolve(suite)) for suite in suites]
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    started = time.perf_counter()

    async def one(case: ResolvedCase, trial: int) -> CaseRun:
        # The team bot finds a rep's tenant by e-mail domain: cases sharing a domain take turns.
        domain = case.tenant.corporate_email_domain
        turn: contextlib.AbstractAsyncContextManager[Any] = (
            domain_locks.setdefault(domain, asyncio.Lock()) if domain else contextlib.nullcontext()
        )
        async with turn, semaphore:  # the domain's turn first: waiting for it holds no slot
            run = await run_case(services, case, trial, api, route, options)
        if on_done is not None:
            on_done(run)
        return run

    with _logs_into_transcripts():
        async with fakes.FakeTelegramAPI() as api:
            try:
                tasks = [
                    one(case, trial)
                    for _, cases in resolved
                    for case in cases
                    for trial in range(1, options.trials + 1)
                ]
                runs = await asyncio.gather(*tasks)
            finally:
                await route.close()
    results = []
    offset = 0
    for suite, cases in resolved:
        suite_runs = list(runs[offset : offset + len(cases) * options.trials])
        offset += len(suite_runs)
        summaries = group_runs(suite_runs, [c.id for c in cases], {c.id: c.case.description for c in cases})
        spent = sum(run.duration_ms for run in suite_runs) / 1000
        results.append(
            SuiteResult(
                suite.name,
                suite.path,
                suite.threshold,
                summaries,
                metrics_of(summaries, options.trials, spent),
            )
        )
    return EvalResult(
        model=options.model,
        trials=options.trials,
        concurrency=options.concurrency,
        started_at=started_at,
        duration_s=time.perf_counter() - started,
        suites=results,
    )
