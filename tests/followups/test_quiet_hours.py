"""Quiet hours: nothing reaches a lead at night in their time zone; a held message goes in the morning,
unless the lead wrote first."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from agent.core.clock import FrozenClock
from agent.core.policies.quiet_hours import QuietHours, is_quiet, next_send_time
from agent.core.zones import zone_of
from agent.services.jobs.run import run_due
from agent.settings import Settings
from evals.bot_api import FakeTelegramAPI
from storage.db import Database
from storage.models import Lead
from tests.jobs_support import job_context_on, make_lead, make_tenant, reload, sends_of

BERLIN = ZoneInfo("Europe/Berlin")
BALI = ZoneInfo("Asia/Makassar")  # UTC+8, no DST


def local(zone: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=zone)  # type: ignore[misc]


def test_the_default_window_is_nine_pm_to_eight_am_local() -> None:
    assert not is_quiet(local(BALI, 2026, 3, 2, 20, 59), BALI)
    assert is_quiet(local(BALI, 2026, 3, 2, 21, 0), BALI)
    assert is_quiet(local(BALI, 2026, 3, 3, 3, 0), BALI)
    assert is_quiet(local(BALI, 2026, 3, 3, 7, 59), BALI)
    assert not is_quiet(local(BALI, 2026, 3, 3, 8, 0), BALI)


def test_a_message_due_at_night_goes_at_eight_the_next_morning() -> None:
    due = local(BALI, 2026, 3, 2, 22, 30)
    assert next_send_time(due, BALI) == local(BALI, 2026, 3, 3, 8, 0)
    early = local(BALI, 2026, 3, 3, 6, 15)
    assert next_send_time(early, BALI) == local(BALI, 2026, 3, 3, 8, 0)
    day = local(BALI, 2026, 3, 3, 12, 0)
    assert next_send_time(day, BALI) == day


def test_the_window_follows_daylight_saving_changes() -> None:
    # Spring forward in Berlin: the night of 28→29 March 2026 is an hour shorter; 08:00 is then UTC+2.
    spring = next_send_time(local(BERLIN, 2026, 3, 28, 23, 0), BERLIN)
    assert spring == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
    # Fall back: 08:00 on 25 October 2026 is UTC+1 again.
    autumn = next_send_time(local(BERLIN, 2026, 10, 24, 22, 0), BERLIN)
    assert autumn == datetime(2026, 10, 25, 7, 0, tzinfo=UTC)


def test_a_window_ending_inside_a_dst_gap_ends_at_the_first_real_instant() -> None:
    hours = QuietHours(start=time(22, 0), end=time(2, 30))  # 02:30 does not exist in Berlin on 29 March
    end = next_send_time(local(BERLIN, 2026, 3, 28, 23, 0), BERLIN, hours)
    assert end.astimezone(BERLIN).hour == 3 and not is_quiet(end, BERLIN, hours)


def test_the_leads_zone_wins_and_a_bad_name_falls_back() -> None:
    assert zone_of("Europe/Moscow", "Asia/Makassar") == ZoneInfo("Europe/Moscow")
    assert zone_of(None, "Asia/Makassar") == BALI
    assert zone_of("Mars/Olympus", "Asia/Makassar") == BALI
    assert zone_of(None, None) == ZoneInfo("UTC")
    assert not is_quiet(datetime(2026, 1, 1, 23, 0, tzinfo=UTC), BALI, QuietHours(time(9), time(9)))


async def test_a_nudge_due_at_night_is_held_then_sent_in_the_morning(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database, time_zone="Asia/Makassar")
    silent_since = local(BALI, 2026, 3, 2, 20, 0)
    lead = await make_lead(database, tenant, last_inbound_at=silent_since)
    clock = FrozenClock(silent_since + timedelta(hours=2, minutes=30))  # 22:30 in Bali

    async with job_context_on(database, settings, api, clock) as ctx:
        night = await run_due(ctx)
        [held] = await sends_of(database, lead_id=lead.id)
        assert night.dispatch.held == 1 and api.sent() == []
        assert held.status == "held" and held.hold_reason == "quiet_hours"
        assert held.due_at == local(BALI, 2026, 3, 3, 8, 0)

        clock.set(local(BALI, 2026, 3, 3, 7, 59))
        await run_due(ctx)
        assert api.sent() == []

        clock.set(local(BALI, 2026, 3, 3, 8, 0))
        morning = await run_due(ctx)
    assert morning.dispatch.sent == 1
    assert len(api.sent(chat_id=lead.telegram_chat_id)) == 1
    [sent] = await sends_of(database, lead_id=lead.id)
    assert sent.status == "sent" and sent.external_message_id


async def test_a_held_nudge_is_cancelled_when_the_lead_writes_first(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database, time_zone="Asia/Makassar")
    lead = await make_lead(database, tenant, last_inbound_at=local(BALI, 2026, 3, 2, 20, 0))
    clock = FrozenClock(local(BALI, 2026, 3, 2, 22, 30))
    async with job_context_on(database, settings, api, clock) as ctx:
        await run_due(ctx)
        async with database.session() as session:  # the lead writes at 07:10, as the lead bot records it
            row = await session.get(Lead, lead.id)
            assert row is not None
            row.last_inbound_at = local(BALI, 2026, 3, 3, 7, 10)
        clock.set(local(BALI, 2026, 3, 3, 8, 0))
        report = await run_due(ctx)
    assert api.sent() == []
    assert report.dispatch.cancelled == 1
    [cancelled] = await sends_of(database, lead_id=lead.id)
    assert cancelled.status == "cancelled" and cancelled.error == "lead wrote first"
    after = await reload(database, Lead, lead.id)
    assert isinstance(after, Lead) and not after.ghost_reminder_sent and after.fomo_messages_sent == 0
