"""`realty eval compare A.json B.json`: what got better and what got worse, per suite metric and per case."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from evals.results import EvalResult, Metrics, result_from_json

Verdict = Literal["better", "worse", "same", "new", "gone"]

HIGHER_IS_BETTER = ("pass_rate", "pass_hat_k", "tool_accuracy", "language_accuracy", "check_pass_rate")
LOWER_IS_BETTER = ("errors", "latency_p50_ms", "latency_p95_ms", "cost_usd")
LATENCY_TOLERANCE = 0.10
"""Latency moves by noise: within ±10 % it is the same."""


@dataclass(frozen=True)
class Change:
    suite: str
    subject: str
    """A metric name (`pass_rate`, `slot:location`) or `case <id>`."""
    before: float | None
    after: float | None
    verdict: Verdict


def load_result(path: Path) -> EvalResult:
    return result_from_json(json.loads(path.read_text(encoding="utf-8")))


def _verdict(
    before: float | None, after: float | None, *, higher_is_better: bool, tolerance: float = 0.0
) -> Verdict:
    if before is None and after is None:
        return "same"
    if before is None:
        return "new"
    if after is None:
        return "gone"
    margin = abs(before) * tolerance
    if abs(after - before) <= max(margin, 1e-9):
        return "same"
    return "better" if (after > before) == higher_is_better else "worse"


def _metric_changes(suite: str, a: Metrics, b: Metrics) -> list[Change]:
    changes = []
    for name in HIGHER_IS_BETTER + LOWER_IS_BETTER:
        before, after = getattr(a, name), getattr(b, name)
        tolerance = LATENCY_TOLERANCE if name.startswith("latency") else 0.0
        verdict = _verdict(before, after, higher_is_better=name in HIGHER_IS_BETTER, tolerance=tolerance)
        changes.append(Change(suite, name, before, after, verdict))
    for key in list(a.yardstick) + [k for k in b.yardstick if k not in a.yardstick]:
        before, after = a.yardstick.get(key), b.yardstick.get(key)
        changes.append(Change(suite, key, before, after, _verdict(before, after, higher_is_better=True)))
    for slot in sorted(set(a.slot_accuracy) | set(b.slot_accuracy)):
        before, after = a.slot_accuracy.get(slot), b.slot_accuracy.get(slot)
        changes.append(
            Change(suite, f"slot:{slot}", before, after, _verdict(before, after, higher_is_better=True))
        )
    return changes


def compare(a: EvalResult, b: EvalResult) -> list[Change]:
    """Every suite metric, slot and case of A against B (suites matched by name)."""
    changes: list[Change] = []
    suites_a = {suite.name: suite for suite in a.suites}
    suites_b = {suite.name: suite for suite in b.suites}
    for name in list(suites_a) + [n for n in suites_b if n not in suites_a]:
        sa, sb = suites_a.get(name), suites_b.get(name)
        if sa is None or sb is None:
            changes.append(
                Change(
                    name,
                    "suite",
                    None if sa is None else 1.0,
                    None if sb is None else 1.0,
                    "new" if sa is None else "gone",
                )
            )
            continue
        changes.extend(_metric_changes(name, sa.metrics, sb.metrics))
        cases_a = {case.case_id: case.pass_rate for case in sa.cases}
        cases_b = {case.case_id: case.pass_rate for case in sb.cases}
        for case_id in list(cases_a) + [c for c in cases_b if c not in cases_a]:
            before, after = cases_a.get(case_id), cases_b.get(case_id)
            changes.append(
                Change(name, f"case {case_id}", before, after, _verdict(before, after, higher_is_better=True))
            )
    return changes
