"""The offline model: a deterministic tool-calling chat model that runs the sales conversation with no API key.

It is a real `BaseChatModel`: bound to tools, it answers with `AIMessage(tool_calls=[...])` planned from
what the lead's message says (agent.core.reading on top of agent.core.nlu), the phase and facts of the turn brief
(agent.core.brief) and the results of the tools it already called this turn; when nothing is left to do it
writes the reply in the lead's language from the templates in `prompts/`. Listing facts come only from
tool results. The same input always gives the same output.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolCall, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool

from agent.core import reading as r
from agent.core.brief import BRIEF_KEY, ListingCard, TurnBrief, brief_of
from agent.core.policies.vocabulary import compact_amount
from prompts import LanguagePack, pack
from prompts.vocabulary import LIST_SEPARATOR, bedrooms_phrase, budget_phrase, describe_goal

ASKED_KEY = "realty_asked"
"""On a reply: what it asked the lead for (location, budget, listing, phone, time...), for reading the answer."""

SEARCH = "search_properties"
PREFERENCES = "update_preferences"
CONTACT = "capture_contact"
BOOK = "book_viewing"
RESCHEDULE = "reschedule_viewing"
CANCEL_VIEWING = "cancel_viewing"
HUMAN = "request_human"

MAX_LISTED = 3
QUALIFYING_ORDER = ("location", "property_type", "transaction", "budget", "bedrooms")
_SEARCH_RELEVANT = frozenset(
    {
        "budget_min",
        "budget_max",
        "bedrooms",
        "bathrooms",
        "property_type",
        "location",
        "transaction",
        "pets",
        "furnished",
    }
)


def _tool_name(tool: Any) -> str:
    if isinstance(tool, BaseTool):
        return tool.name
    if isinstance(tool, Mapping):
        function = tool.get("function")
        return str(function["name"] if isinstance(function, Mapping) else tool.get("name"))
    return str(getattr(tool, "__name__", tool))


def _parse(content: Any) -> dict[str, Any]:
    if isinstance(content, dict):
        return content
    if isinstance(content, list):
        content = "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    try:
        value = json.loads(content)
    except (TypeError, ValueError):
        return {"error": str(content)[:300]}
    return value if isinstance(value, dict) else {"value": value}


class _Turn:
    """The current turn as the model sees it: the lead's message, the brief, and this turn's tool results."""

    def __init__(self, messages: Sequence[BaseMessage]) -> None:
        self.brief: TurnBrief = brief_of(list(messages))
        last_human = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
        self.human: HumanMessage | None = messages[last_human] if last_human >= 0 else None  # type: ignore[assignment]
        self.results: dict[str, dict[str, Any]] = {}
        self.called: set[str] = set()
        self.called_names: list[str] = []
        self.steps = 0
        names: dict[str, str] = {}
        for message in messages[last_human + 1 :]:
            if isinstance(message, AIMessage):
                self.steps += 1
                for call in message.tool_calls:
                    self.called.add(call["name"])
                    self.called_names.append(call["name"])
                    names[call.get("id") or ""] = call["name"]
            elif isinstance(message, ToolMessage):
                name = message.name or names.get(message.tool_call_id, "")
                self.results[name] = _parse(message.content)
        self.previous_ai = next(
            (
                m
                for m in reversed(messages[: max(last_human, 0)])
                if isinstance(m, AIMessage) and not m.tool_calls
            ),
            None,
        )
        self.previous_asked: str | None = self.brief.get("asked") or (
            self.previous_ai.additional_kwargs.get(ASKED_KEY) if self.previous_ai is not None else None
        )
        self.text = _text(self.human) if self.human is not None else ""
        self.payload = self.human.additional_kwargs.get("payload") if self.human is not None else None
        self.language = self.brief.get("language") or self._detect_language()
        self.reading = self._reading()

    def _detect_language(self) -> str:
        from agent.core.nlu.language import detect_language

        return detect_language(self.text) if self.text.strip() else "en"

    def _reading(self) -> r.Reading:
        stored = self.brief.get("reading")
        if (
            isinstance(stored, dict)
            and stored.get("text") == self.text[:500]
            and stored.get("payload") == self.payload
        ):
            return r.Reading.from_dict(stored)
        asked = self.previous_asked
        now = self.brief.get("now")
        return r.read_message(
            self.text,
            payload=self.payload,
            areas=self.brief.get("areas", ()),
            region=self.brief.get("region", "US"),
            currency=(self.brief.get("profile") or {}).get("currency"),
            listings=self.brief.get("listings", ()),
            shown_ids=self.brief.get("shown_ids", ()),
            asked=asked,
            now=datetime.fromisoformat(now) if isinstance(now, str) else None,
            time_zone=self.brief.get("time_zone"),
            language=self.language,  # type: ignore[arg-type]
        )

    def times_asked(self, what: str) -> int:
        return list(self.brief.get("asked_before") or ()).count(what)

    @property
    def profile(self) -> dict[str, Any]:
        latest = self.results.get(PREFERENCES, {}).get("profile")
        return latest if isinstance(latest, dict) else dict(self.brief.get("profile") or {})

    @property
    def phone_known(self) -> bool:
        return bool(
            self.brief.get("phone_known")
            or self.profile.get("phone")
            or self.results.get(CONTACT, {}).get("saved", {}).get("phone")
        )

    @property
    def listings(self) -> list[ListingCard]:
        found = self.results.get(SEARCH, {}).get("results")
        return list(found) if isinstance(found, list) and found else list(self.brief.get("listings") or [])


def _text(message: BaseMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    return " ".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)


# --- Planning: which tools to call next --------------------------------------------------------------------


def _changed_preferences(found: Mapping[str, Any], profile: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in found.items() if profile.get(name) != value}


def _viewing_target(turn: _Turn) -> int | None:
    """The listing to view: the one asked for, the one in focus, else the top match (None: a consultation)."""
    request = turn.brief.get("viewing_request") or {}
    reading = turn.reading
    listing = request.get("property_id") or reading.listing_id or turn.brief.get("focus_id")
    if listing is not None:
        return int(listing)
    listings = turn.listings
    return int(listings[0]["id"]) if listings else None  # the reply names it, so the lead can pick another


def _is_date(when: str | None) -> bool:
    return bool(when) and len(str(when)) == 10


def _wants_viewing(turn: _Turn) -> bool:
    if "viewing_request" in turn.brief:
        return bool(turn.brief.get("viewing_request"))
    reading = turn.reading
    return reading.has(r.BOOK) or reading.has(r.RESCHEDULE)


def _should_search(turn: _Turn) -> bool:
    reading = turn.reading
    phase = turn.brief.get("phase")
    if _wants_viewing(turn) and not reading.wants_more:
        return False  # seeing what was shown comes first
    if phase == "value_proposition" or reading.wants_more:
        return True
    if phase in ("greeting", "qualification"):
        return False  # the phase says the basics are still missing: ask first
    if reading.has(r.SEARCH):
        return True
    updated = set(turn.results.get(PREFERENCES, {}).get("updated") or ())
    if not updated & _SEARCH_RELEVANT:
        return False
    if turn.brief.get("shown_ids"):
        return True  # the lead refined what they want: show what fits now
    if not turn.brief:  # a bare agent with no phases: search once the basics are known
        profile = turn.profile
        return bool(profile.get("location")) and bool(profile.get("property_type") or profile.get("bedrooms"))
    return False


def plan_tool_calls(turn: _Turn, available: frozenset[str]) -> list[tuple[str, dict[str, Any]]]:
    """The tool calls for this step: independent facts first, then search or booking once they are saved."""
    reading = turn.reading
    if reading.has(r.INJECTION) or turn.steps >= 4:
        return []

    def can(name: str) -> bool:
        return name in available and name not in turn.called

    calls: list[tuple[str, dict[str, Any]]] = []
    contact = {key: value for key, value in (("phone", reading.phone), ("email", reading.email)) if value}
    preferences = _changed_preferences(reading.preferences, turn.profile)
    if reading.name and reading.name != turn.profile.get("name"):
        if contact:
            contact["name"] = reading.name
        else:
            preferences["name"] = reading.name
    if preferences and can(PREFERENCES):
        calls.append((PREFERENCES, preferences))
    if contact and can(CONTACT):
        calls.append((CONTACT, contact))
    changed_viewing = bool({RESCHEDULE, CANCEL_VIEWING} & turn.called)
    if (turn.brief.get("viewing") or changed_viewing) and not calls:
        # A booked viewing is moved or cancelled by its own tools (once a turn), never booked twice or handed off.
        if reading.has(r.CANCEL):
            return [(CANCEL_VIEWING, {})] if can(CANCEL_VIEWING) else []
        if reading.has(r.RESCHEDULE) or (turn.previous_asked == "reschedule" and reading.when):
            return [(RESCHEDULE, {"when": reading.when} if reading.when else {})] if can(RESCHEDULE) else []
    if (reading.has(r.HUMAN) or reading.has(r.CANCEL)) and can(HUMAN):
        reason = "cancel viewing" if reading.has(r.CANCEL) else "asked for a person"
        calls.append((HUMAN, {"reason": f"{reason}: {reading.text[:200]}"}))
    if calls:
        return calls
    offered = turn.results.get(BOOK) or {}
    request = turn.brief.get("viewing_request") or {}
    if (
        offered.get("status") == "needs_time"
        and list(turn.called_names).count(BOOK) == 1
        and _is_date(day := str(request.get("when") or reading.when or ""))
        and (reading.has(r.AFFIRM) or reading.has(r.BOOK))
        and offered.get("options")
        and str(offered["options"][0]).startswith(day)  # another day is the lead's choice, not ours
    ):
        # "Schedule it for the 8th": the lead chose the day and asked to book; the day's first free time it is.
        return [(BOOK, {"property_id": _viewing_target(turn), "when": str(offered["options"][0])})]
    if (
        _wants_viewing(turn)
        and can(BOOK)
        and (turn.phone_known or turn.brief.get("phone_asked") or not turn.brief)
    ):
        request = turn.brief.get("viewing_request") or {}
        when = request.get("when") or reading.when
        args: dict[str, Any] = {"property_id": _viewing_target(turn)}
        if when:
            args["when"] = when
        return [(BOOK, args)]
    if can(SEARCH) and _should_search(turn):
        args = {}
        if reading.wants_more:
            args["limit"] = min(10, len(turn.brief.get("shown_ids") or ()) + MAX_LISTED)
        elif reading.describes:
            args["query"] = reading.text[:200]  # filters come from the saved preferences; this ranks
        return [(SEARCH, args)]
    return []


# --- Writing the reply ---------------------------------------------------------------------------------------


def _price(listing: Mapping[str, Any], p: LanguagePack) -> str:
    price = listing.get("price")
    if price is None:
        return ""
    try:
        amount = compact_amount(float(price))
    except (TypeError, ValueError):
        amount = str(price)
    text = f"{amount} {listing.get('currency') or ''}".strip()
    period = listing.get("price_period")
    if period in ("month", "year"):
        text += p.reply(f"per_{period}")
    return text


def _listing_line(n: int, listing: Mapping[str, Any], p: LanguagePack) -> str:
    parts = [_price(listing, p)]
    if listing.get("bedrooms"):
        parts.append(bedrooms_phrase(int(listing["bedrooms"]), p.code))
    if listing.get("size_m2"):
        parts.append(p.reply("size", size=compact_amount(float(listing["size_m2"]))))
    if listing.get("location"):
        parts.append(str(listing["location"]))
    details = " · ".join(part for part in parts if part)
    line = f"{n}. {listing.get('title', '')} — {details}"
    if listing.get("scarcity"):
        line += f"\n   {listing['scarcity']}"
    return line


def _summary(profile: Mapping[str, Any], updated: Sequence[str], language: str) -> str | None:
    wanted = set(updated)
    goal = describe_goal(
        profile.get("transaction") if "transaction" in wanted else None,
        profile.get("property_type") if "property_type" in wanted else None,
        profile.get("location") if "location" in wanted else None,
        language,
    )
    parts = [goal] if goal else []
    if wanted & {"bedrooms"} and profile.get("bedrooms"):
        parts.append(bedrooms_phrase(int(profile["bedrooms"]), language))
    if wanted & {"budget_min", "budget_max"}:
        budget = budget_phrase(
            profile.get("budget_min"), profile.get("budget_max"), profile.get("currency"), language
        )
        if budget:
            parts.append(budget)
    return LIST_SEPARATOR.get(language, ", ").join(parts) if parts else None


def _next_question(
    turn: _Turn, p: LanguagePack, fields: Sequence[str] = QUALIFYING_ORDER, max_asks: int = 2
) -> tuple[str, str] | None:
    """The one qualifying question worth asking now, and what it asks for (a question the lead let pass
    `max_asks` times is not asked again)."""
    profile = turn.profile
    for field in fields:
        if turn.times_asked(field) >= max_asks:
            continue
        if field == "budget":
            if profile.get("budget_max") is None and profile.get("budget_min") is None:
                return p.reply("ask_budget"), "budget"
        elif field == "bedrooms":
            if profile.get("bedrooms") is None and profile.get("property_type") not in ("land",):
                return p.reply("ask_bedrooms"), "bedrooms"
        elif not profile.get(field):
            if field == "location":
                areas = list(turn.brief.get("areas") or ())[:6]
                if areas:
                    return p.reply(
                        "ask_location", areas=LIST_SEPARATOR.get(p.code, ", ").join(areas)
                    ), "location"
                return p.reply("ask_location_open"), "location"
            return p.reply(f"ask_{field}"), field
    return None


def _listing_by_id(turn: _Turn, listing_id: int | None) -> ListingCard | None:
    if listing_id is None:
        return None
    pool = [*turn.listings, *(turn.brief.get("listings") or [])]
    return next((listing for listing in pool if int(listing.get("id", -1)) == int(listing_id)), None)


def _fact_lines(turn: _Turn, card: ListingCard, p: LanguagePack) -> list[str]:
    listing: Mapping[str, Any] = card
    title = listing.get("title", "")
    lines: list[str] = []
    for fact in turn.reading.asks:
        if fact == "furnished" and listing.get("furnished") is not None:
            lines.append(
                p.reply("fact_furnished_yes" if listing["furnished"] else "fact_furnished_no", title=title)
            )
        elif fact == "pets" and listing.get("pets_allowed") is not None:
            lines.append(p.reply("fact_pets_yes" if listing["pets_allowed"] else "fact_pets_no", title=title))
        elif fact == "price" and listing.get("price") is not None:
            lines.append(p.reply("fact_price", title=title, price=_price(listing, p)))
        elif fact == "size" and listing.get("size_m2"):
            lines.append(p.reply("fact_size", title=title, size=compact_amount(float(listing["size_m2"]))))
        elif fact == "bedrooms" and listing.get("bedrooms"):
            lines.append(
                p.reply(
                    "fact_bedrooms", title=title, bedrooms=bedrooms_phrase(int(listing["bedrooms"]), p.code)
                )
            )
        elif fact == "bathrooms" and listing.get("bathrooms"):
            lines.append(p.reply("fact_bathrooms", title=title, bathrooms=listing["bathrooms"]))
        elif fact == "address" and (listing.get("address") or listing.get("location")):
            lines.append(
                p.reply(
                    "fact_address", title=title, address=listing.get("address") or listing.get("location")
                )
            )
        elif fact == "amenities" and listing.get("amenities"):
            amenities = LIST_SEPARATOR.get(p.code, ", ").join(str(a) for a in listing["amenities"][:8])
            lines.append(p.reply("fact_amenities", title=title, amenities=amenities))
        elif fact == "availability" and listing.get("units_available"):
            lines.append(p.reply("fact_available", title=title, units=listing["units_available"]))
        elif fact == "contact":
            lines.append(p.reply("agent_shares_contact" if turn.phone_known else "ask_phone_soft"))
        else:
            lines.append(p.reply("fact_unknown", title=title))
    return list(dict.fromkeys(lines))


def slot_options(result: Mapping[str, Any], p: LanguagePack) -> list[tuple[str, str]]:
    """(label, ISO value) of the free slots book_viewing offered, labelled in the lead's language."""
    options: list[tuple[str, str]] = []
    for option in (result.get("options") or [])[:6]:
        value = (
            str(option.get("starts_at") or option.get("value") or "")
            if isinstance(option, Mapping)
            else str(option)
        )
        options.append((p.moment(value), value))
    return options


def compose_reply(turn: _Turn) -> tuple[str, str | None]:
    """The reply to the lead from this turn's tool results and the brief, and what it asks for."""
    p = pack(turn.language)
    reading = turn.reading
    phase = turn.brief.get("phase")
    results = turn.results
    parts: list[str] = []
    asked: str | None = None

    if reading.has(r.INJECTION):
        parts.append(p.reply("injection"))
    first_turn = (turn.brief.get("turn") or 1) <= 1
    if phase == "greeting" or (reading.has(r.GREETING) and first_turn and not parts):
        name = turn.profile.get("name")
        tenant = turn.brief.get("tenant_name") or "our agency"
        parts.append(
            p.reply("welcome_named", name=name, tenant_name=tenant)
            if name
            else p.reply("welcome", tenant_name=tenant)
        )

    contact = results.get(CONTACT)
    if contact:
        saved, errors = contact.get("saved") or {}, contact.get("errors") or {}
        if saved.get("phone"):
            parts.append(p.reply("contact_saved", phone=saved["phone"]))
        elif saved.get("email"):
            parts.append(p.reply("email_saved", email=saved["email"]))
        if errors.get("phone"):
            parts.append(
                str(errors["phone"]) if isinstance(errors["phone"], str) else p.reply("contact_invalid")
            )
            asked = "phone"
        elif errors.get("email"):
            parts.append(p.reply("email_invalid"))
            asked = "email"

    preferences = results.get(PREFERENCES)
    search = results.get(SEARCH)
    if preferences and not (search and search.get("results")):
        summary = _summary(turn.profile, preferences.get("updated") or (), p.code)
        if summary:
            parts.append(p.reply("noted", summary=summary))

    if search is not None:
        found = [x for x in search.get("results") or [] if isinstance(x, dict)]
        if reading.wants_more and turn.brief:
            new = set(turn.brief.get("new_ids") or ())  # first shown by this search (the graph keeps count)
            found = [x for x in found if x.get("id") in new]
        if found:
            lines = [p.reply("listings_intro")]
            lines += [_listing_line(n, listing, p) for n, listing in enumerate(found[:MAX_LISTED], start=1)]
            parts.append("\n".join(lines))
            parts.append(p.reply("listings_cta"))
            asked = "listing"
        elif reading.wants_more and turn.brief.get("shown_ids"):
            parts.append(p.reply("no_more"))
        else:
            parts.append(p.reply("no_results"))
            parts.append(p.reply("widen"))
            asked = "widen"

    booking = results.get(BOOK)
    if booking:
        status = booking.get("status")
        viewing = booking.get("viewing") or {}
        listing = _listing_by_id(
            turn, viewing.get("property_id") or (turn.brief.get("viewing_request") or {}).get("property_id")
        )
        title = viewing.get("property_title") or (listing or {}).get("title") or ""
        if status == "booked":
            key = "booked_online" if viewing.get("online") else "booked"
            when = p.moment(viewing.get("starts_at_local") or viewing.get("starts_at") or "")
            parts.append(p.reply(key, title=title, when=when, rep=viewing.get("rep_name") or "—"))
            asked = None
        elif status == "needs_time":
            options = LIST_SEPARATOR.get(p.code, ", ").join(label for label, _ in slot_options(booking, p))
            parts.append(
                p.reply("needs_time", title=title, options=options)
                if title
                else p.reply("needs_time_any", options=options)
            )
            asked = "time"
        else:
            parts.append(p.reply("unavailable", reason=booking.get("reason") or booking.get("error") or "—"))
            if HUMAN not in results:
                parts.append(p.reply("offer_human"))
                asked = "human"

    change = results.get(RESCHEDULE) or results.get(CANCEL_VIEWING)
    if change:
        if change.get("status") == "needs_time":
            options = LIST_SEPARATOR.get(p.code, ", ").join(label for label, _ in slot_options(change, p))
            parts.append(p.reply("needs_time_any", options=options))
            asked = "reschedule"
        else:
            parts.append(str(change.get("message") or ""))
            asked = None

    human = results.get(HUMAN)
    if human:
        rep = human.get("rep_name")
        parts.append(p.reply("handed_off", rep=rep) if rep else p.reply("handed_off_team"))
        asked = None

    if reading.asks and not search:
        listing = _listing_by_id(turn, reading.listing_id or turn.brief.get("focus_id"))
        if listing is None and turn.listings:
            listing = turn.listings[0]
        if listing is not None:
            parts.extend(_fact_lines(turn, listing, p))

    acted = bool(results) or bool(reading.asks) or reading.has(r.INJECTION)
    closing = reading.has(r.THANKS) and reading.has(r.DENY)
    if closing and not results:
        parts.append(p.reply("goodbye"))
        asked, acted = "nothing", True
    elif reading.has(r.THANKS) and not results:
        parts.append(p.reply("thanks"))
        acted = True
    elif reading.has(r.DENY) and not results and turn.brief.get("shown_ids") and not reading.asks:
        parts.append(p.reply("deny_listings"))
        asked, acted = "change", True
    if "contact" in reading.asks and not turn.phone_known:
        asked = asked or "phone"

    if asked is None and not (booking and booking.get("status") == "booked") and not human and not change:
        question = _phase_question(turn, p, phase)
        if question is not None:
            text, asked = question
            parts.append(text)
    understood = acted or any(
        (
            reading.intents,
            reading.preferences,
            reading.listing_id,
            reading.when,
            reading.phone,
            reading.email,
            reading.name,
        )
    )
    if not understood and reading.text.strip() and phase != "greeting":
        parts.insert(0, p.reply("clarify"))
    if not parts:
        parts.append(p.reply("anything_else"))
    return "\n\n".join(part for part in parts if part), asked


def _phase_question(turn: _Turn, p: LanguagePack, phase: str | None) -> tuple[str, str] | None:
    reading = turn.reading
    if _wants_viewing(turn) and BOOK not in turn.results:
        if not turn.phone_known and not turn.brief.get("phone_asked") and turn.brief:
            listing = _listing_by_id(turn, _viewing_target(turn))
            if listing is not None:
                return p.reply("ask_phone_viewing", title=listing.get("title", "")), "phone"
            return p.reply("ask_phone_any"), "phone"
    if (
        phase in ("greeting", "qualification", None)
        and not turn.brief.get("shown_ids")
        and SEARCH not in turn.results
    ):
        question = _next_question(turn, p)
        if question is not None:
            return question
        if phase == "greeting":
            return p.reply("ask_anything"), "anything"
    if phase == "engagement" and SEARCH not in turn.results:
        if reading.has(r.THANKS) or reading.has(r.DENY):
            return p.reply("anything_else"), "anything"
        question = _next_question(turn, p, fields=("location", "budget"), max_asks=1)
        if question is not None and question[1] != turn.previous_asked:
            return question
        if not turn.phone_known and turn.previous_asked != "phone" and turn.times_asked("phone") < 2:
            return p.reply("ask_phone_soft"), "phone"
        return p.reply("listings_cta"), "listing"
    if phase == "handoff":
        viewing = turn.brief.get("viewing")
        if viewing and not reading.intents and not reading.asks:
            when = p.moment(viewing.get("starts_at_local") or "")
            return p.reply("viewing_status", title=viewing.get("property_title", ""), when=when), "anything"
        return p.reply("anything_else"), "anything"
    return None


# --- The model ----------------------------------------------------------------------------------------------


def _call_id(turn: _Turn, name: str, index: int) -> str:
    seed = f"{turn.brief.get('turn', 0)}|{turn.text}|{turn.payload}|{turn.steps}|{name}|{index}"
    return "call_" + hashlib.sha1(seed.encode("utf-8", "replace")).hexdigest()[:16]


def respond(messages: Sequence[BaseMessage], tools: Sequence[str] | None) -> AIMessage:
    """The offline model's next message: tool calls if something is left to do, otherwise the reply."""
    turn = _Turn(messages)
    available = frozenset(tools or ())
    calls = plan_tool_calls(turn, available) if available else []
    if calls:
        tool_calls = [
            ToolCall(name=name, args=args, id=_call_id(turn, name, i), type="tool_call")
            for i, (name, args) in enumerate(calls)
        ]
        return AIMessage(content="", tool_calls=tool_calls)
    text, asked = compose_reply(turn)
    return AIMessage(content=text, additional_kwargs={ASKED_KEY: asked} if asked else {})


class OfflineChatModel(BaseChatModel):
    """Deterministic tool-calling model for the sales conversation (no network, no key)."""

    @property
    def _llm_type(self) -> str:
        return "realty-offline"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model": "offline"}

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        return self.bind(tool_names=tuple(_tool_name(tool) for tool in tools), **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        message = respond(messages, kwargs.get("tool_names"))
        return ChatResult(generations=[ChatGeneration(message=message)])

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return self._generate(messages, stop, **kwargs)


__all__ = ["ASKED_KEY", "BRIEF_KEY", "OfflineChatModel", "respond", "slot_options"]
