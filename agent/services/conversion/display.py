"""A lead's conversion likelihood as every reader sees it: the dashboard, the rep's CRM card and the alerts.

One formatter (prompts.conversion) for every place: "Score 72 🔥 · 41% likely to convert (model of 12 Nov,
AUC 0.78)" with the top reasons for and against. None when the agency has no model in use.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.scoring import TEMPERATURE_BADGES, Temperature
from agent.services.conversion.likelihood import StoredLikelihood, stored_likelihood
from prompts.catalogue import text
from prompts.conversion import likelihood_line, likely, model_note, reasons
from storage.models import Lead


@dataclass(frozen=True)
class ConversionView:
    probability: float
    line: str
    """The base score with the likelihood and the model it came from."""
    likely: str
    model: str
    reasons_for: tuple[str, ...]
    reasons_against: tuple[str, ...]


def _badge(temperature: str) -> str:
    try:
        return TEMPERATURE_BADGES[Temperature(temperature)]
    except ValueError:
        return ""


async def lead_conversion(session: AsyncSession, lead: Lead, language: str | None) -> ConversionView | None:
    """The lead's stored likelihood under its agency's active model, worded in `language`; None without one."""
    stored = await stored_likelihood(session, lead)
    if stored is None:
        return None
    said_for, said_against = reasons(stored.factors, language)
    badge = _badge(lead.temperature)
    return ConversionView(
        probability=stored.probability,
        line=likelihood_line(
            lead.lead_score, badge, stored.probability, stored.trained_at, stored.model_auc, language
        ),
        likely=likely(stored.probability, language),
        model=model_note(stored.trained_at, stored.model_auc, language),
        reasons_for=tuple(said_for),
        reasons_against=tuple(said_against),
    )


def card_lines(stored: StoredLikelihood, score: int, badge: str, language: str | None) -> list[str]:
    """The likelihood line and the reasons for and against, as a chat card or an alert shows them."""
    lines = [likelihood_line(score, badge, stored.probability, stored.trained_at, stored.model_auc, language)]
    said_for, said_against = reasons(stored.factors, language)
    for key, said in (("for", said_for), ("against", said_against)):
        if said:
            lines.append(
                text(
                    language,
                    "conversion",
                    "reasons",
                    label=text(language, "conversion", key),
                    reasons="; ".join(said),
                )
            )
    return lines


def alert_lines(payload: object, score: int, badge: str, language: str | None) -> list[str]:
    """The likelihood an alert was raised with (its payload's "conversion"), worded; none without one."""
    stored = StoredLikelihood.from_json(payload)
    return [] if stored is None else card_lines(stored, score, badge, language)
