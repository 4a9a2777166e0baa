"""Reading what a team-bot user typed or Telegram said about them: a name, an e-mail, a language. Pure."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from agent.core.nlu.language import language_of
from agent.services.team.errors import EmailRejected

_EMAIL_IN_TEXT = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+")


# Telegram languages of the former USSR: their speakers get the team bot in Russian.
_READ_RUSSIAN = frozenset({"ru", "uk", "be", "kk", "uz", "ky", "tg", "hy", "az", "ka"})


def team_language(language_code: str | None) -> str:
    """Russian first (also when Telegram tells no language); English for users whose Telegram speaks another."""
    return language_of(language_code or "ru", speaks=("ru", "en"), russian_for=_READ_RUSSIAN)


def email_in(text: str) -> str | None:
    """The first e-mail-looking token of a message ("моя почта ivan@x.ru" -> "ivan@x.ru")."""
    match = _EMAIL_IN_TEXT.search(text)
    return match.group(0).rstrip(".") if match else None


def normalize_email(text: str) -> str:
    """A syntactically valid, normalised address; raises EmailRejected('invalid')."""
    candidate = email_in(text) or text.strip()
    if len(candidate) > 254:
        raise EmailRejected("invalid")
    try:
        return validate_email(candidate, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise EmailRejected("invalid") from None


def clean_name(text: str) -> str | None:
    """A person's name as typed, trimmed; None when it cannot be a name."""
    name = " ".join(text.split())[:120]
    if len(name) < 2 or "@" in name or name.startswith("/") or not any(ch.isalpha() for ch in name):
        return None
    return name
