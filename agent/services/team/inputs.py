"""Reading what a team-bot user typed or Telegram said about them: a name, an e-mail, a language. Pure."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError

from agent.core.nlu.contact import normalize_email
from agent.core.nlu.language import language_of
from agent.core.nlu.text import clean_name
from agent.services.team.errors import EmailRejected

REP_NAME_CHARS = 120
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


def rep_email(text: str) -> str:
    """The e-mail a rep typed (the first e-mail-looking token of the message), normalised and lower-cased;
    raises EmailRejected('invalid')."""
    try:
        return normalize_email(email_in(text) or text, lower=True)
    except EmailNotValidError:
        raise EmailRejected("invalid") from None


def rep_name(text: str) -> str | None:
    """A rep's name as typed, trimmed; None when it cannot be a name."""
    return clean_name(text, REP_NAME_CHARS, plausible=True)
