"""Analytics of an agency or one rep over a period: funnel, sources, channels, timings, follow-ups, Ghost Protocol.

Every query is scoped by `agent.services.web_access.scope` (a rep sees their own leads, an admin the agency's).
"""

from agent.services.analytics.period import DEFAULT_DAYS, MAX_DAYS, PERIOD_CHOICES, Period, period_ending
from agent.services.analytics.report import AnalyticsReport, NotYourRep, analytics_report

__all__ = [
    "DEFAULT_DAYS",
    "MAX_DAYS",
    "PERIOD_CHOICES",
    "AnalyticsReport",
    "NotYourRep",
    "Period",
    "analytics_report",
    "period_ending",
]
