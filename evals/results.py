"""What an eval run produces: checks, transcripts, per-trial runs, per-case and per-suite summaries.

Plain dataclasses, written to and read from JSON (`realty eval --json`, `realty eval compare`).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

CheckKind = str
"""slot | score | tool | message | language | rep | prospect | viewing | followup | alert | privacy | lead"""


@dataclass
class CheckResult:
    name: str
    passed: bool
    kind: CheckKind
    expected: str = ""
    actual: str = ""
    step: int | None = None
    """Index of the step whose `expect` this came from; None for the case's final `expect`."""


@dataclass
class TranscriptEvent:
    """One line of a case's conversation, as the report shows it."""

    at: str
    actor: str
    direction: str
    """in: an actor to a bot; out: a bot to an actor; clock: time moved; note: what the runner did."""
    kind: str
    text: str = ""
    buttons: list[str] = field(default_factory=list)
    tools: list[dict[str, Any]] = field(default_factory=list)
    phase: str | None = None
    latency_ms: float | None = None
    step: int | None = None
    photos: int = 0
    """Photos the message carried (a photo, or each photo of a media group)."""


@dataclass
class CaseRun:
    """One trial of one case."""

    suite: str
    case_id: str
    trial: int
    passed: bool
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    error: str | None = None
    """The exception and a short traceback when the case crashed (it then counts as failed)."""
    checks: list[CheckResult] = field(default_factory=list)
    transcript: list[TranscriptEvent] = field(default_factory=list)
    path: str = "direct"
    """How the case reached the system: telegram (the bots behind the loopback Bot API) or direct."""
    latencies_ms: list[float] = field(default_factory=list)
    duration_ms: float = 0.0
    tools_matched: int = 0
    tools_expected: int = 0
    language_ok: int = 0
    language_total: int = 0
    slots: dict[str, list[int]] = field(default_factory=dict)
    """Per lead field: [correct, checked]."""
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float | None = None
    joint_slots: bool | None = None
    """Every lead field the case's final `expect` checks was right (None: it checks none)."""
    visit: dict[str, bool] = field(default_factory=dict)
    """The expected viewing (property on a date): `property`, `date` and `both` right; empty when none is expected."""

    @property
    def failed_checks(self) -> list[CheckResult]:
        return [check for check in self.checks if not check.passed]


def pass_hat_k(successes: int, trials: int, k: int) -> float:
    """τ-bench's pass^k: the chance that k trials drawn from these all pass (C(c,k)/C(n,k))."""
    if k <= 0 or trials < k:
        return float("nan")
    return math.comb(successes, k) / math.comb(trials, k)


def percentile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[index]


def _ratio(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else numerator / denominator


@dataclass
class CaseSummary:
    case_id: str
    description: str | None
    runs: list[CaseRun]

    @property
    def successes(self) -> int:
        return sum(run.passed for run in self.runs)

    @property
    def pass_rate(self) -> float:
        return self.successes / len(self.runs) if self.runs else 0.0

    def pass_hat(self, k: int) -> float:
        return pass_hat_k(self.successes, len(self.runs), k)

    @property
    def errored(self) -> bool:
        return any(run.error for run in self.runs)


@dataclass
class Metrics:
    """The figures of a suite (or of a whole run)."""

    cases: int
    trials: int
    pass_rate: float
    pass_hat_k: float
    errors: int
    tool_accuracy: float | None
    language_accuracy: float | None
    slot_accuracy: dict[str, float]
    slot_counts: dict[str, list[int]]
    check_pass_rate: float | None
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    turns: int
    duration_s: float
    tokens_in: int
    tokens_out: int
    cost_usd: float | None
    yardstick: dict[str, float] = field(default_factory=dict)
    """The SGD yardstick (runs tagged `sgd`): joint slot, visit and visit-date accuracy, overall and split by
    whether the lead named the property (`:named`) or picked one the system offered (`:offered`)."""
    yardstick_counts: dict[str, list[int]] = field(default_factory=dict)
    """The same keys: [right, graded]."""


YARDSTICK_TAG = "sgd"
NAMED_TAG = "property-named"
OFFERED_TAG = "property-offered"
YARDSTICK_SPLITS = {"named": NAMED_TAG, "offered": OFFERED_TAG}
YARDSTICK_MEASURES = ("joint_slot_accuracy", "visit_accuracy", "visit_date_accuracy")


def _yardstick_marks(run: CaseRun) -> dict[str, bool]:
    marks = {}
    if run.joint_slots is not None:
        marks["joint_slot_accuracy"] = run.joint_slots
    if run.visit:
        marks["visit_accuracy"] = run.visit.get("both", False)
        marks["visit_date_accuracy"] = run.visit.get("date", False)
    return marks


def yardstick_of(runs: Iterable[CaseRun]) -> dict[str, list[int]]:
    """[right, graded] per yardstick figure, over the runs tagged `sgd`; empty when there are none."""
    counts: dict[str, list[int]] = {}
    for run in runs:
        if YARDSTICK_TAG not in run.tags:
            continue
        splits = [split for split, tag in YARDSTICK_SPLITS.items() if tag in run.tags]
        for measure, right in _yardstick_marks(run).items():
            for key in (measure, *(f"{measure}:{split}" for split in splits)):
                count = counts.setdefault(key, [0, 0])
                count[0] += int(right)
                count[1] += 1
    order = [f"{m}{s}" for m in YARDSTICK_MEASURES for s in ("", *(f":{x}" for x in YARDSTICK_SPLITS))]
    return {key: counts[key] for key in order if key in counts}


def metrics_of(cases: Sequence[CaseSummary], trials: int, duration_s: float) -> Metrics:
    runs = [run for case in cases for run in case.runs]
    slots: dict[str, list[int]] = {}
    for run in runs:
        for name, (ok, total) in run.slots.items():
            slot = slots.setdefault(name, [0, 0])
            slot[0] += ok
            slot[1] += total
    latencies = [value for run in runs for value in run.latencies_ms]
    checks = [check for run in runs for check in run.checks]
    costs = [run.cost_usd for run in runs if run.cost_usd is not None]
    hats = [case.pass_hat(trials) for case in cases if len(case.runs) >= trials]
    yardstick = yardstick_of(runs)
    return Metrics(
        cases=len(cases),
        trials=trials,
        pass_rate=(sum(run.passed for run in runs) / len(runs)) if runs else 0.0,
        pass_hat_k=statistics.fmean(hats) if hats else 0.0,
        errors=sum(1 for run in runs if run.error),
        tool_accuracy=_ratio(sum(r.tools_matched for r in runs), sum(r.tools_expected for r in runs)),
        language_accuracy=_ratio(sum(r.language_ok for r in runs), sum(r.language_total for r in runs)),
        slot_accuracy={name: ok / total for name, (ok, total) in sorted(slots.items()) if total},
        slot_counts=dict(sorted(slots.items())),
        check_pass_rate=_ratio(sum(c.passed for c in checks), len(checks)),
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        turns=len(latencies),
        duration_s=duration_s,
        tokens_in=sum(run.tokens_in for run in runs),
        tokens_out=sum(run.tokens_out for run in runs),
        cost_usd=sum(costs) if costs else None,
        yardstick={key: ok / total for key, (ok, total) in yardstick.items()},
        yardstick_counts=yardstick,
    )


@dataclass
class SuiteResult:
    name: str
    path: str
    threshold: float
    cases: list[CaseSummary]
    metrics: Metrics

    @property
    def met(self) -> bool:
        return self.metrics.pass_rate >= self.threshold - 1e-9

    def ordered_cases(self) -> list[CaseSummary]:
        """Failures first (errors before plain failures), then the rest in file order."""
        return sorted(self.cases, key=lambda c: (c.pass_rate >= 1.0, not c.errored))


@dataclass
class EvalResult:
    model: str
    trials: int
    concurrency: int
    started_at: str
    duration_s: float
    suites: list[SuiteResult]

    @property
    def all_met(self) -> bool:
        """Every suite reached its threshold (the HTML report's header reads this, templates/report.html.j2)."""
        return all(suite.met for suite in self.suites)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for suite_data, suite in zip(data["suites"], self.suites, strict=True):
            suite_data["met"] = suite.met
            for case_data, case in zip(suite_data["cases"], suite.cases, strict=True):
                case_data["pass_rate"] = case.pass_rate
                case_data["pass_hat_k"] = case.pass_hat(self.trials)
        return _finite(data)


def _finite(value: Any) -> Any:
    """JSON has no NaN: write null instead."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _run_from(data: Mapping[str, Any]) -> CaseRun:
    fields = dict(data)
    fields["checks"] = [CheckResult(**c) for c in fields.get("checks", [])]
    fields["transcript"] = [TranscriptEvent(**e) for e in fields.get("transcript", [])]
    return CaseRun(**fields)


def result_from_json(data: Mapping[str, Any]) -> EvalResult:
    """Read back what `EvalResult.to_json` wrote (derived fields are recomputed, not trusted)."""
    suites = []
    for suite in data["suites"]:
        cases = [
            CaseSummary(case["case_id"], case.get("description"), [_run_from(r) for r in case["runs"]])
            for case in suite["cases"]
        ]
        metrics = Metrics(**suite["metrics"])
        suites.append(SuiteResult(suite["name"], suite["path"], suite["threshold"], cases, metrics))
    return EvalResult(
        model=data["model"],
        trials=data["trials"],
        concurrency=data.get("concurrency", 1),
        started_at=data["started_at"],
        duration_s=data["duration_s"],
        suites=suites,
    )


def group_runs(
    runs: Iterable[CaseRun], order: Sequence[str], descriptions: Mapping[str, str | None]
) -> list[CaseSummary]:
    by_case: dict[str, list[CaseRun]] = {case_id: [] for case_id in order}
    for run in runs:
        by_case.setdefault(run.case_id, []).append(run)
    return [
        CaseSummary(case_id, descriptions.get(case_id), sorted(case_runs, key=lambda r: r.trial))
        for case_id, case_runs in by_case.items()
    ]
