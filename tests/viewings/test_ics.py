"""The .ics invitation of the embedded calendar: what a calendar app reads from it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from agent.adapters.ics import Invitation, Method, Person, build_ics, invitation_filename, viewing_uid

STAMP = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
INVITATION = Invitation(
    uid=viewing_uid(41, "acme"),
    sequence=0,
    starts_at=datetime(2026, 3, 10, 2, 0, tzinfo=UTC),
    ends_at=datetime(2026, 3, 10, 3, 0, tzinfo=UTC),
    zone="Asia/Makassar",
    summary="Просмотр: Вилла «Закат», Чангу",
    description="Вилла «Закат»\nJl. Pantai Berawa 12, Canggu\nhttps://acme.example/p/7",
    organizer=Person("Anna Smirnova", "anna@acme-realty.com"),
    attendees=(Person("Ivan Petrov", "ivan@example.com"),),
    location="Jl. Pantai Berawa 12, Canggu",
    url="https://us05web.zoom.us/j/85746065432",
)


def parse(data: bytes) -> tuple[Calendar, object]:
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_a_request_carries_everything_a_calendar_app_needs() -> None:
    data = build_ics(INVITATION, Method.REQUEST, STAMP)
    calendar, event = parse(data)

    assert calendar["METHOD"] == "REQUEST" and calendar["VERSION"] == "2.0"
    assert event["UID"] == "viewing-41@acme.realty-agent" and event["SEQUENCE"] == 0  # type: ignore[index]
    assert event["STATUS"] == "CONFIRMED"  # type: ignore[index]
    assert event.decoded("DTSTART") == datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Makassar"))  # type: ignore[attr-defined]
    assert event.decoded("DTEND") - event.decoded("DTSTART") == INVITATION.ends_at - INVITATION.starts_at  # type: ignore[attr-defined]
    assert b"DTSTART;TZID=Asia/Makassar:20260310T100000" in data
    assert b"BEGIN:VTIMEZONE" in data and b"TZID:Asia/Makassar" in data
    assert str(event["ORGANIZER"]) == "mailto:anna@acme-realty.com"  # type: ignore[index]
    attendees = {str(a): a.params for a in event["ATTENDEE"]}  # type: ignore[index]
    assert attendees["mailto:ivan@example.com"]["RSVP"] == "TRUE"
    assert attendees["mailto:ivan@example.com"]["CN"] == "Ivan Petrov"
    assert attendees["mailto:anna@acme-realty.com"]["ROLE"] == "CHAIR"
    assert str(event["LOCATION"]) == "Jl. Pantai Berawa 12, Canggu"  # type: ignore[index]
    assert str(event["DESCRIPTION"]).splitlines()[0] == "Вилла «Закат»"  # type: ignore[index]
    assert str(event["SUMMARY"]) == INVITATION.summary  # type: ignore[index]
    assert str(event["URL"]) == INVITATION.url  # type: ignore[index]


def test_each_side_gets_a_copy_on_their_own_clock() -> None:
    lead_copy = build_ics(
        Invitation(**{**INVITATION.__dict__, "zone": "Europe/Moscow"}), Method.REQUEST, STAMP
    )
    assert b"DTSTART;TZID=Europe/Moscow:20260310T050000" in lead_copy
    _, event = parse(lead_copy)
    assert event.decoded("DTSTART").astimezone(UTC) == INVITATION.starts_at  # type: ignore[attr-defined]


def test_a_reschedule_and_a_cancel_update_the_same_event() -> None:
    moved = Invitation(
        **{
            **INVITATION.__dict__,
            "sequence": 1,
            "starts_at": datetime(2026, 3, 13, 6, 0, tzinfo=UTC),
            "ends_at": datetime(2026, 3, 13, 7, 0, tzinfo=UTC),
        }
    )
    _, request = parse(build_ics(moved, Method.REQUEST, STAMP))
    calendar, cancel = parse(build_ics(Invitation(**{**moved.__dict__, "sequence": 2}), Method.CANCEL, STAMP))

    assert request["UID"] == cancel["UID"] == INVITATION.uid  # type: ignore[index]
    assert request["SEQUENCE"] == 1 and cancel["SEQUENCE"] == 2  # type: ignore[index]
    assert calendar["METHOD"] == "CANCEL" and cancel["STATUS"] == "CANCELLED"  # type: ignore[index]
    assert invitation_filename(41, Method.CANCEL) == "viewing-41-cancelled.ics"


def test_a_lead_without_an_email_is_left_off_the_attendees() -> None:
    data = build_ics(
        Invitation(**{**INVITATION.__dict__, "attendees": (Person("Ivan Petrov"),)}), Method.REQUEST, STAMP
    )
    _, event = parse(data)
    attendees = event["ATTENDEE"]  # type: ignore[index]
    assert [str(a) for a in (attendees if isinstance(attendees, list) else [attendees])] == [
        "mailto:anna@acme-realty.com"
    ]


def test_times_must_be_aware_and_the_organizer_known() -> None:
    with pytest.raises(ValueError):
        build_ics(
            Invitation(**{**INVITATION.__dict__, "starts_at": datetime(2026, 3, 10, 10)}),
            Method.REQUEST,
            STAMP,
        )
    with pytest.raises(ValueError):
        build_ics(Invitation(**{**INVITATION.__dict__, "organizer": Person("Anna")}), Method.REQUEST, STAMP)


def test_the_same_viewing_gives_the_same_file() -> None:
    assert build_ics(INVITATION, Method.REQUEST, STAMP) == build_ics(INVITATION, Method.REQUEST, STAMP)
