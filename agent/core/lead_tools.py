"""The names of the lead agent's tools: the one list the tools, the phase gates and the offline planner share.

`tools.LEAD_TOOLS` holds one tool per name, in this order; each tool takes its name from here.
"""

from __future__ import annotations

from enum import StrEnum


class LeadTool(StrEnum):
    SEARCH = "search_properties"
    PREFERENCES = "update_preferences"
    CONTACT = "capture_contact"
    SCORE = "score_lead"
    FOLLOW_UP = "draft_follow_up"
    BOOK = "book_viewing"
    RESCHEDULE = "reschedule_viewing"
    CANCEL = "cancel_viewing"
    HUMAN = "request_human"
    ASK_AGENT = "ask_agent"
    DETAILS = "listing_details"
