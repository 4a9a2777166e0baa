"""The learned conversion score: each agency's trained models (versioned), and each lead's current likelihood."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Float, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class ScoringModel(Base):
    """One training run of an agency: active (in use), rejected (with the reason) or retired (replaced).

    `model` is the JSON of agent.core.conversion.model.ConversionModel (null when training stopped before a fit).
    The hold-out figures are measured on the last quarter of the outcomes by `outcome_at`.
    """

    __tablename__ = "scoring_models"
    __table_args__ = (
        UniqueConstraint("tenant_id", "version"),
        Index(
            "ix_scoring_models_active", "tenant_id", unique=True, postgresql_where=text("status = 'active'")
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer, doc="1, 2, ... per agency.")
    status: Mapped[str] = mapped_column(String(16), doc="active | rejected | retired")
    reason: Mapped[str | None] = mapped_column(String(40), doc="Why it was rejected (a code).")
    trained_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    outcomes: Mapped[int] = mapped_column(Integer, doc="Won + lost leads it learned from.")
    won: Mapped[int] = mapped_column(Integer)
    lost: Mapped[int] = mapped_column(Integer)
    holdout: Mapped[int] = mapped_column(Integer, default=0, doc="Outcomes in the time-ordered hold-out.")
    model_auc: Mapped[float | None] = mapped_column(Float, doc="ROC AUC of the model on the hold-out.")
    base_auc: Mapped[float | None] = mapped_column(
        Float, doc="ROC AUC of the base score on the same hold-out."
    )
    calibration_error: Mapped[float | None] = mapped_column(
        Float, doc="Expected calibration error (10 bins)."
    )
    model: Mapped[dict[str, object] | None] = mapped_column(JSONB)


class LeadLikelihood(Base):
    """A lead's conversion likelihood under its agency's active model, updated on every rescore."""

    __tablename__ = "lead_likelihoods"

    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    model_id: Mapped[int] = mapped_column(ForeignKey("scoring_models.id", ondelete="CASCADE"), index=True)
    probability: Mapped[float] = mapped_column(Float)
    factors: Mapped[list[dict[str, object]]] = mapped_column(
        JSONB,
        doc="Top factors for and against: group, weight, and what they state (prompts.conversion words it).",
    )
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
