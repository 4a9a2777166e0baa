"""The offline insight: the snapshot's recorded facts, arranged; nothing is added that was not recorded."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime

from agent.core.insights.model import Insight, Wants
from agent.core.insights.next_action import next_action
from agent.core.insights.objections import asked_for_viewing, objections_in, urgency_said
from agent.core.insights.snapshot import LeadSnapshot


def wants_of(snapshot: LeadSnapshot) -> Wants:
    """What the lead's profile records they want (each field only when it was said; a currency or a period
    only with a budget)."""
    wants = snapshot.wants
    if wants.budget_min or wants.budget_max:
        return wants
    return replace(wants, currency=None, budget_period=None)


def compose(snapshot: LeadSnapshot, now: datetime) -> Insight:
    """The insight on a lead from its snapshot alone."""
    return Insight(
        wants=wants_of(snapshot),
        urgency_mentions=urgency_said(snapshot.touchpoints),
        objections=objections_in(snapshot.touchpoints),
        open_questions=snapshot.open_questions,
        action=next_action(snapshot, now, viewing_asked=asked_for_viewing(snapshot.touchpoints)),
        touchpoints=dict(Counter(point.kind for point in snapshot.touchpoints)),
    )
