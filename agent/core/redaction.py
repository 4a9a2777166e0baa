"""Secrets and personal data taken out of text bound for a log: bot tokens, OAuth codes and tokens, API keys,
phone numbers and e-mail addresses. Pure: the logging setup (agent/cli/logs.py) applies it to every record."""

from __future__ import annotations

import re

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # Telegram bot tokens, bare or inside a Bot API URL (".../bot8380:AAE.../getMe").
    (re.compile(r"(?<!\d)\d{5,12}:[A-Za-z0-9_-]{20,}"), "<bot-token>"),
    # OAuth and API credentials in query strings, JSON, Python reprs ('access_token': '...') or headers; any
    # key ending in token/secret/password/api key ("lead_bot_token", "X-Telegram-Bot-Api-Secret-Token").
    (
        re.compile(
            r"(?i)\b(code|[\w-]*token|[\w-]*secret|password|passwd|[\w-]*api_?key|assertion|private_key)"
            r"(['\"]?\s*[=:]\s*['\"]?)(?![\[{(<])[^\s&\"',})\]]+"
        ),
        r"\1\2<secret>",
    ),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 <secret>"),
    # Phone numbers stored as bare digits under a phone key (Telegram contacts: phone_number='6281234567890').
    (re.compile(r"(?i)\b(phone[\w]*)(['\"]?\s*[=:]\s*['\"]?)\+?\d[\d ()-]{5,}\d"), r"\1\2<phone>"),
    (re.compile(r"\bsk-[A-Za-z0-9_-]{8,}"), "<api-key>"),
    # Personal data: e-mail addresses and phone numbers (E.164 or written with separators).
    (re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+"), "<email>"),
    # Phones: international ("+62 812-3456-7890") or national with a trunk 0 ("0812 3456 7890"); not dates,
    # times or ids, which have neither.
    (re.compile(r"(?<![\w.+])\+\d[\d ()-]{6,}\d(?![\w.])"), "<phone>"),
    (re.compile(r"(?<![\w.+-])0\d{2,4}(?:[ -]?\d{2,5}){2,3}(?![\w.])"), "<phone>"),
)


def redact(text: str) -> str:
    """`text` with every secret and personal datum replaced by a placeholder."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text
