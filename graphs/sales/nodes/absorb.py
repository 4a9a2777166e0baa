"""After a tool step: what the tools changed (profile, listings shown, a viewing booked) becomes state."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from langchain_core.messages import AnyMessage, ToolMessage

from agent.core import reading as r
from agent.core.brief import ListingCard
from agent.core.lead_tools import LeadTool
from graphs.sales.messages import tool_result
from graphs.sales.phases import STATUS_HANDED_OFF, STATUS_VIEWING
from graphs.sales.state import SalesState

MAX_SHOWN_IDS = 60
MAX_LISTINGS = 6


def _step_results(messages: Sequence[AnyMessage]) -> list[tuple[str, dict[str, Any]]]:
    """(tool name, result) of the last tool step."""
    results: list[tuple[str, dict[str, Any]]] = []
    for message in reversed(messages):
        if isinstance(message, ToolMessage):
            results.append((message.name or "", tool_result(message.content)))
        else:
            break
    return list(reversed(results))


def absorb(state: SalesState) -> dict[str, Any]:
    """After a tool step: what the tools changed becomes state the routers see."""
    update: dict[str, Any] = {}
    reading = r.Reading.from_dict(state.get("reading"))
    for name, result in _step_results(state.get("messages") or []):
        if name == LeadTool.PREFERENCES and isinstance(result.get("profile"), dict):
            update["profile"] = result["profile"]
            update["missing"] = list(result.get("missing") or [])
        elif name == LeadTool.CONTACT:
            if (result.get("saved") or {}).get("phone"):
                update["phone_known"] = True
            if result.get("status") == "confirm" and result.get("pending"):
                update["pending_contact"] = dict(result["pending"])  # asked; saved on the lead's yes
        elif name == LeadTool.SEARCH:
            found: list[dict[str, Any]] = [
                x for x in result.get("results") or [] if isinstance(x, dict) and "id" in x
            ]
            shown = list(state.get("shown_ids") or [])
            if reading.wants_more:
                found = [x for x in found if x["id"] not in shown]  # none new: what was shown stays numbered
            update["new_ids"] = [x["id"] for x in found if x["id"] not in shown]
            if found:
                update["listings"] = [cast(ListingCard, x) for x in found[:MAX_LISTINGS]]
                update["shown_ids"] = (shown + [x["id"] for x in found if x["id"] not in shown])[
                    -MAX_SHOWN_IDS:
                ]
                update["focus_id"] = found[0]["id"] if len(found) == 1 else None
        elif name == LeadTool.BOOK and result.get("status") == "needs_time":
            update["offered_times"] = [str(option) for option in result.get("options") or []][:6]
            update["proposal"] = None
        elif name == LeadTool.BOOK and result.get("status") == "proposed":
            proposal = str(result.get("proposal") or "")
            update["proposal"] = proposal or None
            update["offered_times"] = [proposal, *(str(o) for o in result.get("options") or [])][:6]
        elif name in (LeadTool.BOOK, LeadTool.RESCHEDULE) and result.get("status") in (
            "invalid_time",
            "day_off",
        ):
            request = state.get("viewing_request")
            if request:  # nothing of an impossible day or time sticks: the next turn starts without it
                update["viewing_request"] = {**request, "when": None, "tentative": False, "said_time": None}
            update["proposal"] = None
            update["offered_times"] = [str(option) for option in result.get("options") or []][:6]
        elif name == LeadTool.BOOK and result.get("status") == "needs_listing" and result.get("options"):
            # "Do you mean X?" was asked of these: a yes next turn chooses the first (see observe).
            update["focus_candidates"] = [
                {"id": int(option["id"]), "title": str(option.get("title") or "")}
                for option in result["options"][:4]
                if isinstance(option, dict) and "id" in option
            ]
            if result.get("proposal"):  # "Do you mean X? Mon 4 Mar, 09:00 works": a yes books X then
                update["proposal"] = str(result["proposal"])
                update["offered_times"] = [str(result["proposal"])]
        elif name == LeadTool.BOOK and result.get("status") == "booked":
            update["viewing"] = result.get("viewing") or {}
            update["viewing_request"] = None
            update["phone_asked"] = False
            update["offered_times"] = []
            update["proposal"] = None
            update["profile"] = {
                **(update.get("profile") or state.get("profile") or {}),
                "status": STATUS_VIEWING,
            }
        elif name == LeadTool.RESCHEDULE and result.get("status") == "moved":
            update["viewing"] = {**(state.get("viewing") or {}), **(result.get("viewing") or {})}
            update["viewing_request"] = None
        elif name == LeadTool.CANCEL and result.get("status") == "cancelled":
            update["viewing"] = None
            update["viewing_request"] = None
        elif name == LeadTool.HUMAN and result.get("status") == "handed_off":
            update["human_requested"] = True
            update["profile"] = {
                **(update.get("profile") or state.get("profile") or {}),
                "status": STATUS_HANDED_OFF,
            }
    return update
