"""Tool-trajectory matching, with the modes openevals/agentevals define.

Trajectory modes (how the agent's calls compare with the reference calls):
- strict: the same calls in the same order;
- unordered: the same calls in any order;
- subset: the agent called nothing beyond the reference (every agent call matches a reference call);
- superset: the agent called at least the reference (every reference call matches an agent call).

Argument modes (how one agent call's args compare with a reference call's args):
- exact: equal;
- subset: the agent's args are a subset of the reference's (no argument the reference lacks);
- superset: the agent's args contain the reference's (the reference lists only what matters);
- ignore: names only.

Each reference call is matched to a distinct agent call, as in agentevals' `_is_trajectory_superset`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

TrajectoryMode = Literal["strict", "unordered", "subset", "superset"]
ArgsMode = Literal["exact", "subset", "superset", "ignore"]


@dataclass(frozen=True)
class ToolCall:
    name: str
    args: Mapping[str, Any]


@dataclass(frozen=True)
class TrajectoryMatch:
    passed: bool
    matched: int
    """How many reference calls found an agent call (the tool-call accuracy numerator)."""
    expected: int
    reason: str

    @property
    def accuracy(self) -> float:
        return 1.0 if self.expected == 0 else self.matched / self.expected


def values_equal(actual: Any, expected: Any) -> bool:
    """Equality that forgives what JSON and YAML do to values: 3 == 3.0 == "3", case of strings."""
    if isinstance(expected, Mapping) and isinstance(actual, Mapping):
        return actual.keys() == expected.keys() and all(
            values_equal(actual[k], expected[k]) for k in expected
        )
    if isinstance(expected, list | tuple) and isinstance(actual, list | tuple):
        return len(actual) == len(expected) and all(
            values_equal(a, e) for a, e in zip(actual, expected, strict=True)
        )
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected or str(actual).lower() == str(expected).lower()
    number_a, number_e = _number(actual), _number(expected)
    if number_a is not None and number_e is not None:
        return number_a == number_e
    if isinstance(actual, str) and isinstance(expected, str):
        return actual.strip().casefold() == expected.strip().casefold()
    return bool(actual == expected)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip().replace(",", ""))
        except ArithmeticError:
            return None
    return None


def args_match(actual: Mapping[str, Any], reference: Mapping[str, Any], mode: ArgsMode) -> bool:
    if mode == "ignore":
        return True
    if mode == "exact":
        return actual.keys() == reference.keys() and all(
            values_equal(actual[k], reference[k]) for k in reference
        )
    if mode == "subset":
        return all(k in reference and values_equal(v, reference[k]) for k, v in actual.items())
    return all(k in actual and values_equal(actual[k], v) for k, v in reference.items())


def _covers(
    outer: Sequence[ToolCall], inner: Sequence[ToolCall], mode: ArgsMode, *, outer_is_agent: bool
) -> tuple[int, ToolCall | None]:
    """How many of `inner` find a distinct match in `outer`, and the first that does not."""
    used: set[int] = set()
    matched = 0
    missing: ToolCall | None = None
    for want in inner:
        for index, have in enumerate(outer):
            if index in used or have.name != want.name:
                continue
            agent, reference = (have, want) if outer_is_agent else (want, have)
            if args_match(agent.args, reference.args, mode):
                used.add(index)
                matched += 1
                break
        else:
            missing = missing or want
    return matched, missing


def _show(call: ToolCall) -> str:
    args = ", ".join(f"{k}={v!r}" for k, v in call.args.items())
    return f"{call.name}({args})"


def match_trajectory(
    agent: Sequence[ToolCall], reference: Sequence[ToolCall], mode: TrajectoryMode, args: ArgsMode
) -> TrajectoryMatch:
    """Compare the agent's tool calls with the reference calls."""
    expected = len(reference)
    if mode == "strict":
        matched = 0
        for have, want in zip(agent, reference, strict=False):
            if have.name != want.name or not args_match(have.args, want.args, args):
                break
            matched += 1
        if matched == expected == len(agent):
            return TrajectoryMatch(True, matched, expected, "same calls in the same order")
        if matched < min(len(agent), expected):
            return TrajectoryMatch(
                False,
                matched,
                expected,
                f"call {matched + 1}: expected {_show(reference[matched])}, got {_show(agent[matched])}",
            )
        return TrajectoryMatch(False, matched, expected, f"expected {expected} calls, got {len(agent)}")
    found, missing = _covers(agent, reference, args, outer_is_agent=True)
    if mode in ("superset", "unordered") and missing is not None:
        return TrajectoryMatch(False, found, expected, f"missing {_show(missing)}")
    if mode in ("subset", "unordered"):
        _, extra = _covers(reference, agent, args, outer_is_agent=False)
        if extra is not None:
            return TrajectoryMatch(False, found, expected, f"unexpected {_show(extra)}")
    return TrajectoryMatch(True, found, expected, f"{mode} match")
