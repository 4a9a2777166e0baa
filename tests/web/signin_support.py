"""initData as Telegram builds it for a Mini App, signed with a bot's token (the test team bot's by default)."""

from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import urlencode

from agent.core.telegram_webapp import sign
from tests.web.web_support import TEAM_TOKEN


def init_data(
    telegram_id: int,
    signed_at: datetime,
    *,
    token: str = TEAM_TOKEN,
    language: str = "en",
    first_name: str = "Anna",
    tamper: dict[str, str] | None = None,
) -> str:
    """The query string Telegram hands a Mini App; `tamper` changes fields after signing."""
    user = {"id": telegram_id, "first_name": first_name, "username": "anna_r", "language_code": language}
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(user, separators=(",", ":")),
        "auth_date": str(int(signed_at.timestamp())),
    }
    fields["hash"] = sign(fields, token)
    fields.update(tamper or {})
    return urlencode(fields)
