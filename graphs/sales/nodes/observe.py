"""The first node of a turn: the lead, tenant and catalog from the database; the new message read by NLU.

It calls no model. What it decides (the viewing the lead asks for, the listing in focus) comes from the
database, the reading of the lead's message and what earlier turns showed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, RemoveMessage, ToolMessage
from langgraph.graph.message import REMOVE_ALL_MESSAGES
from langgraph.runtime import Runtime

from agent.core import reading as r
from agent.core.brief import ViewingRequest
from agent.core.listing_focus import focus_after
from agent.core.listing_names import titles_of
from agent.core.nlu.intents import Intent, detect_intents
from agent.core.nlu.time_changes import impossible_clock, shift_of
from agent.core.policies.booking_times import is_day, shifted, with_day, with_time
from agent.services.catalog.names import catalog_names
from agent.services.leads import lead_profile, missing_fields, tenant_of, zone_of
from graphs.sales.context import LeadContext
from graphs.sales.messages import last_human
from graphs.sales.nodes.confirm import settle_pending_contact
from graphs.sales.phases import STATUS_HANDED_OFF, STATUS_VIEWING
from graphs.sales.state import SalesState
from prompts import language_code
from tools.scope import lead_session


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


def _wanted_when(
    state: Mapping[str, Any], reading: r.Reading, request: ViewingRequest | None
) -> tuple[str | None, bool]:
    """The time the lead now asks for, and whether it is only proposed (to be confirmed by the lead).

    A change keeps what it does not change: "make it 4pm" keeps the proposed day, "no, the 5th instead"
    keeps the proposed time, "a bit later" takes the next free time offered; the result is proposed again.
    """
    proposal = state.get("proposal")
    offered = list(state.get("offered_times") or [])
    if not reading.when:
        shift = shift_of(reading.text) if proposal else 0
        if shift and proposal:
            return shifted(proposal, offered, shift), True
        return None, False
    base = proposal or (request or {}).get("when")
    if reading.time_only and base:
        return with_time(base, reading.when), bool(proposal)
    if is_day(reading.when) and proposal:
        return with_day(proposal, reading.when), True
    return reading.when, reading.time_only  # "at 4pm" alone: today's (or tomorrow's) 16:00, asked first


def _viewing_request(
    state: Mapping[str, Any], reading: r.Reading, focus: int | None
) -> ViewingRequest | None:
    """The viewing the lead is asking for, kept across turns until booked or dropped.

    A booking, a move or a cancel of a viewing that does not exist is never a new request: "cancel the
    viewing" with none booked is answered, not booked.
    """
    request: ViewingRequest | None = state.get("viewing_request")
    asked = state.get("asked")
    shown = bool(state.get("listings"))
    booked = state.get("viewing") is not None
    cancelling = reading.has(Intent.CANCEL)
    # "Move the viewing to Friday" with none booked moves nothing ("see it on Friday instead" is a wish).
    moving_nothing = not booked and request is None and Intent.RESCHEDULE in detect_intents(reading.text)
    wants = not cancelling and (
        (reading.has(Intent.BOOK_VIEWING) and not moving_nothing)
        or (reading.has(Intent.AFFIRM) and asked in ("listing", "viewing") and shown and not reading.asks)
        or (asked == "listing" and reading.listing_id is not None and not reading.asks)
        or (
            reading.when is not None
            and not booked
            and not moving_nothing
            and shown
            and (
                reading.has(Intent.AFFIRM)
                or asked in ("listing", "viewing", "time", "phone", "day")
                or not reading.preferences
            )
        )
    )
    offered = list(state.get("offered_times") or [])
    when, tentative = _wanted_when(state, reading, request)
    impossible = impossible_clock(reading.text) if (wants or request is not None) else None
    if request is not None and asked == "time" and reading.has(Intent.AFFIRM) and not when and offered:
        return ViewingRequest(
            property_id=reading.listing_id or request.get("property_id"), when=offered[0]
        )  # "yes" to the time proposed (or the first of the slots offered), and to the listing named with it
    if wants:
        return ViewingRequest(
            property_id=reading.listing_id or (request or {}).get("property_id") or focus,
            when=when or (request or {}).get("when"),
            tentative=tentative if when else bool((request or {}).get("tentative")),
            said_time=impossible,
        )
    if request is not None:
        declines_phone = asked == "phone" and reading.has(Intent.DENY)  # no phone, still the viewing
        if state.get("proposal") and reading.has(Intent.DENY) and not when and not cancelling:
            # "No" to the time proposed, not to the viewing: the free times are offered instead.
            return ViewingRequest(property_id=request.get("property_id"), when=None, tentative=False)
        if cancelling or (
            reading.has(Intent.DENY) and not when and reading.listing_id is None and not declines_phone
        ):
            return None
        engaged = (
            when
            or reading.listing_id is not None
            or reading.phone
            or reading.has(Intent.AFFIRM)
            or asked == "phone"
            or impossible
        )
        if not engaged:
            return None  # the lead moved on; asking again reopens it
        changed = dict(request)
        if when:
            changed["when"] = when
            changed["tentative"] = tentative
        if reading.listing_id is not None:
            changed["property_id"] = reading.listing_id
        changed["said_time"] = impossible
        return ViewingRequest(**changed)  # type: ignore[typeddict-item]
    return None


async def observe(state: SalesState, runtime: Runtime[LeadContext]) -> dict[str, Any]:
    """Start of a turn: the lead, tenant and catalog areas from the database; the new message read by NLU."""
    ctx = runtime.context
    async with lead_session(ctx, lock=False) as (session, lead):  # the turn's own transaction, in a turn
        tenant = await tenant_of(session, lead)
        # The catalog needs none of the turn's pending writes: they go to the database later, together.
        with session.no_autoflush:
            names = await catalog_names(session, ctx.tenant_id)
        areas = list(names.areas)
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
            proposal=None,
            pending_contact=None,
        )
    elif dangling := _dangling(messages):
        update["messages"] = [RemoveMessage(id=message_id) for message_id in dangling]
    zone = zone_of(lead.time_zone or tenant.time_zone)
    now = ctx.services.clock.now().astimezone(zone)
    language = state.get("language") or lead.language or tenant.default_language
    reading = r.read_message(
        str(human.text) if human is not None else "",
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
        catalog=names,
    )
    if settled := await settle_pending_contact(state, ctx):
        update.update(settled)
        if settled.get("contact_change"):  # the yes or no answered "Shall I replace …?", nothing else
            answer = (Intent.AFFIRM, Intent.DENY)
            reading = replace(reading, intents=tuple(i for i in reading.intents if i not in answer))
    offered = state.get("focus_candidates") or []
    if (
        offered
        and reading.listing_id is None
        and not reading.candidates
        and reading.has(Intent.AFFIRM)
        and not reading.has(Intent.DENY)
        and not reading.wants_more  # "okay, then can you find a different one?" is no yes to X
        and not reading.has(Intent.SEARCH)
    ):
        # "Yes" to "Do you mean X?": the reply named the first of the candidates, so X it is.
        reading = replace(reading, listing_id=int(offered[0]["id"]))
    pending = list(state.get("pending_asks") or [])
    if pending and reading.listing_id is not None and not reading.asks and state.get("focus_candidates"):
        reading = replace(
            reading, asks=tuple(pending)
        )  # the lead chose which listing: answer what they asked
    shown = state.get("listings") or []
    focused = focus_after(
        listing_id=reading.listing_id,
        candidates=reading.candidates,
        ordinal=reading.ordinal,
        deictic=reading.deictic,
        wants_focus=bool(reading.asks) or any(reading.has(i) for i in (Intent.BOOK_VIEWING, Intent.AFFIRM)),
        shown=shown,
        before=None if fresh else state.get("focus_id"),
    )
    focus = focused.listing_id
    candidates = titles_of(focused.candidates, names, shown)
    status = profile.get("status")
    request = _viewing_request(state, reading, focus)
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
        focus_candidates=candidates,
        pending_asks=list(reading.asks) if candidates else [],
        viewing_request=request,
        proposal=state.get("proposal") if request else None,
        turn=int(state.get("turn") or 0) + 1,
        steps=0,
        choices=[],
        media=[],
        new_ids=[],
    )
    # Unchanged values are not written again: every write is a new blob in the checkpoint.
    update.update({name: value for name, value in facts.items() if fresh or state.get(name) != value})
    return update
