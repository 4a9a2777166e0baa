"""Tool-trajectory matching: the four trajectory modes and the four argument modes of openevals/agentevals."""

from __future__ import annotations

import pytest

from evals.trajectory import ToolCall, args_match, match_trajectory, values_equal

SEARCH = ToolCall("search_properties", {"location": "Canggu", "bedrooms": 3})
PREFS = ToolCall("update_preferences", {"bedrooms": 3})
CONTACT = ToolCall("capture_contact", {"phone": "+6281234567890"})


def test_strict_needs_the_same_calls_in_the_same_order() -> None:
    assert match_trajectory([PREFS, SEARCH], [PREFS, SEARCH], "strict", "exact").passed
    swapped = match_trajectory([SEARCH, PREFS], [PREFS, SEARCH], "strict", "exact")
    assert not swapped.passed and "call 1" in swapped.reason
    longer = match_trajectory([PREFS, SEARCH, CONTACT], [PREFS, SEARCH], "strict", "exact")
    assert not longer.passed and longer.matched == 2


def test_unordered_needs_the_same_calls_in_any_order() -> None:
    assert match_trajectory([SEARCH, PREFS], [PREFS, SEARCH], "unordered", "exact").passed
    assert not match_trajectory([SEARCH, PREFS, CONTACT], [PREFS, SEARCH], "unordered", "exact").passed
    assert not match_trajectory([SEARCH], [PREFS, SEARCH], "unordered", "exact").passed


def test_superset_lets_the_agent_do_more_but_not_less() -> None:
    assert match_trajectory([SEARCH, PREFS, CONTACT], [PREFS], "superset", "exact").passed
    missing = match_trajectory([SEARCH], [PREFS, CONTACT], "superset", "exact")
    assert not missing.passed and missing.matched == 0 and "update_preferences" in missing.reason


def test_subset_lets_the_agent_do_less_but_nothing_else() -> None:
    assert match_trajectory([PREFS], [PREFS, SEARCH], "subset", "exact").passed
    assert match_trajectory([], [PREFS, SEARCH], "subset", "exact").passed
    extra = match_trajectory([PREFS, CONTACT], [PREFS, SEARCH], "subset", "exact")
    assert not extra.passed and "capture_contact" in extra.reason


def test_each_reference_call_needs_its_own_agent_call() -> None:
    assert not match_trajectory([PREFS], [PREFS, PREFS], "superset", "ignore").passed
    assert match_trajectory([PREFS, PREFS], [PREFS, PREFS], "superset", "ignore").passed


@pytest.mark.parametrize(
    ("actual", "reference", "mode", "expected"),
    [
        ({"a": 1, "b": 2}, {"a": 1, "b": 2}, "exact", True),
        ({"a": 1, "b": 2}, {"a": 1}, "exact", False),
        ({"a": 1}, {"a": 1, "b": 2}, "subset", True),
        ({"a": 1, "c": 3}, {"a": 1, "b": 2}, "subset", False),
        ({"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 2}, "superset", True),
        ({"a": 1}, {"a": 1, "b": 2}, "superset", False),
        ({"a": 5}, {"b": 7}, "ignore", True),
    ],
)
def test_argument_modes(actual: dict[str, int], reference: dict[str, int], mode: str, expected: bool) -> None:
    assert args_match(actual, reference, mode) is expected  # type: ignore[arg-type]


def test_values_compare_as_yaml_writers_mean_them() -> None:
    assert values_equal(3, "3") and values_equal(3.0, 3) and values_equal("Canggu ", "canggu")
    assert values_equal(500000, "500,000")
    assert not values_equal(True, 1) and not values_equal("3", 4)
    assert values_equal({"min": 1, "tags": ["a"]}, {"min": "1", "tags": ["A"]})


def test_tool_call_accuracy_counts_matched_reference_calls() -> None:
    match = match_trajectory([PREFS], [PREFS, SEARCH, CONTACT], "superset", "ignore")
    assert (match.matched, match.expected) == (1, 3)
    assert match.accuracy == pytest.approx(1 / 3)
    assert match_trajectory([], [], "strict", "exact").accuracy == 1.0
