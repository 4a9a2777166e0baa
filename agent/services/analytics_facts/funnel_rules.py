"""How far a status goes in the funnel: new < qualifying < qualified < contact captured (= handed off)
< viewing scheduled < won; `lost` leaves the order (a lost lead counts at the stages its facts prove)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, SQLColumnExpression, case

from storage.enums import LeadStatus

STATUS_RANK: dict[str, int] = {
    LeadStatus.NEW: 0,
    LeadStatus.QUALIFYING: 1,
    LeadStatus.QUALIFIED: 2,
    LeadStatus.CONTACT_CAPTURED: 3,
    LeadStatus.HANDED_OFF: 3,
    LeadStatus.VIEWING_SCHEDULED: 4,
    LeadStatus.WON: 5,
    LeadStatus.LOST: 0,
}
UNKNOWN = ""
"""The group of leads with no source (or no deep link)."""


def status_rank(status: SQLColumnExpression[str]) -> ColumnElement[int]:
    """The status's place in the funnel, in SQL."""
    return case(STATUS_RANK, value=status, else_=0)
