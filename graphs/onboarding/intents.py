"""What a short team-bot message means, in Russian or English: deterministic patterns, no model."""

from __future__ import annotations

import re
from enum import StrEnum

_FLAGS = re.IGNORECASE | re.UNICODE
_L = r"(?<![\w])"  # word start


class Intent(StrEnum):
    YES = "yes"
    NO = "no"
    EDIT = "edit"
    CANCEL = "cancel"
    REGISTER = "register"
    UNREGISTER = "unregister"
    WITHDRAW = "withdraw"
    UPDATE_EMAIL = "update_email"
    MY_CLIENTS = "my_clients"
    CONNECT_CALENDAR = "connect_calendar"
    APPROVE = "approve"
    REJECT = "reject"
    LIST_PENDING = "list_pending"
    LIST_ACTIVE = "list_active"
    SUSPEND = "suspend"
    REMOVE = "remove"
    RESTORE = "restore"
    PROMOTE = "promote"


_PATTERNS: dict[Intent, re.Pattern[str]] = {
    Intent.YES: re.compile(
        r"^\W*(да+|ага|угу|конечно|хочу|давай(те)?|ок(ей)?|окей|верно|всё верно|все верно|правильно|отправ\w*|"
        r"подтвер\w*|согласен|согласна|yes|yeah|yep|yup|sure|ok(ay)?|y|correct|confirm\w*|send( it)?|right|of course)"
        r"(\W|$)",
        _FLAGS,
    ),
    Intent.NO: re.compile(
        r"^\W*(нет|не-а|неа|не хочу|не надо|не сейчас|не нужно|позже|no|nope|nah|not now|later|no thanks)(\W|$)",
        _FLAGS,
    ),
    Intent.EDIT: re.compile(
        rf"{_L}(исправ\w*|измени\w*|поменя\w*|заново|edit|change|fix|redo|start over)", _FLAGS
    ),
    Intent.CANCEL: re.compile(r"^\W*(отмена|отменить|стоп|хватит|cancel|stop|never ?mind|abort)\W*$", _FLAGS),
    Intent.REGISTER: re.compile(rf"{_L}(регистр\w*|зарегистр\w*|register|sign ?up|join|вступить)", _FLAGS),
    Intent.UNREGISTER: re.compile(
        rf"{_L}(отключ\w*|отписа\w*|выйти|уйти|уволи\w*|удали(те)? (меня|мою|мой|регистрац)\w*|"
        rf"отмени\w* (мою )?регистрац\w*|unregister|deregister|leave|quit|remove me|delete (me|my))",
        _FLAGS,
    ),
    Intent.WITHDRAW: re.compile(
        rf"{_L}(отмен\w*|отозва\w*|отзыва\w*|передумал\w*|не хочу|withdraw\w*|cancel\w*|changed my mind|take (it )?back)",
        _FLAGS,
    ),
    Intent.UPDATE_EMAIL: re.compile(
        rf"({_L}(обнов\w*|смен\w*|измен\w*|поменя\w*|нов\w*|другой|другую|update|change|new)\W+(\w+\W+)?"
        rf"(e-?mail|почт\w*|имейл\w*|мейл\w*|емейл\w*|адрес\w*))|^\W*(e-?mail|почта|имейл)\W*$",
        _FLAGS,
    ),
    Intent.CONNECT_CALENDAR: re.compile(
        rf"{_L}((под|пере|при)?(ключ|вяз)\w*|connect\w*|reconnect\w*|link\w*)\W+(\w+\W+)?(календар\w*|calendar)"
        rf"|^\W*(календар\w*|calendar|google calendar)\W*$",
        _FLAGS,
    ),
    Intent.MY_CLIENTS: re.compile(
        rf"{_L}(клиент\w*|лид\w*|client\w*|leads?|crm|мои задачи|my tasks)", _FLAGS
    ),
    Intent.APPROVE: re.compile(rf"{_L}(одобр\w*|утверд\w*|принят\w*|принять|approv\w*|accept\w*)|✅", _FLAGS),
    Intent.REJECT: re.compile(
        rf"{_L}(отклон\w*|отказа\w*|откажи\w*|reject\w*|declin\w*|deny|denied)|❌", _FLAGS
    ),
    Intent.LIST_PENDING: re.compile(rf"{_L}(заявк\w*|pending|applications?|requests?)", _FLAGS),
    Intent.LIST_ACTIVE: re.compile(
        rf"{_L}(активн\w*|менеджер(ы|ов)|команд\w*|сотрудник\w*|active|reps|team|members)", _FLAGS
    ),
    Intent.SUSPEND: re.compile(rf"{_L}(приостанов\w*|заблокир\w*|suspend\w*|pause|block)", _FLAGS),
    Intent.REMOVE: re.compile(rf"{_L}(удали\w*|удалить|исключ\w*|remove|delete|fire|kick)", _FLAGS),
    Intent.RESTORE: re.compile(
        rf"{_L}(восстанов\w*|разблокир\w*|верни\w*|restore|unsuspend|reactivate|unblock)", _FLAGS
    ),
    Intent.PROMOTE: re.compile(
        rf"{_L}((сделай|сделать|назначь|назначить)\w*\b.*\bадмин\w*|make\b.*\badmin|promote\w*)", _FLAGS
    ),
}

# Words that name the action rather than the person it applies to ("suspend Ivan Petrov" -> "Ivan Petrov").
_COMMAND_WORDS = re.compile(
    rf"{_L}(пожалуйста|please|менеджера?|rep|сделай|сделать|назначь|назначить|make|администратором|админом|"
    rf"админ|admin|an|the|доступ|access|for|для|из системы|from the system|"
    rf"приостанов\w*|заблокир\w*|suspend\w*|pause|block|удали\w*|исключ\w*|remove|delete|fire|kick|"
    rf"восстанов\w*|разблокир\w*|верни\w*|restore|unsuspend|reactivate|unblock|promote\w*)(?!\w)",
    _FLAGS,
)


_AUTHORIZATION_CODE = re.compile(r"^\s*4/[0-9A-Za-z_-]{15,}\s*$")


def looks_like_authorization(text: str) -> bool:
    """Text a rep pastes back from Google's consent screen: the redirect address or the bare code."""
    stripped = text.strip()
    return (
        "code=" in stripped
        or "error=" in stripped
        or stripped.startswith(("http://127.0.0.1", "http://localhost", "127.0.0.1", "localhost"))
        or bool(_AUTHORIZATION_CODE.match(stripped))
    )


def matches(intent: Intent, text: str) -> bool:
    return bool(_PATTERNS[intent].search(text))


def first_of(text: str, *intents: Intent) -> Intent | None:
    """The first of `intents` (in the order given) that the text expresses."""
    for intent in intents:
        if matches(intent, text):
            return intent
    return None


def decision_reason(text: str) -> str | None:
    """What follows the verdict: "reject, not our employee" -> "not our employee"."""
    for intent in (Intent.REJECT, Intent.APPROVE):
        match = _PATTERNS[intent].search(text)
        if match:
            rest = text[match.end() :].strip(" \t\n,.;:—-!")
            rest = re.sub(r"^(because|причина|так как|потому что)\W+", "", rest, flags=_FLAGS)
            return rest[:500] or None
    return None


def person_in(text: str) -> str:
    """The person an admin command names, with the command words taken out."""
    return " ".join(_COMMAND_WORDS.sub(" ", text).split()).strip(" ,.!?:;")
