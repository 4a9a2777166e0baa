"""Why a lead scored its points, in the reader's language: each factor's `Why` (agent.core.scoring) in words."""

from __future__ import annotations

from agent.core.scoring import ScoreFactor, Why
from prompts.catalogue import named, text


def reason(factor: ScoreFactor, language: str | None) -> str:
    """ "3 QR scans × 3 = 9 of 15", "Phone number known — 10 of 10" in `language` (English when unknown)."""
    why = factor.why
    statement = _statement(factor.key, why, language)
    tally = text(language, "scoring", "tally", points=factor.points, max=factor.max_points)
    note = f" ({named(language, 'scoring', 'note', why.note)})" if why.note else ""
    if why.each is None:
        return f"{statement} — {tally}{note}"
    if why.note is None:
        return f"{statement} × {why.each} = {tally}"
    return f"{statement} × {why.each} = {why.earned} — {tally}{note}"


def _statement(key: str, why: Why, language: str | None) -> str:
    """The statement of a factor: a counted one in its grammatical number ("1 QR scan", "3 QR scans")."""
    statement = why.statement
    if why.count is not None:
        statement += "_one" if why.count == 1 else "_other"
    return text(
        language,
        "scoring",
        statement,
        n=why.count,
        hh=f"{why.hour:02d}" if why.hour is not None else None,
        field=named(language, "scoring", "field", key),
        name=named(language, "scoring", "source", why.source) if why.statement == "source" else why.source,
    )


def statement(key: str, why: Why, language: str | None) -> str:
    """A factor's statement without its tally ("3 QR scans", "Phone number known"): prompts.conversion reuses it."""
    return _statement(key, why, language)
