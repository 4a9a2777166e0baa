"""The bookkeeping nodes of a sales turn: read the lead in, take facts from tool results, close the turn.

None of them calls a model. What they decide (the viewing the lead asked for, the listing in focus,
the buttons to offer) comes from the database, the NLU reading of the lead's message and tool results.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, RemoveMessage, ToolMessage
from langgraph.graph.message import REMOVE_ALL_MESSAGES
from langgraph.runtime import Runtime

from agent.adapters.offline_model import ASKED_KEY, slot_options
from agent.core import reading as r
from agent.core.brief import ListingCard, ViewingRequest
from agent.services.leads import lead_profile, load_lead, missing_fields, tenant_of
from graphs.sales.phases import (
    BOOK,
    CANCEL,
    CONTACT,
    HUMAN,
    PREFERENCES,
    RESCHEDULE,
    SEARCH,
    STATUS_HANDED_OFF,
    STATUS_VIEWING,
)
from graphs.sales.state import SalesState
from prompts import language_code, pack
from storage.repositories.properties import catalog_areas
from tools.context import LeadContext

KEEP_TURNS = 6
"""Whole turns kept in the checkpoint; older messages are removed (the transcript is in lead_interactions)."""
MAX_KEPT_MESSAGES = 60
MAX_SHOWN_IDS = 60
MAX_LISTINGS = 6
MAX_ASKED = 12


def _json(content: Any) -> dict[str, Any]:
    if isinstance(content, dict):
        return content
    try:
        value = json.loads(content if isinstance(content, str) else "")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def last_human(messages: Sequence[AnyMessage]) -> HumanMessage | None:
    return next((m for m in reversed(messages) if isinstance(m, HumanMessage)), None)


def _text(message: AnyMessage | None) -> str:
    if message is None:
        return ""
    content = message.content
    return (
        content
        if isinstance(content, str)
        else " ".join(str(part.get("text", "")) if isinstance(part, dict) else str(part) for part in content)
    )


def _dangling(messages: Sequence[AnyMessage]) -> list[str]:
    """Ids of AI messages whose tool calls never got results (a turn cut short); providers reject those."""
    answered = {m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
    return [
        m.id
        for m in messages
        if isinstance(m, AIMessage)
        and m.id
        and m.tool_calls
        and any(c.get("id") not in answered for c in m.tool_calls)
    ]


def _stamp(lead: Any) -> str:
    created = getattr(lead, "created_at", None)
    return f"{lead.id}:{created.isoformat() if created else ''}"


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _viewing_request(
    state: Mapping[str, Any], reading: r.Reading, focus: int | None
) -> ViewingRequest | None:
    """The viewing the lead is asking for, kept across turns until booked or dropped."""
    request: ViewingRequest | None = state.get("viewing_request")
    asked = state.get("asked")
    shown = bool(state.get("listings"))
    wants = (
        reading.has(r.BOOK)
        or (
            reading.has(r.RESCHEDULE) and state.get("viewing") is None
        )  # with one booked, it is moved instead
        or (reading.has(r.AFFIRM) and asked in ("listing", "viewing") and shown and not reading.asks)
        or (asked == "listing" and reading.listing_id is not None and not reading.asks)
        or (
            reading.when is not None
            and state.get("viewing") is None
            and shown
            and (
                reading.has(r.AFFIRM)
                or asked in ("listing", "viewing", "time", "phone")
                or not reading.preferences
            )
        )
    )
    offered = list(state.get("offered_times") or [])
    if request is not None and asked == "time" and reading.has(r.AFFIRM) and not reading.when and offered:
        return ViewingRequest(
            property_id=request.get("property_id"), when=offered[0]
        )  # "yes" to the slots offered
    if wants:
        return ViewingRequest(
            property_id=reading.listing_id or (request or {}).get("property_id") or focus,
            when=reading.when or (request or {}).get("when"),
        )
    if request is not None:
        if reading.has(r.CANCEL) or (reading.has(r.DENY) and not reading.when and reading.listing_id is None):
            return None
        engaged = (
            reading.when
            or reading.listing_id is not None
            or reading.phone
            or reading.has(r.AFFIRM)
            or asked == "phone"
        )
        if not engaged:
            return None  # the lead moved on; asking again reopens it
        changed = dict(request)
        if reading.when:
            changed["when"] = reading.when
        if reading.listing_id is not None:
            changed["property_id"] = reading.listing_id
        return ViewingRequest(**changed)  # type: ignore[typeddict-item]
    return None


async def observe(state: SalesState, runtime: Runtime[LeadContext]) -> dict[str, Any]:
    """Start of a turn: the lead, tenant and catalog areas from the database; the new message read by NLU."""
    ctx = runtime.context
    async with ctx.services.database.session() as session:
        lead = await load_lead(session, ctx.tenant_id, ctx.lead_id, for_update=False)
        tenant = await tenant_of(session, lead)
        areas = await catalog_areas(session, ctx.tenant_id)
        profile = lead_profile(lead)
        missing = missing_fields(lead)
        stamp = _stamp(lead)
    update: dict[str, Any] = {}
    messages = list(state.get("messages") or [])
    human = last_human(messages)
    fresh = state.get("lead_stamp") not in (None, stamp)  # type: ignore[comparison-overlap]
    if fresh:
        # A checkpoint of another lead that had this id (a reset database): start this thread over.
        update["messages"] = [RemoveMessage(id=REMOVE_ALL_MESSAGES), *([human] if human else [])]
        state = SalesState(messages=[human] if human else [])
        update.update(
            listings=[],
            shown_ids=[],
            focus_id=None,
            viewing_request=None,
            viewing=None,
            phone_asked=False,
            asked=None,
            asked_before=[],
            offered_times=[],
        )
    elif dangling := _dangling(messages):
        update["messages"] = [RemoveMessage(id=message_id) for message_id in dangling]
    zone = _zone(lead.time_zone or tenant.time_zone)
    now = ctx.services.clock.now().astimezone(zone)
    language = state.get("language") or lead.language or tenant.default_language
    reading = r.read_message(
        _text(human),
        payload=human.additional_kwargs.get("payload") if human is not None else None,
        areas=areas,
        region=tenant.country_code,
        currency=profile.get("currency") or tenant.default_currency,  # type: ignore[arg-type]
        listings=state.get("listings") or (),
        shown_ids=state.get("shown_ids") or (),
        asked=state.get("asked"),
        now=now,
        time_zone=str(zone),
        language=language_code(language),  # type: ignore[arg-type]
    )
    focus = reading.listing_id if reading.listing_id is not None else state.get("focus_id")
    if focus is None and reading.asks and state.get("listings"):
        focus = state["listings"][0].get("id")  # a question about "it" is answered about the top listing
    status = profile.get("status")
    facts = dict(
        lead_stamp=stamp,
        language=language,
        tenant_name=tenant.name,
        region=tenant.country_code,
        areas=areas,
        now=now.isoformat(),
        time_zone=str(zone),
        profile=profile,
        missing=missing,
        phone_known=bool(profile.get("phone")),
        human_requested=bool(state.get("human_requested")) and status == STATUS_HANDED_OFF,
        viewing=state.get("viewing") if status == STATUS_VIEWING else None,
        reading=reading.as_dict(),
        focus_id=focus,
        viewing_request=_viewing_request(state, reading, focus),
        turn=int(state.get("turn") or 0) + 1,
        steps=0,
        choices=[],
        new_ids=[],
    )
    # Unchanged values are not written again: every write is a new blob in the checkpoint.
    update.update({name: value for name, value in facts.items() if fresh or state.get(name) != value})
    return update


def _step_results(messages: Sequence[AnyMessage]) -> list[tuple[str, dict[str, Any]]]:
    """(tool name, result) of the last tool step."""
    results: list[tuple[str, dict[str, Any]]] = []
    for message in reversed(messages):
        if isinstance(message, ToolMessage):
            results.append((message.name or "", _json(message.content)))
        else:
            break
    return list(reversed(results))


def absorb(state: SalesState) -> dict[str, Any]:
    """After a tool step: what the tools changed becomes state the routers see."""
    update: dict[str, Any] = {}
    reading = r.Reading.from_dict(state.get("reading"))
    for name, result in _step_results(state.get("messages") or []):
        if name == PREFERENCES and isinstance(result.get("profile"), dict):
            update["profile"] = result["profile"]
            update["missing"] = list(result.get("missing") or [])
        elif name == CONTACT and (result.get("saved") or {}).get("phone"):
            update["phone_known"] = True
        elif name == SEARCH:
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
        elif name == BOOK and result.get("status") == "needs_time":
            update["offered_times"] = [str(option) for option in result.get("options") or []][:6]
        elif name == BOOK and result.get("status") == "booked":
            update["viewing"] = result.get("viewing") or {}
            update["viewing_request"] = None
            update["phone_asked"] = False
            update["offered_times"] = []
            update["profile"] = {
                **(update.get("profile") or state.get("profile") or {}),
                "status": STATUS_VIEWING,
            }
        elif name == RESCHEDULE and result.get("status") == "moved":
            update["viewing"] = {**(state.get("viewing") or {}), **(result.get("viewing") or {})}
            update["viewing_request"] = None
        elif name == CANCEL and result.get("status") == "cancelled":
            update["viewing"] = None
            update["viewing_request"] = None
        elif name == HUMAN and result.get("status") == "handed_off":
            update["human_requested"] = True
            update["profile"] = {
                **(update.get("profile") or state.get("profile") or {}),
                "status": STATUS_HANDED_OFF,
            }
    return update


def _turn_messages(messages: Sequence[AnyMessage]) -> list[AnyMessage]:
    starts = [i for i, message in enumerate(messages) if isinstance(message, HumanMessage)]
    return list(messages[starts[-1] :]) if starts else list(messages)


def _choices(state: Mapping[str, Any], turn: Sequence[AnyMessage]) -> list[dict[str, str]]:
    """Buttons for what this turn offered: listings to view, free slots, buy or rent."""
    p = pack(state.get("language"))
    results = {
        message.name: _json(message.content)
        for message in turn
        if isinstance(message, ToolMessage) and message.name
    }
    booking = results.get(BOOK)
    if booking and booking.get("status") == "needs_time":
        return [{"label": label, "value": f"when:{value}"} for label, value in slot_options(booking, p)]
    moving = results.get(RESCHEDULE)
    if moving and moving.get("status") == "needs_time":
        return [{"label": label, "value": f"move:{value}"} for label, value in slot_options(moving, p)]
    shown_now = [x.get("id") for x in (results.get(SEARCH) or {}).get("results") or [] if isinstance(x, dict)]
    if (
        SEARCH in results
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
        return [*choices, {"label": p.reply("choice_more"), "value": "more"}]
    if state.get("asked") == "transaction":
        return [
            {"label": p.reply("choice_buy"), "value": "tx:sale"},
            {"label": p.reply("choice_rent"), "value": "tx:rent"},
        ]
    if booking and booking.get("status") == "unavailable":
        return [{"label": p.reply("choice_human"), "value": "human"}]
    return []


def _asked(state: Mapping[str, Any], reply: AIMessage | None, turn: Sequence[AnyMessage]) -> str | None:
    if reply is not None and ASKED_KEY in reply.additional_kwargs:
        return reply.additional_kwargs[ASKED_KEY]
    names = {message.name for message in turn if isinstance(message, ToolMessage)}
    if SEARCH in names and state.get("listings"):
        return "listing"
    if state.get("phase") == "contact_capture":
        return "phone"
    if state.get("viewing_request") and BOOK in names:
        return "time"
    return None


def finish(state: SalesState) -> dict[str, Any]:
    """Close the turn: buttons to offer, what was asked, and the message window cut back to its bound."""
    messages = list(state.get("messages") or [])
    turn = _turn_messages(messages)
    reply = next((m for m in reversed(turn) if isinstance(m, AIMessage) and not m.tool_calls), None)
    asked = _asked(state, reply, turn)
    update: dict[str, Any] = {"asked": asked}
    if asked:
        update["asked_before"] = [*(state.get("asked_before") or []), asked][-MAX_ASKED:]
    update["choices"] = _choices({**state, "asked": asked}, turn)
    if state.get("phase") == "contact_capture" and not state.get("phone_known"):
        update["phone_asked"] = True
    starts = [i for i, message in enumerate(messages) if isinstance(message, HumanMessage)]
    cut = starts[-KEEP_TURNS] if len(starts) >= KEEP_TURNS else 0
    cut = max(cut, min(len(messages) - MAX_KEPT_MESSAGES, starts[-1] if starts else 0))
    stale = [m.id for m in messages[:cut] if m.id]
    if stale:
        update["messages"] = [RemoveMessage(id=message_id) for message_id in stale]
    return update
