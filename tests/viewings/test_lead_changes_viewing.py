"""A lead moves and cancels their viewing in plain words, through the sales conversation (offline model)."""

from __future__ import annotations

from datetime import UTC, datetime

from agent.services.provider import Services
from storage.models import Tenant
from tests.sales_support import new_chat, tool_names

pytest_plugins = ["tests.sales_support"]

BOOKING = [
    "Здравствуйте",
    "Ищу виллу в Чангу, бюджет до 600 тысяч долларов",
    "Хочу посмотреть вторую",
    "+7 912 345-67-89",
    "завтра в 11:00",
]


async def test_a_lead_moves_the_viewing_to_friday_afternoon_then_cancels_it(
    services: Services, demo: Tenant
) -> None:
    chat = await new_chat(services, demo, language="ru")
    await chat.script(BOOKING)
    [viewing] = await chat.viewings()
    assert viewing.starts_at == datetime(2026, 3, 3, 3, 0, tzinfo=UTC)  # Tuesday 11:00 in Bali

    moved = await chat.say("Можно перенести на пятницу после обеда?")

    assert tool_names([moved]) == ["reschedule_viewing"]
    assert "Просмотр перенесён" in moved.reply and "пт, 6 мар., 15:00" in moved.reply
    [viewing] = await chat.viewings()
    assert viewing.starts_at == datetime(2026, 3, 6, 7, 0, tzinfo=UTC) and viewing.status == "rescheduled"
    assert (await chat.lead()).status == "viewing_scheduled"

    cancelled = await chat.say("Отмените просмотр, пожалуйста")

    assert tool_names([cancelled]) == ["cancel_viewing"]
    assert "отменён" in cancelled.reply
    [viewing] = await chat.viewings()
    assert viewing.status == "cancelled"
    assert (await chat.lead()).status == "contact_captured"


async def test_a_move_to_a_taken_time_offers_free_ones_and_the_answer_moves_it(
    services: Services, demo: Tenant
) -> None:
    other = await new_chat(services, demo, language="ru")
    await other.script([*BOOKING[:4], "в пятницу в 15:00"])
    chat = await new_chat(services, demo, language="ru")
    await chat.script([*BOOKING[:4], "завтра в 11:00"])

    offered = await chat.say("Давайте перенесём на пятницу в 15:00")
    assert tool_names([offered]) == ["reschedule_viewing"]
    assert (
        "пт, 6 мар.: 12:00, 14:00" in offered.reply and "15:00" not in offered.reply
    )  # Friday 15:00 is someone else's

    picked = await chat.say("в пятницу в 16:00")
    assert tool_names([picked]) == ["reschedule_viewing"]
    [viewing] = await chat.viewings()
    assert viewing.starts_at == datetime(2026, 3, 6, 8, 0, tzinfo=UTC)
