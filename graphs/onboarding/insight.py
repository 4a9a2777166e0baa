"""The insight block of a client card in the rep's CRM: summary, wants, objections, questions, next action."""

from __future__ import annotations

from collections.abc import Mapping

from agent.core.insights import Insight
from prompts.insights import render


def insight_lines(content: Mapping[str, object] | None, language: str) -> list[str]:
    """The stored insight as card lines in `language`; none before the lead's first refresh."""
    if not content:
        return []
    try:
        insight = Insight.from_json(dict(content))
    except (KeyError, TypeError, ValueError):
        return []
    view = render(insight, language)
    return ["", *view.lines]
