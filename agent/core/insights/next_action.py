"""The next best action on a lead, decided by rules over recorded facts (never by a model).

In order: nothing while the lead opted out, the deal is closed or a person has the conversation; call a hot
lead who gave a phone; answer the question the lead is waiting on; book the viewing they asked for; nothing
more today once someone reached out today; send the matched listing not shown yet; nudge a lead silent for
SILENT_DAYS; otherwise wait (the conversation is going on).
"""

from __future__ import annotations

from datetime import datetime

from agent.core.insights.model import ActionKind, ActionReason, NextAction
from agent.core.insights.snapshot import LeadSnapshot, ViewingState
from agent.core.zones import zone_of

SILENT_DAYS = 3
"""A lead who has not written for this many days is nudged."""
HOT = ("hot", "burning")
CLOSED = ("won", "lost")


def contacted_today(snapshot: LeadSnapshot, now: datetime) -> bool:
    """Someone reached out to the lead on their own today (the agency's day), not just replied to them."""
    if snapshot.last_contact_at is None:
        return False
    zone = zone_of(snapshot.time_zone)
    return snapshot.last_contact_at.astimezone(zone).date() == now.astimezone(zone).date()


def silent_days(snapshot: LeadSnapshot, now: datetime) -> int | None:
    """Whole days since the lead last wrote; None when they never did."""
    if snapshot.last_inbound_at is None:
        return None
    return max(0, (now - snapshot.last_inbound_at).days)


def next_action(snapshot: LeadSnapshot, now: datetime, *, viewing_asked: bool) -> NextAction:
    """The one thing to do next about this lead, with the reason it is that."""
    if snapshot.opted_out:
        return NextAction(ActionKind.WAIT, ActionReason.OPTED_OUT)
    if snapshot.status in CLOSED:
        return NextAction(ActionKind.WAIT, ActionReason.CLOSED)
    if snapshot.taken_over:
        return NextAction(ActionKind.WAIT, ActionReason.TAKEN_OVER)
    if snapshot.temperature in HOT and snapshot.has_phone:
        return NextAction(ActionKind.CALL_NOW, ActionReason.HOT_AND_REACHABLE)
    if snapshot.open_questions:
        latest = snapshot.open_questions[-1]
        return NextAction(ActionKind.ANSWER_QUESTION, ActionReason.QUESTION_WAITING, question=latest.text)
    if viewing_asked and snapshot.viewing in (ViewingState.NONE, ViewingState.CANCELLED):
        return NextAction(ActionKind.BOOK_VIEWING, ActionReason.ASKED_FOR_VIEWING)
    if contacted_today(snapshot, now):
        return NextAction(ActionKind.WAIT, ActionReason.CONTACTED_TODAY)
    if snapshot.viewing is ViewingState.UPCOMING:
        return NextAction(ActionKind.WAIT, ActionReason.VIEWING_AHEAD)
    if snapshot.unshown_listing is not None:
        listing = snapshot.unshown_listing
        return NextAction(
            ActionKind.SEND_LISTING,
            ActionReason.MATCHED_NOT_SHOWN,
            listing_id=listing.id,
            listing_title=listing.title,
        )
    days = silent_days(snapshot, now)
    if days is not None and days >= SILENT_DAYS:
        return NextAction(ActionKind.NUDGE, ActionReason.SILENT, silent_days=days)
    return NextAction(ActionKind.WAIT, ActionReason.IN_CONVERSATION)
