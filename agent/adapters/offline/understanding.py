"""Understanding a message: the current turn as the offline model sees it.

The lead's last message read by NLU (the graph's reading when it is for this message), the brief the
graph gave, and the results of the tools already called this turn. Without a brief (a bare agent) the
model still works: it detects the language and reads the message itself.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from agent.core import reading as r
from agent.core.brief import ASKED_KEY, ListingCard, Phase, TurnBrief, TurnFacts
from agent.core.lead_tools import LeadTool
from agent.core.nlu.intents import Intent


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


class Turn:
    """The current turn: the lead's message read, the brief's phase and facts, and this turn's tool results."""

    def __init__(self, messages: Sequence[BaseMessage], brief: TurnBrief | None = None) -> None:
        self.bare = brief is None
        """No brief: a plain tool-calling agent with no phases."""
        self.phase: Phase | None = brief.phase if brief is not None else None
        self.facts: TurnFacts = brief.facts if brief is not None else {}
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
        self.previous_asked: str | None = self.facts.get("asked") or (
            self.previous_ai.additional_kwargs.get(ASKED_KEY) if self.previous_ai is not None else None
        )
        self.text = str(self.human.text) if self.human is not None else ""
        self.payload = self.human.additional_kwargs.get("payload") if self.human is not None else None
        self.language = self.facts.get("language") or self._detect_language()
        self.reading = self._reading()

    def _detect_language(self) -> str:
        from agent.core.nlu.language import detect_language

        return detect_language(self.text) if self.text.strip() else "en"

    def _reading(self) -> r.Reading:
        stored = self.facts.get("reading")
        if (
            isinstance(stored, dict)
            and stored.get("text") == self.text[:500]
            and stored.get("payload") == self.payload
        ):
            return r.Reading.from_dict(stored)
        now = self.facts.get("now")
        return r.read_message(
            self.text,
            payload=self.payload,
            areas=self.facts.get("areas", ()),
            region=self.facts.get("region", "US"),
            currency=(self.facts.get("profile") or {}).get("currency"),
            listings=self.facts.get("listings", ()),
            shown_ids=self.facts.get("shown_ids", ()),
            asked=self.previous_asked,
            now=datetime.fromisoformat(now) if isinstance(now, str) else None,
            time_zone=self.facts.get("time_zone"),
            language=self.language,  # type: ignore[arg-type]
        )

    def times_asked(self, what: str) -> int:
        return list(self.facts.get("asked_before") or ()).count(what)

    @property
    def profile(self) -> dict[str, Any]:
        latest = self.results.get(LeadTool.PREFERENCES, {}).get("profile")
        return latest if isinstance(latest, dict) else dict(self.facts.get("profile") or {})

    @property
    def phone_known(self) -> bool:
        return bool(
            self.facts.get("phone_known")
            or self.profile.get("phone")
            or self.results.get(LeadTool.CONTACT, {}).get("saved", {}).get("phone")
        )

    @property
    def listings(self) -> list[ListingCard]:
        found = self.results.get(LeadTool.SEARCH, {}).get("results")
        return list(found) if isinstance(found, list) and found else list(self.facts.get("listings") or [])

    @property
    def wants_viewing(self) -> bool:
        """The graph keeps the viewing request; a bare agent reads the wish from the message."""
        if not self.bare:
            return bool(self.facts.get("viewing_request"))
        return self.reading.has(Intent.BOOK_VIEWING) or self.reading.has(Intent.RESCHEDULE)

    @property
    def viewing_target(self) -> int | None:
        """The listing to view: the one asked for, the one in focus, else the only one shown (None: ask which)."""
        request = self.facts.get("viewing_request") or {}
        listing = request.get("property_id") or self.reading.listing_id or self.facts.get("focus_id")
        if listing is not None:
            return int(listing)
        listings = self.listings
        # One listing shown is the one meant; of several, none is assumed (the booking tool asks which).
        return int(listings[0]["id"]) if len(listings) == 1 else None

    def listing_by_id(self, listing_id: int | None) -> ListingCard | None:
        if listing_id is None:
            return None
        pool = [*self.listings, *(self.facts.get("listings") or [])]
        return next((listing for listing in pool if int(listing.get("id", -1)) == int(listing_id)), None)
