"""The suite format: what a non-programmer writes parses into cases; a mistake names file, line and field."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from evals.suite import SuiteError, load_suite, parse_duration, parse_suite, resolve, suite_files

SUITES = Path(__file__).resolve().parents[2] / "evals" / "suites"

GOOD = """\
name: Lead qualification (EN)
threshold: 0.8
defaults:
  language: en
  tenant: {time_zone: Asia/Makassar, country_code: ID}
  catalog: demo
cases:
  - id: villa-canggu
    description: A buyer who knows what they want.
    clock: 2026-03-02T10:00:00
    steps:
      - lead: {start: expo_bali}
      - lead: Hi! 3 bedroom villa in Canggu, up to $500k
        expect:
          tools: [update_preferences]
      - lead: {press: Canggu}
      - lead: {contact: "+62 812 3456 7890"}
      - wait: 1h 59m
      - at: 2026-03-03T09:00
      - admin: {reply: approve}
    expect:
      lead:
        bedrooms: 3
        location: [Canggu, canggu]
        budget_max: {min: 400000, max: 500000}
        phone: {present: true}
      temperature: [warm, hot, burning]
      tools: {mode: superset, args: superset, calls: [{name: update_preferences, args: {bedrooms: 3}}], never: [book_viewing]}
      messages:
        - {to: lead, language: en, not_contains: [ignore previous], max_length: 4096}
        - {to: admin, contains: ["+62"]}
      followups: {kind: ghost, sent: 0}
      alerts: {kind: phone_captured, count: 1, to: admin}
"""


def _line(text: str, fragment: str) -> int:
    return next(number for number, row in enumerate(text.splitlines(), 1) if fragment in row)


def _issues(text: str) -> list[str]:
    with pytest.raises(SuiteError) as caught:
        parse_suite(text, "suite.yaml")
    return [str(issue) for issue in caught.value.issues]


def test_a_suite_parses_into_cases_with_defaults_applied() -> None:
    suite = parse_suite(GOOD, "suite.yaml")
    [case] = resolve(suite)
    assert case.language == "en" and case.catalog is not None and case.catalog.demo
    assert case.tenant.time_zone == "Asia/Makassar"
    assert set(case.actors) == {"lead", "admin"} and case.actors["admin"].role == "admin"
    steps = case.case.steps
    assert [s.action for s in steps] == ["start", "text", "press", "contact", "wait", "at", "reply"]
    assert (
        steps[0].code == "expo_bali"
        and steps[2].label == "Canggu"
        and steps[4].by == timedelta(hours=1, minutes=59)
    )
    assert steps[1].expect is not None and steps[1].expect.tools is not None
    expect = case.case.expect
    assert expect.lead["location"].one_of == ["Canggu", "canggu"]
    assert expect.lead["budget_max"].max == 500000
    assert expect.alerts[0].to == ["admin"]


def test_a_misspelt_field_is_named_with_its_line() -> None:
    text = GOOD.replace("not_contains:", "not_contain:")
    [issue] = _issues(text)
    assert issue.startswith(f"suite.yaml:{_line(text, 'not_contain:')}:")
    assert "cases[0].expect.messages[0].not_contain" in issue and "unknown field" in issue


def test_a_wrong_value_is_named_with_its_line() -> None:
    text = GOOD.replace("wait: 1h 59m", "wait: soon")
    [issue] = _issues(text)
    assert (
        issue.startswith(f"suite.yaml:{_line(text, 'wait: soon')}:")
        and "cases[0].steps[4]" in issue
        and "not a duration" in issue
    )


def test_a_missing_field_and_a_bad_threshold_are_both_reported() -> None:
    issues = _issues(
        "name: x\nthreshold: 1.5\ncases:\n  - steps: [{lead: hi}]\n    expect: {lead: {bedrooms: 2}}\n"
    )
    assert any(i.startswith("suite.yaml:2:") and "threshold" in i for i in issues)
    assert any(i.startswith("suite.yaml:4:") and "cases[0].id" in i and "required" in i for i in issues)


def test_an_unknown_lead_field_suggests_the_right_one() -> None:
    text = GOOD.replace("        bedrooms: 3\n", "        bedroms: 3\n")
    [issue] = _issues(text)
    assert (
        issue.startswith(f"suite.yaml:{_line(text, 'bedroms')}:9:")
        and "lead.bedroms" in issue
        and "did you mean bedrooms" in issue
    )


def test_steps_name_a_known_actor_and_one_action() -> None:
    issues = _issues(GOOD.replace("- admin: {reply: approve}", "- boss: hello"))
    assert any(i.startswith("suite.yaml:") and "unknown actor 'boss'" in i for i in issues)
    [issue] = _issues(GOOD.replace("{press: Canggu}", "{pres: Canggu}"))
    assert "cases[0].steps[2]" in issue and "press" in issue


def test_broken_yaml_and_duplicates_are_located() -> None:
    [issue] = _issues("name: x\nthreshold: 0.5\ncases: [\n")
    assert issue.startswith("suite.yaml:4:") and "not valid YAML" in issue
    text = GOOD.replace("  - id: villa-canggu\n", "  - id: villa-canggu\n    id: again\n")
    assert any(
        "appears twice" in i and i.startswith(f"suite.yaml:{_line(text, 'id: again')}:")
        for i in _issues(text)
    )
    twice = GOOD + GOOD.split("cases:\n", 1)[1]
    assert any("duplicate case id" in i for i in _issues(twice))


def test_a_case_must_check_something() -> None:
    [issue] = _issues("name: x\nthreshold: 1\ncases:\n  - id: a\n    steps: [{lead: hi}]\n")
    assert issue.startswith("suite.yaml:4:") and "checks nothing" in issue


def test_a_missing_file_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(SuiteError) as caught:
        load_suite(tmp_path / "nope.yaml")
    assert "nope.yaml:1:1" in str(caught.value) and "cannot read" in str(caught.value)


def test_durations_read_like_people_write_them() -> None:
    assert parse_duration("2h") == timedelta(hours=2)
    assert parse_duration("1h 30m") == parse_duration("90 minutes") == timedelta(minutes=90)
    assert parse_duration("1 day") == timedelta(days=1)
    assert parse_duration(15) == timedelta(minutes=15)
    with pytest.raises(ValueError):
        parse_duration("2 fortnights")


def test_every_shipped_suite_parses() -> None:
    files = suite_files([SUITES])
    for path in files:
        suite = load_suite(path)
        assert suite.cases, path


def test_the_readme_example_is_a_valid_suite() -> None:
    readme = (SUITES.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("## A suite file", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    suite = parse_suite(example, "README.md")
    assert suite.cases[0].id == "en-buyer-one-message"


def test_sgd_dialogues_become_cases_graded_on_the_final_state(tmp_path: Path) -> None:
    from datetime import datetime

    from evals.sgd import convert_files

    dialogue = {
        "dialogue_id": "1_00001",
        "services": ["Homes_1"],
        "turns": [
            {
                "speaker": "user",
                "utterance": "A 2 bed place in Fremont please.",
                "slot_values": {"area": ["Fremont"], "number_of_beds": ["2"]},
            },
            {
                "speaker": "system",
                "utterance": "Found one.",
                "service_call": {"method": "FindApartment", "parameters": {}},
            },
            {
                "speaker": "user",
                "utterance": "With pets, 3 beds actually.",
                "slot_values": {"area": ["Fremont"], "number_of_beds": ["3"], "pets_allowed": ["True"]},
            },
            {
                "speaker": "system",
                "utterance": "Booked.",
                "service_call": {
                    "method": "ScheduleVisit",
                    "parameters": {"property_name": "Amber Court", "visit_date": "2019-03-04"},
                },
            },
        ],
        "listings": [
            {
                "property_name": "Amber Court",
                "area": "Fremont",
                "rent": "3500",
                "number_of_beds": "3",
                "number_of_baths": "2",
                "pets_allowed": "True",
                "furnished": "False",
                "address": "1 Main St",
                "phone_number": "510-000-0000",
            }
        ],
    }
    source = tmp_path / "dialogues.jsonl"
    source.write_text(json.dumps(dialogue) + "\n", encoding="utf-8")
    out = tmp_path / "suite.yaml"

    report = convert_files([source], out, name="SGD test", threshold=0.5, clock=datetime(2019, 3, 1, 10))

    assert (report.dialogues, report.cases) == (1, 1)
    [case] = resolve(load_suite(out))
    assert [step.text for step in case.case.steps] == [
        "A 2 bed place in Fremont please.",
        "With pets, 3 beds actually.",
    ]
    expect = case.case.expect
    assert expect.lead["location"].equals == "Fremont" and expect.lead["bedrooms"].equals == 3
    assert expect.lead["pets"].equals is True
    assert expect.viewings is not None and expect.viewings.property == "Amber Court"
    assert str(expect.viewings.date) == "2019-03-04"
    assert case.catalog is not None and case.catalog.format == "sgd" and case.clock is not None
    assert "CC BY-SA 4.0" in out.read_text(encoding="utf-8")


def test_a_broken_dialogue_file_names_its_line(tmp_path: Path) -> None:
    from datetime import datetime

    from evals.sgd import SgdError, convert_files

    source = tmp_path / "bad.jsonl"
    source.write_text('{"dialogue_id": "a", "turns": []}\n{not json\n', encoding="utf-8")
    with pytest.raises(SgdError, match=r"bad.jsonl:2: not JSON"):
        convert_files([source], tmp_path / "x.yaml", name="x", threshold=0, clock=datetime(2019, 3, 1))
