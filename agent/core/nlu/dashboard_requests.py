"""What a team-bot user asks about the web dashboard and API tokens, in en, ru, fa, ar: patterns, no model.

"dashboard" / "кабинет" / "داشبورد" / "لوحة التحكم" asks for a sign-in link; "new API token Zapier",
"API tokens", "revoke API token ab12" (and the Russian forms) are an admin's token requests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_FLAGS = re.IGNORECASE | re.UNICODE
_DASHBOARD = re.compile(
    r"^\W*(/?dashboard|(open |my |the )*(web )?dashboard( please)?|sign[- ]?in link|login link|"
    r"(личный |мой |открой(те)? )?кабинет|(открой(те)? )?дашборд|панель|"
    r"داشبورد|پیشخوان|لوحة التحكم|لوحه التحكم|لوحة القيادة)\W*$",
    _FLAGS,
)
_TOKEN = r"(api[- ]?(token|key)s?|апи[- ]?токен\w*|api[- ]?токен\w*|токен\w* api|توکن\w* api|رمو?ز api)"
_NEW_TOKEN = re.compile(rf"^\W*(new|create|add|новый|создай(те)?|создать)\s+{_TOKEN}\s*(?P<name>.*)$", _FLAGS)
_REVOKE_TOKEN = re.compile(
    rf"^\W*(revoke|delete|remove|отозва\w*|удали\w*)\s+{_TOKEN}\s+(?P<prefix>\S+)\s*$", _FLAGS
)
_LIST_TOKENS = re.compile(rf"^\W*(list\s+|my\s+|список\s+)?{_TOKEN}\W*$", _FLAGS)
_PERSIAN = re.compile(r"[پچژگک]|داشبورد|پیشخوان|توکن")
_ARABIC = re.compile(r"لوحة|لوحه|رمز|رموز")


@dataclass(frozen=True)
class TokenRequest:
    kind: Literal["create", "list", "revoke"]
    argument: str = ""
    """The new token's name, or the id or prefix of the token to revoke."""


def asks_for_dashboard(text: str) -> bool:
    return bool(_DASHBOARD.match(text))


def token_request(text: str) -> TokenRequest | None:
    """An API-token request, or None when the text is not one."""
    if (new := _NEW_TOKEN.match(text)) is not None:
        return TokenRequest("create", new.group("name").strip())
    if (revoke := _REVOKE_TOKEN.match(text)) is not None:
        return TokenRequest("revoke", revoke.group("prefix").rstrip("…. "))
    if _LIST_TOKENS.match(text):
        return TokenRequest("list")
    return None


def written_in(text: str) -> Literal["fa", "ar"] | None:
    """Persian or Arabic when the request is written in it (the team bot otherwise speaks ru or en)."""
    if _PERSIAN.search(text):
        return "fa"
    if _ARABIC.search(text):
        return "ar"
    return None
