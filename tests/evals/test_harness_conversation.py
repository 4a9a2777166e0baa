"""What the conversation suites (issue 12) need from the harness: a rep's working hours, list-valued lead
fields, photos sent, a viewing's time, and a team-bot message to the rep, each checked as a suite author writes it."""

from __future__ import annotations

from datetime import time
from typing import Any

import httpx
import pytest

from agent.core.clock import FrozenClock
from evals.actors import ActorIdentity, World
from evals.bot_api import REFUSED_PHOTO_HOST, FakeTelegramAPI
from evals.expectations import Scope, _check_messages, matches
from evals.results import TranscriptEvent
from evals.suite import Actor, Matcher, MessagesExpectation, SuiteError, parse_suite

HOURS = """\
name: hours
threshold: 0
cases:
  - id: a
    reps:
      - actor: rep
        name: Wayan
        working_hours: {HOURS}
    steps: [{lead: hi}]
    expect:
      viewings: {count: 1, property: BDH-CGU-001, date: 2026-03-07, time: "10:00"}
      lead: {property_types: [house, villa], locations: {contains: Canggu}}
      messages:
        - {photos: {min: 1}}
        - {to: rep, contains_any: [washing machine]}
"""


def _suite(hours: str) -> Any:
    return parse_suite(HOURS.replace("{HOURS}", hours), "suite.yaml")


def test_a_rep_gets_working_hours_as_reps_store_them() -> None:
    suite = _suite('{sat: ["10:00", "16:00"], mon: [["09:00", "12:00"], ["13:00", "18:00"]]}')
    [rep] = suite.cases[0].reps
    assert rep.working_hours == {"sat": ["10:00", "16:00"], "mon": [["09:00", "12:00"], ["13:00", "18:00"]]}
    expect = suite.cases[0].expect
    assert expect.viewings is not None and expect.viewings.time == time(10)
    assert expect.messages[0].photos == Matcher(min=1)


def test_unquoted_times_that_yaml_reads_as_numbers_are_read_back() -> None:
    # YAML 1.1 reads 18:30 as 1110 (base 60); the suite means half past six.
    [rep] = _suite("{fri: [10:00, 18:30]}").cases[0].reps
    assert rep.working_hours == {"fri": ["10:00", "18:30"]}


@pytest.mark.parametrize(
    ("hours", "why"),
    [
        ('{funday: ["09:00", "18:00"]}', "unknown day"),
        ('{mon: ["18:00", "09:00"]}', "is not before"),
        ('{mon: ["9am"]}', "expected [start, end]"),
    ],
)
def test_unreadable_working_hours_are_named_with_their_line(hours: str, why: str) -> None:
    with pytest.raises(SuiteError) as caught:
        _suite(hours)
    [issue] = caught.value.issues
    assert issue.line == 8 and "cases[0].reps[0].working_hours" in issue.field and why in issue.message


def test_list_valued_lead_fields_match_their_items_in_any_order() -> None:
    wanted = Matcher.model_validate(["house", "villa"])  # YAML `[house, villa]`
    assert matches(wanted, ["Villa", "house"])
    assert not matches(wanted, ["villa"]) and not matches(wanted, ["villa", "house", "land"])
    assert not matches(wanted, None)
    assert matches(Matcher.model_validate("villa"), ["villa"]) and not matches(
        Matcher.model_validate("villa"), ["villa", "house"]
    )
    assert matches(Matcher.model_validate({"contains": "canggu"}), ["Seminyak", "Canggu"])
    assert matches(Matcher.model_validate({"present": False}), [])
    # A plain field keeps its meaning: a list is a choice.
    assert matches(wanted, "villa") and not matches(wanted, "land")


def _scope(*events: TranscriptEvent) -> Scope:
    return Scope(tenant_id=1, time_zone="UTC", actor_ids={"lead": 1, "rep": 2}, events=events, tools=[])


def _out(actor: str, text: str, photos: int = 0) -> TranscriptEvent:
    return TranscriptEvent(at="", actor=actor, direction="out", kind="photo" if photos else "message",
                           text=text, photos=photos)  # fmt: skip


def test_photos_and_a_message_to_the_rep_are_checked() -> None:
    from evals.expectations import Evaluation

    scope = _scope(
        _out("lead", "Here they are", photos=3),
        _out("rep", "Lead Tom asks about the Berawa villa: is there a washing machine?"),
    )
    result = Evaluation()
    _check_messages(MessagesExpectation(photos=Matcher(min=1)), scope, result, "")
    _check_messages(MessagesExpectation(to="rep", contains_any=["washing machine"]), scope, result, "")
    _check_messages(MessagesExpectation(to="rep", photos=Matcher(min=1)), scope, result, "")
    assert [(check.name, check.passed) for check in result.checks] == [
        ("photos sent to lead", True),
        ("messages to rep contain one of ['washing machine']", True),
        ("photos sent to rep", False),
    ]


async def test_an_album_is_recorded_as_its_photos_and_a_refused_one_as_nothing() -> None:
    token = "123456:evalphotos"
    async with FakeTelegramAPI() as api, httpx.AsyncClient() as client:
        album = [{"type": "photo", "media": f"https://photos.example/{i}.jpg", **({"caption": "Villa"} if i == 0 else {})}
                 for i in range(3)]  # fmt: skip
        ok = await client.post(f"{api.base_url}{token}/sendMediaGroup", json={"chat_id": 7, "media": album})
        refused = [{"type": "photo", "media": f"https://{REFUSED_PHOTO_HOST}/{i}.jpg"} for i in range(2)]
        bad = await client.post(
            f"{api.base_url}{token}/sendMediaGroup", json={"chat_id": 7, "media": refused}
        )
        one = await client.post(
            f"{api.base_url}{token}/sendPhoto", json={"chat_id": 7, "photo": "https://photos.example/x.jpg"}
        )
        assert ok.json()["ok"] and len(ok.json()["result"]) == 3
        assert bad.json() == {
            "ok": False, "error_code": 400, "description": "Bad Request: failed to get HTTP URL content"
        }  # fmt: skip
        assert one.json()["ok"]

        world = World(
            case=None,  # type: ignore[arg-type]  # collect_sent reads the API log, the actors and the clock
            trial=1,
            services=None,  # type: ignore[arg-type]
            clock=FrozenClock(),
            tenant_id=1,
            tenant_slug="t",
            time_zone="UTC",
            lead_bot_token=token,
            team_bot_token="654321:team",
            actors={"lead": ActorIdentity("lead", Actor(role="lead"), 7)},
            api=api,
        )
        events = world.collect_sent()
    assert [(e.kind, e.photos, e.text) for e in events] == [("photo", 3, "Villa"), ("photo", 1, "")]
