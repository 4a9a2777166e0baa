"""A lead's stored insight, worded for one reader (the dashboard, the team bot's card and alert, the CLI)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.insights.store import insight_of, stored_insight
from prompts.insights import InsightView, action_line, refreshed_label, render
from storage.models import Lead


@dataclass(frozen=True)
class ShownInsight:
    view: InsightView
    refreshed: str
    source: str
    """offline | model"""
    content: dict[str, object]
    """The stored, language-neutral insight (codes and recorded facts)."""

    @property
    def text(self) -> str:
        """The whole insight as plain lines (CLI, team bot)."""
        return "\n".join([*self.view.lines, self.refreshed])


async def insight_for(
    session: AsyncSession, lead: Lead, language: str, time_zone: str | None = None
) -> ShownInsight | None:
    """The lead's insight in `language`; None before its first refresh."""
    row = await stored_insight(session, lead.id, lead.tenant_id)
    insight = insight_of(row)
    if row is None or insight is None:
        return None
    return ShownInsight(
        view=render(insight, language),
        refreshed=refreshed_label(row.refreshed_at, language, time_zone or lead.time_zone),
        source=row.source,
        content=dict(row.content),
    )


async def next_line_for(session: AsyncSession, lead: Lead, language: str) -> str | None:
    """ "Next: call now — hot and has a phone" in `language`; None before the first refresh."""
    insight = insight_of(await stored_insight(session, lead.id, lead.tenant_id))
    return action_line(insight.action, language) if insight is not None else None
