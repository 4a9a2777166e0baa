"""The last node of a turn: the buttons to offer, what the reply asked for, the message window cut back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, RemoveMessage, ToolMessage

from agent.core.brief import ASKED_KEY, slot_options
from agent.core.lead_tools import LeadTool
from graphs.sales.messages import current_turn, tool_result, turn_starts
from graphs.sales.state import SalesState
from prompts import pack
from prompts.calendar import say

KEEP_TURNS = 6
"""Whole turns kept in the checkpoint; older messages are removed (the transcript is in lead_interactions)."""
MAX_KEPT_MESSAGES = 60
MAX_ASKED = 12


def _choices(state: Mapping[str, Any], turn: Sequence[AnyMessage]) -> list[dict[str, str]]:
    """Buttons for what this turn offered: listings to view, free slots, buy or rent."""
    p = pack(state.get("language"))
    results = {
        message.name: tool_result(message.content)
        for message in turn
        if isinstance(message, ToolMessage) and message.name
    }
    candidates = state.get("focus_candidates") or []
    if candidates and (state.get("reading") or {}).get("listing_id") is None:
        return [  # the reply asked which listing the lead means
            {
                "label": p.reply("choice_listing", title=str(c.get("title", ""))[:40]),
                "value": f"listing:{c['id']}",
            }
            for c in candidates
        ]
    booking = results.get(LeadTool.BOOK)
    if booking and booking.get("status") == "proposed" and booking.get("proposal"):
        proposal = str(booking["proposal"])
        yes = {"label": say("choice_yes", p.code, when=p.moment(proposal)), "value": f"when:{proposal}"}
        others = slot_options(booking, p.moment)
        return [yes, *({"label": label, "value": f"when:{value}"} for label, value in others)]
    if booking and booking.get("status") == "needs_listing":
        return [
            {
                "label": p.reply("choice_book", title=str(option.get("title", ""))[:40]),
                "value": f"book:{option['id']}",
            }
            for option in booking.get("options") or []
            if isinstance(option, Mapping) and "id" in option
        ]
    if booking and booking.get("status") in ("needs_time", "day_off"):
        return [
            {"label": label, "value": f"when:{value}"} for label, value in slot_options(booking, p.moment)
        ]
    moving = results.get(LeadTool.RESCHEDULE)
    if moving and moving.get("status") == "needs_time":
        return [{"label": label, "value": f"move:{value}"} for label, value in slot_options(moving, p.moment)]
    search = results.get(LeadTool.SEARCH) or {}
    shown_now = [x.get("id") for x in search.get("results") or [] if isinstance(x, dict)]
    if (
        LeadTool.SEARCH in results
        and state.get("listings")
        and any(x.get("id") in shown_now for x in state["listings"])
    ):
        choices = [
            {
                "label": p.reply("choice_book", title=str(listing.get("title", ""))[:40]),
                "value": f"book:{listing['id']}",
            }
            for listing in (state.get("listings") or [])[:3]
        ]
        if search.get("more"):  # only when other listings match; never after "those are all"
            choices.append({"label": p.reply("choice_more"), "value": "more"})
        return choices
    if state.get("asked") == "transaction":
        return [
            {"label": p.reply("choice_buy"), "value": "tx:sale"},
            {"label": p.reply("choice_rent"), "value": "tx:rent"},
        ]
    if booking and (booking.get("status") == "unavailable" or "error" in booking):
        return [{"label": p.reply("choice_human"), "value": "human"}]
    return []


def _asked(state: Mapping[str, Any], reply: AIMessage | None, turn: Sequence[AnyMessage]) -> str | None:
    if reply is not None and ASKED_KEY in reply.additional_kwargs:
        return reply.additional_kwargs[ASKED_KEY]
    names = {message.name for message in turn if isinstance(message, ToolMessage)}
    if LeadTool.SEARCH in names and state.get("listings"):
        return "listing"
    if state.get("phase") == "contact_capture":
        return "phone"
    if state.get("viewing_request") and LeadTool.BOOK in names:
        return "time"
    return None


MAX_PHOTOS = 10
"""A Telegram media group holds ten photos."""


def _media(state: Mapping[str, Any], turn: Sequence[AnyMessage]) -> list[dict[str, str]]:
    """Photos to send with this turn's reply: the listing asked about (on request), or the first photo of each
    listing this turn's search showed; each with its title as the caption."""
    results = {
        message.name: tool_result(message.content)
        for message in turn
        if isinstance(message, ToolMessage) and message.name
    }
    details = results.get(LeadTool.DETAILS) or {}
    listing = details.get("listing") or {}
    if "photos" in (details.get("answers") or {}) and listing.get("photos"):
        title = str(listing.get("title") or "")
        return [{"url": str(url), "caption": title} for url in listing["photos"][:MAX_PHOTOS]]
    shown = [x for x in (results.get(LeadTool.SEARCH) or {}).get("results") or [] if isinstance(x, dict)]
    new = set(state.get("new_ids") or ())
    return [
        {"url": str(x["photos"][0]), "caption": f"{n}. {x.get('title', '')}"}
        for n, x in enumerate(shown[:3], start=1)
        if x.get("photos") and (not new or x.get("id") in new)
    ]


def finish(state: SalesState) -> dict[str, Any]:
    """Close the turn: buttons to offer, what was asked, and the message window cut back to its bound."""
    messages = list(state.get("messages") or [])
    turn = current_turn(messages)
    reply = next((m for m in reversed(turn) if isinstance(m, AIMessage) and not m.tool_calls), None)
    asked = _asked(state, reply, turn)
    update: dict[str, Any] = {"asked": asked}
    if asked:
        update["asked_before"] = [*(state.get("asked_before") or []), asked][-MAX_ASKED:]
    update["choices"] = _choices({**state, "asked": asked}, turn)
    update["media"] = _media(state, turn)
    if state.get("phase") == "contact_capture" and not state.get("phone_known"):
        update["phone_asked"] = True
    starts = turn_starts(messages)
    cut = starts[-KEEP_TURNS] if len(starts) >= KEEP_TURNS else 0
    cut = max(cut, min(len(messages) - MAX_KEPT_MESSAGES, starts[-1] if starts else 0))
    stale = [m.id for m in messages[:cut] if m.id]
    if stale:
        update["messages"] = [RemoveMessage(id=message_id) for message_id in stale]
    return update
