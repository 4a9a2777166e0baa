"""`GET /api/v1/leads/analytics`: the analytics page's figures as JSON, for a rep, an admin or an integration."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from agent.services.analytics import DEFAULT_DAYS, MAX_DAYS, AnalyticsReport, NotYourRep, analytics_report
from agent.services.analytics.funnel import StageCounts
from agent.services.analytics.timing import Delays
from agent.services.web_access import audit_refusal
from agent.web.api_auth import ApiViewerDep
from agent.web.deps import ServicesDep
from agent.web.errors import Forbidden

router = APIRouter(prefix="/api/v1", tags=["analytics"])


class Stages(BaseModel):
    """Leads that reached (or passed) each stage of the funnel."""

    new: int
    qualified: int
    contact: int
    viewing: int
    won: int
    lost: int

    @classmethod
    def of(cls, counts: StageCounts) -> Stages:
        return cls(**counts.as_dict())


class Group(BaseModel):
    key: str
    """A source, a deep-link code or a temperature; "" for leads with no source."""
    stages: Stages


class DelayFigures(BaseModel):
    measured: int
    waiting: int
    """Events not answered yet (left out of the percentiles)."""
    median_seconds: float | None
    p90_seconds: float | None

    @classmethod
    def of(cls, delays: Delays) -> DelayFigures:
        return cls(
            measured=delays.measured,
            waiting=delays.waiting,
            median_seconds=delays.median,
            p90_seconds=delays.p90,
        )


class Channel(BaseModel):
    channel: str
    leads: int
    messages: int
    viewing: int
    won: int


class Step(BaseModel):
    key: str
    """"ghost", or "seq:<step id>" for a step of a follow-up sequence."""
    sequence: str | None
    position: int | None
    sent: int
    replied: int


class Ghost(BaseModel):
    nudged: int
    replied_within_24h: int


class Analytics(BaseModel):
    days: int
    start: datetime
    end: datetime
    rep_id: uuid.UUID | None
    """The rep whose numbers these are; null for the whole agency."""
    funnel: Stages
    by_source: list[Group]
    by_deep_link: list[Group]
    by_temperature: list[Group]
    channels: list[Channel]
    first_reply: DelayFigures
    rep_reaction_to_hot_alerts: DelayFigures
    follow_up_steps: list[Step]
    ghost: Ghost

    @classmethod
    def of(cls, report: AnalyticsReport) -> Analytics:
        funnel = report.funnel

        def groups(table: dict[str, StageCounts]) -> list[Group]:
            ordered = sorted(table.items(), key=lambda item: (-item[1].new, item[0]))
            return [Group(key=key, stages=Stages.of(counts)) for key, counts in ordered]

        return cls(
            days=report.period.days,
            start=report.period.start,
            end=report.period.end,
            rep_id=report.rep.id if report.rep else None,
            funnel=Stages.of(funnel.total),
            by_source=groups(funnel.by_source),
            by_deep_link=groups(funnel.by_deep_link),
            by_temperature=groups(funnel.by_temperature),
            channels=[Channel(**vars(c)) for c in report.channels],
            first_reply=DelayFigures.of(report.first_reply),
            rep_reaction_to_hot_alerts=DelayFigures.of(report.rep_reaction),
            follow_up_steps=[Step(**vars(s)) for s in report.steps],
            ghost=Ghost(nudged=report.ghost.nudged, replied_within_24h=report.ghost.replied),
        )


@router.get("/leads/analytics", response_model=Analytics)
async def lead_analytics(
    services: ServicesDep,
    viewer: ApiViewerDep,
    days: Annotated[int, Query(ge=1, le=MAX_DAYS)] = DEFAULT_DAYS,
    rep: uuid.UUID | None = None,
) -> Analytics:
    """Funnel, sources, deep links, channels, reply and reaction times, follow-up and ghost figures of the last
    `days` days: a rep's own; an admin's or an integration's whole agency, or one rep's with `rep`."""
    try:
        report = await analytics_report(services.database, services.clock, viewer, days=days, rep_id=rep)
    except NotYourRep:
        await audit_refusal(
            services.database, services.clock, viewer, "analytics.view", f"rep:{rep}", "not_your_rep"
        )
        raise Forbidden("not your rep") from None
    return Analytics.of(report)
