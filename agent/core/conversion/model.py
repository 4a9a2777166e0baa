"""A stored conversion model and the likelihood it gives a lead, in pure Python (no scikit-learn at scoring time).

The model is a logistic regression on standardized features: log-odds = intercept + sum of
coefficient x (value - mean) / scale. Each term is a feature's contribution; the terms of one group
(`Feature.group`) add up to the group's contribution, and the largest ones are the reasons for and against.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from agent.core.conversion.features import FEATURE_NAMES, FEATURES, ConversionFacts, feature_values, group_why
from agent.core.scoring import Why

MODEL_KIND = "logistic_regression/v1"
NEGLIGIBLE = 0.01
"""A contribution smaller than this (in log-odds) is no reason for or against."""


class ModelMismatch(ValueError):
    """The stored model reads other features than this code computes (it was trained by another version)."""


@dataclass(frozen=True)
class ConversionModel:
    """What training stores (as JSON): the features, their standardization, and the fitted coefficients."""

    features: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    coefficients: tuple[float, ...]
    intercept: float

    def __post_init__(self) -> None:
        width = len(self.features)
        if not len(self.means) == len(self.scales) == len(self.coefficients) == width:
            raise ValueError("a model needs one mean, scale and coefficient per feature")
        if any(scale <= 0 for scale in self.scales):
            raise ValueError("scales must be positive")

    def to_json(self) -> dict[str, object]:
        return {
            "kind": MODEL_KIND,
            "features": list(self.features),
            "means": list(self.means),
            "scales": list(self.scales),
            "coefficients": list(self.coefficients),
            "intercept": self.intercept,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> ConversionModel:
        """The model stored by `to_json`; ModelMismatch when it reads other features than FEATURE_NAMES."""
        if data.get("kind") != MODEL_KIND or tuple(_list(data, "features")) != FEATURE_NAMES:
            raise ModelMismatch("the stored model was trained on other features")
        return cls(
            features=FEATURE_NAMES,
            means=_floats(data, "means"),
            scales=_floats(data, "scales"),
            coefficients=_floats(data, "coefficients"),
            intercept=_float(data.get("intercept")),
        )


def _float(value: object) -> float:
    if not isinstance(value, int | float):
        raise ModelMismatch("the stored model has a value that is not a number")
    return float(value)


def _floats(data: Mapping[str, object], key: str) -> tuple[float, ...]:
    return tuple(_float(value) for value in _list(data, key))


def _list(data: Mapping[str, object], key: str) -> list[object]:
    value = data.get(key)
    if not isinstance(value, list):
        raise ModelMismatch(f"the stored model has no {key}")
    return value


@dataclass(frozen=True)
class Contribution:
    """A factor group's share of the log-odds (positive: for converting), and what it states about the lead."""

    group: str
    weight: float
    why: Why


@dataclass(frozen=True)
class Likelihood:
    probability: float
    contributions: tuple[Contribution, ...]
    """Every group, largest absolute weight first."""

    def top_for(self, n: int = 3) -> tuple[Contribution, ...]:
        return tuple(c for c in self.contributions if c.weight >= NEGLIGIBLE)[:n]

    def top_against(self, n: int = 3) -> tuple[Contribution, ...]:
        return tuple(c for c in self.contributions if c.weight <= -NEGLIGIBLE)[:n]


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def likelihood(model: ConversionModel, facts: ConversionFacts) -> Likelihood:
    """The probability that the lead converts, and each factor group's contribution to it."""
    groups: dict[str, float] = {}
    logit = model.intercept
    for feature, value, mean, scale, coefficient in zip(
        FEATURES, feature_values(facts), model.means, model.scales, model.coefficients, strict=True
    ):
        term = coefficient * (value - mean) / scale
        logit += term
        groups[feature.group] = groups.get(feature.group, 0.0) + term
    ordered = sorted(groups.items(), key=lambda item: -abs(item[1]))
    contributions = tuple(Contribution(group, weight, group_why(group, facts)) for group, weight in ordered)
    return Likelihood(probability=_sigmoid(logit), contributions=contributions)
