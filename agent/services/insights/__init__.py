"""Insights on leads, stored and kept current: `snapshot` reads what is recorded, `refresh` composes and stores it
(offline after each turn, the model's summary in a job, all active leads nightly), `writer` asks the model,
`store` keeps one row per lead, `show` words it for a reader."""

from agent.services.insights.refresh import (
    refresh_after_turn,
    refresh_all,
    refresh_due,
    refresh_insight,
)
from agent.services.insights.show import ShownInsight, insight_for, next_line_for
from agent.services.insights.store import insight_of, save_insight, stored_insight

__all__ = [
    "ShownInsight",
    "insight_for",
    "insight_of",
    "next_line_for",
    "refresh_after_turn",
    "refresh_all",
    "refresh_due",
    "refresh_insight",
    "save_insight",
    "stored_insight",
]
