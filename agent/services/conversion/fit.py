"""Fitting a conversion model and deciding whether it may be used (scikit-learn lives here, not at scoring time).

The gate: at least MIN_OUTCOMES outcomes with MIN_PER_CLASS of each class; then a model fitted on the older
75% (by `outcome_at`) must rank the newest 25% better than the base score does (ROC AUC, strictly higher).
A model that passes is refitted on every outcome before it is stored: the newest outcomes are the most
telling, and the gate judged the procedure (features, regularization) on data it had not seen; the stored
hold-out figures are those of the gate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler

from agent.core.conversion.features import FEATURE_NAMES
from agent.core.conversion.model import ConversionModel

MIN_OUTCOMES = 200
MIN_PER_CLASS = 30
HOLDOUT_SHARE = 0.25
CALIBRATION_BINS = 10
REGULARIZATION_C = 1.0
"""Inverse L2 strength: mild, so small agencies do not get wild coefficients."""


class Status(StrEnum):
    ACTIVE = "active"
    REJECTED = "rejected"
    RETIRED = "retired"


class Rejection(StrEnum):
    TOO_FEW_OUTCOMES = "too_few_outcomes"
    TOO_FEW_OF_A_CLASS = "too_few_of_a_class"
    HOLDOUT_ONE_CLASS = "holdout_one_class"
    NOT_BETTER = "not_better_than_base"


@dataclass(frozen=True)
class Example:
    """One lead with an outcome: its features (FEATURE_NAMES order), the label, when, and its base score."""

    features: Sequence[float]
    won: bool
    outcome_at: datetime
    base_score: int


@dataclass(frozen=True)
class FitResult:
    status: Status
    reason: Rejection | None
    outcomes: int
    won: int
    lost: int
    holdout: int = 0
    model_auc: float | None = None
    base_auc: float | None = None
    calibration_error: float | None = None
    model: ConversionModel | None = None


def fit_model(x: np.ndarray, y: np.ndarray) -> tuple[ConversionModel, StandardScaler, LogisticRegression]:
    """A logistic regression on standardized features, and the model as stored."""
    scaler = StandardScaler().fit(x)
    regression = LogisticRegression(C=REGULARIZATION_C, max_iter=1000).fit(scaler.transform(x), y)
    model = ConversionModel(
        features=FEATURE_NAMES,
        means=tuple(float(v) for v in scaler.mean_),
        scales=tuple(float(v) for v in scaler.scale_),
        coefficients=tuple(float(v) for v in regression.coef_[0]),
        intercept=float(regression.intercept_[0]),
    )
    return model, scaler, regression


def expected_calibration_error(
    probabilities: np.ndarray, labels: np.ndarray, bins: int = CALIBRATION_BINS
) -> float:
    """Mean |predicted - observed| over equal-width probability bins, weighted by the bins' sizes."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(probabilities, edges[1:-1]), 0, bins - 1)
    error = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            error += inside.mean() * abs(probabilities[inside].mean() - labels[inside].mean())
    return float(error)


def evaluate_and_fit(examples: Sequence[Example]) -> FitResult:
    """Apply the gate to an agency's outcomes; the model to use, or why there is none."""
    ordered = sorted(examples, key=lambda e: e.outcome_at)
    y = np.array([e.won for e in ordered], dtype=int)
    won = int(y.sum())
    lost = len(ordered) - won

    def rejected(reason: Rejection, holdout: int = 0, **figures: float) -> FitResult:
        return FitResult(Status.REJECTED, reason, len(ordered), won, lost, holdout, **figures)  # type: ignore[arg-type]

    if len(ordered) < MIN_OUTCOMES:
        return rejected(Rejection.TOO_FEW_OUTCOMES)
    if min(won, lost) < MIN_PER_CLASS:
        return rejected(Rejection.TOO_FEW_OF_A_CLASS)
    x = np.array([e.features for e in ordered], dtype=float)
    base = np.array([e.base_score for e in ordered], dtype=float)
    cut = len(ordered) - max(round(len(ordered) * HOLDOUT_SHARE), 1)
    holdout = len(ordered) - cut
    train_y, test_y = y[:cut], y[cut:]
    if len(set(test_y.tolist())) < 2 or len(set(train_y.tolist())) < 2:
        return rejected(Rejection.HOLDOUT_ONE_CLASS, holdout)
    _, scaler, regression = fit_model(x[:cut], train_y)
    probabilities = regression.predict_proba(scaler.transform(x[cut:]))[:, 1]
    model_auc = float(roc_auc_score(test_y, probabilities))
    base_auc = float(roc_auc_score(test_y, base[cut:]))
    calibration_error = expected_calibration_error(probabilities, test_y)
    if model_auc <= base_auc:
        return rejected(
            Rejection.NOT_BETTER,
            holdout,
            model_auc=model_auc,
            base_auc=base_auc,
            calibration_error=calibration_error,
        )
    model, _, _ = fit_model(x, y)
    return FitResult(
        Status.ACTIVE, None, len(ordered), won, lost, holdout, model_auc, base_auc, calibration_error, model
    )
