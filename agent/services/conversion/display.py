"""A lead's conversion likelihood as every reader sees it: the dashboard, the rep's CRM card and the alerts.

One formatter (prompts.conversion) for every place: "Score 72 🔥 · 41% likely to convert (model of 12 Nov,
AUC 0.78)" with the top reasons for and against. None when the agency has no model in use.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.scoring import TEMPERATURE_BADGES, Temperature
from agent.services.conversion.likelihood import factors_from
from prompts.conversion import likelihood_line, likely, model_note, reasons
from storage.models import Lead
from storage.repositories.scoring_models import ScoringModelRepository


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
    found = await ScoringModelRepository(session).likelihood(lead.id)
    if found is None:
        return None
    row, model = found
    said_for, said_against = reasons(factors_from(row.factors), language)
    return ConversionView(
        probability=row.probability,
        line=likelihood_line(
            lead.lead_score,
            _badge(lead.temperature),
            row.probability,
            model.trained_at,
            model.model_auc,
            language,
        ),
        likely=likely(row.probability, language),
        model=model_note(model.trained_at, model.model_auc, language),
        reasons_for=tuple(said_for),
        reasons_against=tuple(said_against),
    )
