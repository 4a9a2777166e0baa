"""A lead's conversion likelihood under its agency's active model: computed on rescore, stored for lists and cards.

Without an active model nothing is computed or shown, and a rescore reads nothing more. The model in use is
named on the tenant's row (`tenants.scoring_model_id`) and read once per unit of work (`session.info`).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.conversion.model import Contribution, ConversionModel, Likelihood, ModelMismatch, likelihood
from agent.core.scoring import LeadSignals, Why
from agent.services.conversion.facts import Known, facts_of
from storage.models import Lead, LeadStatus, ScoringModel, Tenant
from storage.repositories.scoring_models import ScoringModelRepository

log = logging.getLogger(__name__)

TOP = 3


@dataclass(frozen=True)
class ActiveModel:
    """The agency's model in use: its row's id, training date and hold-out AUC, and the model itself."""

    id: int
    trained_at: datetime
    model_auc: float | None
    model: ConversionModel


def active_from(row: ScoringModel) -> ActiveModel | None:
    """The usable model of a row (None when this code computes other features than it was trained on)."""
    if row.model is None:
        return None
    try:
        model = ConversionModel.from_json(row.model)
    except ModelMismatch:
        log.warning("scoring model %s of tenant %s reads other features: not used", row.id, row.tenant_id)
        return None
    return ActiveModel(id=row.id, trained_at=row.trained_at, model_auc=row.model_auc, model=model)


class _Cache(dict[int, "ActiveModel | None"]):
    """Models read in this unit of work, by id (a stored model never changes)."""


async def active_model(session: AsyncSession, tenant: Tenant) -> ActiveModel | None:
    """The agency's model in use (`tenants.scoring_model_id`); without one, no statement at all."""
    model_id = tenant.scoring_model_id
    if model_id is None:
        return None
    cache = session.info.setdefault(_Cache, _Cache())
    if model_id not in cache:
        row = await session.get(ScoringModel, model_id)
        usable = row is not None and row.tenant_id == tenant.id and row.status == "active"
        cache[model_id] = active_from(row) if usable and row is not None else None
    found: ActiveModel | None = cache[model_id]
    return found


def _factor_json(contribution: Contribution) -> dict[str, object]:
    why = {k: v for k, v in asdict(contribution.why).items() if v is not None}
    return {"group": contribution.group, "weight": round(contribution.weight, 4), "why": why}


def stored_factors(found: Likelihood) -> list[dict[str, object]]:
    """The top factors for and against as stored (`lead_likelihoods.factors`): prompts.conversion words them."""
    return [_factor_json(c) for c in (*found.top_for(TOP), *found.top_against(TOP))]


def factors_from(stored: list[dict[str, object]]) -> tuple[Contribution, ...]:
    """The stored top factors back as contributions (for first, then against)."""
    contributions = []
    for item in stored:
        why = item.get("why")
        fields = why if isinstance(why, dict) else {}
        if not fields.get("statement"):
            continue  # nothing to say (a row written by a later version, read by an older one)
        contributions.append(
            Contribution(
                group=str(item.get("group")),
                weight=float(item.get("weight", 0.0)),  # type: ignore[arg-type]
                why=Why(
                    statement=str(fields.get("statement", "")),
                    count=fields.get("count"),
                    hour=fields.get("hour"),
                    source=fields.get("source"),
                ),
            )
        )
    return tuple(contributions)


@dataclass(frozen=True)
class StoredLikelihood:
    """A lead's stored likelihood with the model it came from: what every reader's view is worded from."""

    probability: float
    trained_at: datetime
    model_auc: float | None
    factors: tuple[Contribution, ...]
    """The top factors for, then against."""

    def to_json(self) -> dict[str, object]:
        """For an alert's payload (the team bot words it in each reader's language)."""
        return {
            "probability": round(self.probability, 4),
            "trained_at": self.trained_at.isoformat(),
            "model_auc": None if self.model_auc is None else round(self.model_auc, 4),
            "factors": [_factor_json(c) for c in self.factors],
        }

    @classmethod
    def from_json(cls, data: object) -> StoredLikelihood | None:
        """An alert payload's likelihood (None when there is none, or it is unreadable)."""
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                probability=float(data["probability"]),
                trained_at=datetime.fromisoformat(str(data["trained_at"])),
                model_auc=None if data.get("model_auc") is None else float(data["model_auc"]),
                factors=factors_from(list(data.get("factors") or [])),
            )
        except (KeyError, TypeError, ValueError):
            return None


async def stored_likelihood(
    session: AsyncSession, lead: Lead, tenant: Tenant | None = None
) -> StoredLikelihood | None:
    """The lead's likelihood under its agency's active model; None without one (or before its first rescore).

    Given the lead's `tenant`, an agency without a model costs no statement.
    """
    if tenant is not None and tenant.scoring_model_id is None:
        return None
    found = await ScoringModelRepository(session).likelihood(lead)
    if found is None:
        return None
    row, model = found
    return StoredLikelihood(row.probability, model.trained_at, model.model_auc, factors_from(row.factors))


@dataclass(frozen=True)
class LikelihoodUpdate:
    found: Likelihood
    crossed: bool
    """The likelihood rose across the agency's alert threshold with this rescore (a 'likely' alert is due)."""


async def update_likelihood(
    session: AsyncSession, lead: Lead, tenant: Tenant, signals: LeadSignals, zone: ZoneInfo, now: datetime
) -> LikelihoodUpdate | None:
    """Compute and store the lead's likelihood under the agency's active model; None without one, or for a
    closed or opted-out lead (`likelihood_wanted`).

    `crossed` compares with the likelihood stored before under the same model: a new model refreshes every
    open lead without alerting (it would announce half the book at once), so only a rescore that moves a
    lead across the agency's threshold (`tenants.likely_alert_threshold`) announces it.
    """
    if not likelihood_wanted(lead):
        return None
    active = await active_model(session, tenant)
    if active is None:
        return None
    facts = (await facts_of(session, [Known(lead, signals, zone)]))[lead.id]
    found = likelihood(active.model, facts)
    before = await ScoringModelRepository(session).set_likelihood(
        lead, active.id, found.probability, stored_factors(found), now
    )
    threshold = tenant.likely_alert_threshold
    crossed = found.probability >= threshold and (before is None or before < threshold)
    return LikelihoodUpdate(found, crossed)


def likelihood_wanted(lead: Lead) -> bool:
    """A won, lost or opted-out lead's likelihood is not recomputed (its rescore then costs no statement more).

    Its last stored likelihood stays as it was when the lead closed; no 'likely' alert can be due for it.
    """
    return not lead.opted_out and lead.status not in (LeadStatus.WON.value, LeadStatus.LOST.value)
