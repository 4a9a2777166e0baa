"""The model's summary of a lead: strict output schema, given only the recorded facts, checked against them.

Any failure (the provider, the schema, a number, currency, area, payment method, property type, timeline or
bedroom count not in the facts) gives None, and the offline composition stands. The next best action is never the model's: it is decided by `agent.core.policies`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.adapters.models import SalesModel, provider_errors
from agent.core.insights import Insight, LeadSnapshot
from agent.core.insights.grounding import ungrounded
from prompts.insights import SUMMARY_SYSTEM

log = logging.getLogger(__name__)

FACT_TOUCHPOINTS = 20
SUMMARY_CHARS = 600


class Summary(BaseModel):
    """What the model must answer: the same short summary in the four languages, nothing else."""

    model_config = ConfigDict(extra="forbid")

    en: str = Field(max_length=SUMMARY_CHARS)
    ru: str = Field(max_length=SUMMARY_CHARS)
    fa: str = Field(max_length=SUMMARY_CHARS)
    ar: str = Field(max_length=SUMMARY_CHARS)


def facts_for_model(snapshot: LeadSnapshot, insight: Insight) -> dict[str, Any]:
    """The recorded facts the model may use, and nothing else (no name, no phone)."""
    content = insight.to_json()
    return {
        "wants": {key: value for key, value in content["wants"].items() if value not in (None, [])},
        # What the lead said, not the score's counter (a rep's recorded viewing outcome raises that one).
        "times_the_lead_said_it_is_urgent": insight.urgency_mentions,
        "objections": content["objections"],
        "open_questions": [q.text for q in insight.open_questions],
        "said": [
            {"kind": point.kind, "text": point.text[:500]}
            for point in snapshot.touchpoints[-FACT_TOUCHPOINTS:]
        ],
    }


async def model_summary(
    model: SalesModel, snapshot: LeadSnapshot, insight: Insight, known_areas: Sequence[str] = ()
) -> dict[str, str] | None:
    """The model's summary per language when it is schema-valid and grounded in the facts; else None."""
    from langchain_core.exceptions import OutputParserException
    from langchain_core.messages import HumanMessage, SystemMessage

    if model.is_offline or model.breaker.is_open:
        return None
    facts = facts_for_model(snapshot, insight)
    structured = model.primary.with_structured_output(Summary, method="json_schema", strict=True)
    try:
        answer = await structured.ainvoke(
            [SystemMessage(SUMMARY_SYSTEM), HumanMessage(json.dumps(facts, ensure_ascii=False))]
        )
    except provider_errors() as exc:
        model.breaker.failed()
        log.warning("lead %s: the model's summary failed (%s)", snapshot.lead_id, type(exc).__name__)
        return None
    except (OutputParserException, ValidationError, ValueError) as exc:
        log.warning(
            "lead %s: the model's summary broke the schema (%s)", snapshot.lead_id, type(exc).__name__
        )
        return None
    model.breaker.succeeded()
    if not isinstance(answer, Summary):
        return None
    summary = answer.model_dump()
    for language, text in summary.items():
        problems = ungrounded(text, snapshot, insight, known_areas)
        if problems or not text.strip():
            # The kinds only ("number", "area"): the values may be personal.
            kinds = sorted({problem.split()[0] for problem in problems}) or ["empty"]
            log.warning(
                "lead %s: the model's %s summary states %s not in the facts",
                snapshot.lead_id,
                language,
                kinds,
            )
            return None
    return {language: text.strip() for language, text in summary.items()}
