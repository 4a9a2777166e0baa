"""Telegram's Mini App initData rule: genuine and fresh data names the user; anything else says why not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agent.core.telegram_webapp import InitDataRefused, Refusal, validate_init_data
from tests.web.signin_support import init_data
from tests.web.web_support import TEAM_TOKEN

NOW = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def refusal(data: str, *, max_age: timedelta = timedelta(days=1)) -> Refusal:
    with pytest.raises(InitDataRefused) as refused:
        validate_init_data(data, TEAM_TOKEN, NOW, max_age=max_age)
    return refused.value.reason


def test_genuine_fresh_data_names_the_user() -> None:
    user = validate_init_data(init_data(101, NOW - timedelta(minutes=3), language="ru"), TEAM_TOKEN, NOW)
    assert (user.id, user.first_name, user.username, user.language_code) == (101, "Anna", "anna_r", "ru")
    assert user.auth_date == NOW - timedelta(minutes=3)


def test_the_published_example_of_the_rule_holds() -> None:
    # The rule by hand: secret = HMAC(key="WebAppData", bot token); hash = HMAC(secret, sorted "k=v" lines).
    import hashlib
    import hmac
    from urllib.parse import quote

    user = '{"id":7,"first_name":"Z"}'
    lines = f"auth_date={int(NOW.timestamp())}\nuser={user}"
    secret = hmac.new(b"WebAppData", TEAM_TOKEN.encode(), hashlib.sha256).digest()
    digest = hmac.new(secret, lines.encode(), hashlib.sha256).hexdigest()
    data = f"user={quote(user)}&auth_date={int(NOW.timestamp())}&hash={digest}"
    assert validate_init_data(data, TEAM_TOKEN, NOW).id == 7


def test_a_changed_field_breaks_the_hash() -> None:
    tampered = init_data(101, NOW, tamper={"user": '{"id":103,"first_name":"Olga"}'})
    assert refusal(tampered) is Refusal.BAD_HASH


def test_data_signed_with_another_bots_token_is_refused() -> None:
    assert refusal(init_data(101, NOW, token="123:OTHER-BOT")) is Refusal.BAD_HASH


def test_old_data_is_refused_and_the_age_is_configurable() -> None:
    assert refusal(init_data(101, NOW - timedelta(days=1, seconds=1))) is Refusal.TOO_OLD
    assert refusal(init_data(101, NOW - timedelta(hours=2)), max_age=timedelta(hours=1)) is Refusal.TOO_OLD
    assert refusal(init_data(101, NOW + timedelta(hours=1))) is Refusal.FROM_FUTURE


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("", Refusal.EMPTY),
        ("not a query string", Refusal.MALFORMED),
        ("user=%7B%7D&auth_date=1", Refusal.NO_HASH),
        ("a=1&a=2&hash=00", Refusal.MALFORMED),
    ],
)
def test_broken_data_says_why(data: str, reason: Refusal) -> None:
    assert refusal(data) is reason


def test_signed_data_without_a_user_is_refused() -> None:
    from agent.core.telegram_webapp import sign

    fields = {"auth_date": str(int(NOW.timestamp())), "query_id": "q"}
    data = f"auth_date={fields['auth_date']}&query_id=q&hash={sign(fields, TEAM_TOKEN)}"
    assert refusal(data) is Refusal.NO_USER
