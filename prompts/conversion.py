"""The learned conversion likelihood in the reader's language: one line beside the base score, and its reasons.

"Score 72 🔥 · 41% likely to convert (model of 12 Nov, AUC 0.78)"; numbers and dates in the reader's
locale (Babel). A reason reuses the base score's statement when the factor is one of its own
(prompts/*/scoring.py), else the conversion area's, followed by its contribution to the log-odds.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from agent.core.conversion.model import Contribution
from prompts.catalogue import language_code, templates, text
from prompts.scoring import statement as base_statement


def likely(probability: float, language: str | None) -> str:
    """ "41% likely to convert" (for lists and short cards)."""
    locale = language_code(language)
    return text(language, "conversion", "likely", percent=format_percent(probability, locale=locale))


def model_note(trained_at: datetime, auc: float | None, language: str | None) -> str:
    """ "model of 12 Nov, AUC 0.78" """
    locale = language_code(language)
    return text(
        language,
        "conversion",
        "model",
        date=format_date(trained_at, format="d MMM", locale=locale),
        auc="-" if auc is None else format_decimal(auc, format="0.00", locale=locale),
    )


def likelihood_line(
    score: int, badge: str, probability: float, trained_at: datetime, auc: float | None, language: str | None
) -> str:
    """ "Score 72 🔥 · 41% likely to convert (model of 12 Nov, AUC 0.78)" """
    return text(
        language,
        "conversion",
        "line",
        score=score,
        badge=badge,
        likely=likely(probability, language),
        model=model_note(trained_at, auc, language),
    )


def reason(contribution: Contribution, language: str | None) -> str:
    """ "Source: referral (+0.84)": what the factor states about the lead, and its weight in the log-odds."""
    why = contribution.why
    if why.statement in templates(language, "conversion"):
        said = text(
            language,
            "conversion",
            why.statement,
            n=why.count,
            hh=f"{why.hour:02d}" if why.hour is not None else None,
        )
    else:
        said = base_statement(contribution.group, why, language)
    weight = format_decimal(contribution.weight, format="+0.00;-0.00", locale=language_code(language))
    return text(language, "conversion", "factor", statement=said, weight=weight)


def reasons(contributions: Iterable[Contribution], language: str | None) -> tuple[list[str], list[str]]:
    """The reasons for converting and against it, each in the order given."""
    listed = list(contributions)
    return (
        [reason(c, language) for c in listed if c.weight > 0],
        [reason(c, language) for c in listed if c.weight < 0],
    )
