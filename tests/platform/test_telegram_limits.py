"""Telegram's limits and ours: long replies split, inputs capped, buttons signed, floods slowed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import Bot

from agent.adapters.telegram.limits import (
    CALLBACK_DATA_LIMIT,
    TEXT_LIMIT,
    CallbackSigner,
    CallbackTampered,
    RateLimiter,
    cap_input,
    split_text,
    utf16_length,
)
from agent.adapters.telegram.sender import BotSender
from agent.core.clock import FrozenClock
from evals.bot_api import FakeTelegramAPI
from storage.db import Database


def test_a_short_reply_is_one_message() -> None:
    assert split_text("Привет!") == ["Привет!"]


def test_a_long_reply_is_split_at_paragraphs_under_the_limit() -> None:
    paragraphs = [f"Параграф {i}: " + "слово " * 150 for i in range(20)]
    text = "\n\n".join(paragraphs)
    parts = split_text(text)
    assert len(parts) > 1
    assert all(utf16_length(part) <= TEXT_LIMIT for part in parts)
    assert all(part.startswith("Параграф") for part in parts)  # cut between paragraphs, not inside one
    assert "".join(parts).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")


def test_emoji_count_double_and_an_unbroken_text_is_still_cut() -> None:
    parts = split_text("🔥" * 5000)
    assert all(utf16_length(part) <= TEXT_LIMIT for part in parts)
    assert "".join(parts) == "🔥" * 5000
    assert split_text("x" * 9000) == ["x" * 4096, "x" * 4096, "x" * 808]


@given(st.text(min_size=0, max_size=12_000))
def test_any_text_splits_into_acceptable_messages(text: str) -> None:
    parts = split_text(text)
    assert parts and all(utf16_length(part) <= TEXT_LIMIT for part in parts)


def test_inputs_are_capped() -> None:
    assert cap_input("a" * 10_000) == "a" * 4000
    assert cap_input(None) == ""
    assert cap_input("hello", limit=3) == "hel"


def test_callback_data_is_signed_short_and_bound_to_the_bot() -> None:
    signer = CallbackSigner.for_token("1:AAA")
    key = signer.new_key()
    data = signer.sign(key)
    assert len(data.encode()) <= CALLBACK_DATA_LIMIT
    assert signer.verify(data) == key
    other_bot = CallbackSigner.for_token("2:BBB")
    forged_key = f"{CallbackSigner.new_key()}.{data.split('.')[1]}"
    for tampered in (data[:-1] + ("A" if data[-1] != "A" else "B"), forged_key, "approve:123", "", None):
        with pytest.raises(CallbackTampered):
            signer.verify(tampered)
    with pytest.raises(CallbackTampered):
        other_bot.verify(data)


def test_a_flooding_user_is_slowed_down_and_others_are_not() -> None:
    now = [0.0]
    limiter = RateLimiter(limit=3, window=10.0, clock=lambda: now[0])
    assert [limiter.allow(1) for _ in range(4)] == [True, True, True, False]
    assert limiter.allow(2)
    now[0] = 10.5
    assert limiter.allow(1)


async def test_a_long_reply_goes_out_as_several_messages_with_the_buttons_on_the_last(
    api: FakeTelegramAPI, database: Database, clock: FrozenClock
) -> None:
    bot = Bot("3001:LIMITS", base_url=api.base_url)
    async with bot:
        sender = BotSender.for_bot(bot, "test", database, clock)
        text = "\n\n".join("строка " * 100 for _ in range(15))
        buttons = [[{"label": "OK", "action": {"do": "say", "value": "yes"}}]]
        sent = await sender.send(77, text, buttons)
    calls = api.sent(chat_id=77)
    assert len(sent) == len(calls) == len(split_text(text)) > 1
    assert all(len(call.text) <= TEXT_LIMIT for call in calls)
    assert [bool(call.buttons()) for call in calls] == [False] * (len(calls) - 1) + [True]
    action = await sender.action_of(str(calls[-1].button("OK")["callback_data"]))
    assert action == {"do": "say", "value": "yes"}


async def test_an_expired_button_is_recognised(
    api: FakeTelegramAPI, database: Database, clock: FrozenClock
) -> None:
    from datetime import timedelta

    bot = Bot("3002:LIMITS", base_url=api.base_url)
    async with bot:
        sender = BotSender.for_bot(bot, "test", database, clock)
        await sender.send(78, "choose", [[{"label": "A", "action": {"do": "say", "value": "a"}}]])
        data = str(api.last_sent(chat_id=78).button("A")["callback_data"])
        clock.advance(timedelta(days=31))
        assert await sender.action_of(data) is None
