"""The learned score's pure core: features, reply delays, a stored model's likelihood and its reasons."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from agent.core.conversion.features import (
    FEATURE_NAMES,
    FEATURES,
    ConversionFacts,
    Replies,
    Touch,
    feature_values,
    replies_of,
)
from agent.core.conversion.model import ConversionModel, ModelMismatch, likelihood
from agent.core.scoring import LeadSignals

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def model_with(weights: dict[str, float], intercept: float = 0.0) -> ConversionModel:
    """A model whose named features weigh `weights` (standardized around 0 with scale 1)."""
    return ConversionModel(
        features=FEATURE_NAMES,
        means=tuple(0.0 for _ in FEATURE_NAMES),
        scales=tuple(1.0 for _ in FEATURE_NAMES),
        coefficients=tuple(weights.get(name, 0.0) for name in FEATURE_NAMES),
        intercept=intercept,
    )


def test_every_feature_has_a_value_and_a_group() -> None:
    facts = ConversionFacts(LeadSignals(message_count=3, source="Referral", inquiry_local_hour=10))
    values = dict(zip(FEATURE_NAMES, feature_values(facts), strict=True))
    assert len(values) == len(FEATURES)
    assert values["source_referral"] == 1.0 and values["source_ads"] == 0.0 and values["source_other"] == 0.0
    assert values["messages"] == pytest.approx(math.log1p(3))
    assert values["inquiry_business_hours"] == 1.0 and values["replied"] == 0.0


def test_reply_delay_is_the_median_wait_from_our_message_to_their_next_one() -> None:
    minute = timedelta(minutes=1)
    timeline = [
        Touch(T0, inbound=True, kind="message", words=4),
        Touch(T0 + 1 * minute, inbound=False, kind="agent_answer"),
        Touch(T0 + 11 * minute, inbound=True, kind="message", words=2),  # waited 10
        Touch(T0 + 12 * minute, inbound=False, kind="agent_answer"),
        Touch(
            T0 + 20 * minute, inbound=False, kind="listings_shown"
        ),  # a second of ours: the wait began at 12
        Touch(T0 + 42 * minute, inbound=True, kind="voice", words=6),  # waited 30
        Touch(T0 + 43 * minute, inbound=False, kind="agent_answer"),
        Touch(
            T0 + 163 * minute, inbound=True, kind="contact"
        ),  # waited 120 (not a message: no words counted)
    ]
    replies = replies_of(reversed(timeline))  # read in time order whatever the order given
    assert replies.median_minutes == pytest.approx(30)
    assert replies.follow_up_replies == 0
    assert replies.words_per_message == pytest.approx(4)


def test_a_reply_after_a_follow_up_counts_as_a_follow_up_reply() -> None:
    timeline = [
        Touch(T0, inbound=True, kind="message"),
        Touch(T0 + timedelta(days=1), inbound=False, kind="follow_up"),
        Touch(T0 + timedelta(days=1, hours=2), inbound=True, kind="message"),
    ]
    replies = replies_of(timeline)
    assert replies.follow_up_replies == 1
    assert replies.median_minutes == pytest.approx(120)
    assert replies_of([]) == Replies()


def test_contributions_add_up_to_the_log_odds_and_name_the_reasons() -> None:
    model = model_with({"source_referral": 2.0, "replied": 1.0, "viewing_no_show": -1.5}, intercept=-1.0)
    facts = ConversionFacts(
        LeadSignals(source="referral"),
        replies=Replies(median_minutes=5),
        viewings=1,
        viewing_outcomes=frozenset({"no_show"}),
    )
    found = likelihood(model, facts)
    logit = -1.0 + sum(c.weight for c in found.contributions)
    assert found.probability == pytest.approx(1 / (1 + math.exp(-logit)))
    assert [c.group for c in found.top_for()] == ["source", "reply_speed"]
    assert found.top_for()[0].why.statement == "source" and found.top_for()[0].why.source == "referral"
    assert [(c.group, c.why.statement) for c in found.top_against()] == [("viewings", "viewing_no_show")]


def test_a_model_round_trips_through_json_and_refuses_other_features() -> None:
    model = model_with({"phone": 0.7}, intercept=0.3)
    assert ConversionModel.from_json(model.to_json()) == model
    stale = {**model.to_json(), "features": [*FEATURE_NAMES[:-1], "something_else"]}
    with pytest.raises(ModelMismatch):
        ConversionModel.from_json(stale)
