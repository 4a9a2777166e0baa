"""Secrets and personal data taken out of text bound for a log: bot tokens, OAuth codes and tokens, API keys,
phone numbers and e-mail addresses. Pure: the logging setup (agent/cli/logs.py) applies it to every record."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_DIGIT = r"[0-9\u0660-\u0669\u06f0-\u06f9]"  # Latin, Arabic-Indic and Persian digits
_ZERO = r"[0\u0660\u06f0]"
_EASTERN = r"[\u0660-\u0669\u06f0-\u06f9]"
# Every pattern starts only where a run begins (a lookbehind) and repeats a bounded class, so a 100,000-character
# message costs one pass, not a scan from every position (a log line must never stall the bot).


def _phone(match: re.Match[str]) -> str:
    """ "<phone …90>": the last two digits let an operator tell two leads' numbers apart, and identify no one."""
    digits = [str(unicodedata.digit(ch)) for ch in match.group(match.lastindex or 0) if ch.isdigit()]
    prefix = "".join(match.group(i) for i in range(1, match.lastindex)) if match.lastindex else ""
    return f"{prefix}<phone …{''.join(digits[-2:])}>"


_Rule = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]
_SECRETS: tuple[_Rule, ...] = (
    # Telegram bot tokens, bare or inside a Bot API URL (".../bot8380:AAE.../getMe").
    (re.compile(r"(?<!\d)\d{5,12}:[A-Za-z0-9_-]{20,}"), "<bot-token>"),
    # A prospect's deep link ("/start p_<token>"): the token is what lets one take the prospect's place.
    (re.compile(r"(?<![\w-])p_[A-Za-z0-9_-]{20,}"), "p_<link-token>"),
    # OAuth and API credentials in query strings, JSON, Python reprs ('access_token': '...') or headers; any
    # key ending in token/secret/password/api key ("lead_bot_token", "X-Telegram-Bot-Api-Secret-Token").
    (
        re.compile(
            r"(?i)(?<![\w-])([\w-]{0,40}token|[\w-]{0,40}secret|password|passwd|[\w-]{0,40}api_?key|assertion"
            r"|private_key)(['\"]?\s*[=:]\s*['\"]?)(?![\[{(<])[^\s&\"',})\]]+"
        ),
        r"\1\2<secret>",
    ),
    # An OAuth authorization code ("code=4/0AeanS0b…"); not "Error code: 429".
    (
        re.compile(r"(?i)(?<![\w-])(code)(['\"]?\s*[=:]\s*['\"]?)(?![\[{(<])[^\s&\"',})\]]{8,}"),
        r"\1\2<secret>",
    ),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 <secret>"),
    (re.compile(r"\bsk-[A-Za-z0-9_-]{8,}"), "<api-key>"),
    (re.compile(r"\bAIza[0-9A-Za-z_-]{35}"), "<api-key>"),  # Google API keys
    # A password inside a URL ("postgresql://realty:s3cret@db/realty"): the user stays, to say which account.
    # The placeholder "password" of an example URL in a hint stays.
    (re.compile(r"(?<=://)([^:/@\s]{1,200}):(?!password@)[^@\s/]{1,200}@"), r"\1:<secret>@"),
)
_PERSONAL: tuple[_Rule, ...] = (
    # Phone numbers stored as bare digits under a phone key (Telegram contacts: phone_number='6281234567890').
    (re.compile(r"(?i)\b(phone[\w]*)(['\"]?\s*[=:]\s*['\"]?)(\+?\d[\d ()-]{5,}\d)"), _phone),
    # E-mail addresses (a quote before one is quoting, and stays).
    (re.compile(r"(?<![\w.+'-])('?)[\w.+'-]+@[\w-]+(?:\.[\w-]+)+"), r"\1<email>"),
    # Phones: international ("+62 812-3456-7890", "+۹۸ ۹۱۲ …") or national with a trunk 0 ("0812 3456 7890");
    # not dates, times or ids, which have neither. A full stop may end the sentence after it, not a decimal.
    (re.compile(rf"(?<![\w.+])\+{_DIGIT}[\d ()-]{{6,}}{_DIGIT}(?!\w|\.\d)"), _phone),
    (re.compile(rf"(?<![\w.+-]){_ZERO}{_DIGIT}{{2,4}}(?:[ -]?{_DIGIT}{{2,5}}){{2,3}}(?!\w|\.\d)"), _phone),
    # International numbers written without "+" but in groups ("62 812 3456 7890"): four groups or more.
    (re.compile(rf"(?<![\w.+-]){_DIGIT}{{2,3}}(?:[ -]{_DIGIT}{{2,5}}){{3,4}}(?!\w|[ -]?\d)"), _phone),
    # Seven or more Persian or Arabic-Indic digits are a person's number whatever their form: our own ids are
    # logged in Latin digits (bare Latin runs stay, as update and chat ids look the same as a national number).
    (re.compile(rf"(?<!{_DIGIT}){_EASTERN}(?:[ -]?{_EASTERN}){{6,}}"), _phone),
)


def redact(text: str, *, personal: bool = True) -> str:
    """`text` with every secret, and unless told otherwise every personal datum, replaced by a placeholder.

    `personal=False` is for what an operator reads of their own command (an error naming the e-mail they typed).
    """
    for pattern, replacement in _SECRETS + _PERSONAL if personal else _SECRETS:
        text = pattern.sub(replacement, text)
    return text
