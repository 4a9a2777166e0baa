"""Writing the reply: the offline model's answer in the lead's language, from the templates in `prompts/`.

Listing facts come only from tool results; the reply also says what it asked the lead for, so the
next turn can read the answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from agent.adapters.offline.planning import MAX_LISTED
from agent.adapters.offline.understanding import Turn
from agent.core.brief import ListingCard, slot_options
from agent.core.lead_tools import LeadTool
from agent.core.nlu.intents import Intent, detect_intents
from agent.core.policies.vocabulary import compact_amount
from prompts import LanguagePack, pack
from prompts.calendar import day_label, say, time_label
from prompts.vocabulary import LIST_SEPARATOR, bedrooms_phrase, budget_phrase, describe_goal

QUALIFYING_ORDER = ("location", "property_type", "transaction", "budget", "bedrooms")


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
    turn: Turn, p: LanguagePack, fields: Sequence[str] = QUALIFYING_ORDER, max_asks: int = 2
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
                areas = list(turn.facts.get("areas") or ())[:6]
                if areas:
                    return p.reply(
                        "ask_location", areas=LIST_SEPARATOR.get(p.code, ", ").join(areas)
                    ), "location"
                return p.reply("ask_location_open"), "location"
            return p.reply(f"ask_{field}"), field
    return None


def _fact_lines(turn: Turn, card: ListingCard, p: LanguagePack) -> list[str]:
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


def _slot_list(result: Mapping[str, Any], p: LanguagePack) -> str:
    """The free slots a booking tool offered, in the lead's language: one day named once ("Mon 2 Mar: 11:00, 13:00")."""
    values = [value for _, value in slot_options(result, str)]
    separator = LIST_SEPARATOR.get(p.code, ", ")
    try:
        moments = [datetime.fromisoformat(value) for value in values]
    except ValueError:
        return separator.join(p.moment(value) for value in values)
    if moments and len({moment.date() for moment in moments}) == 1:
        times = separator.join(time_label(moment, p.code) for moment in moments)
        return say("times_on_day", p.code, day=day_label(moments[0], p.code), times=times)
    return separator.join(p.moment(moment) for moment in moments)


def compose_reply(turn: Turn) -> tuple[str, str | None]:
    """The reply to the lead from this turn's tool results and the brief, and what it asks for."""
    p = pack(turn.language)
    reading = turn.reading
    phase = turn.phase
    results = turn.results
    parts: list[str] = []
    asked: str | None = None

    if reading.has(Intent.INJECTION):
        parts.append(p.reply("injection"))
    first_turn = (turn.facts.get("turn") or 1) <= 1
    if phase == "greeting" or (reading.has(Intent.GREETING) and first_turn and not parts):
        name = turn.profile.get("name")
        tenant = turn.facts.get("tenant_name") or "our agency"
        parts.append(
            p.reply("welcome_named", name=name, tenant_name=tenant)
            if name
            else p.reply("welcome", tenant_name=tenant)
        )

    contact = results.get(LeadTool.CONTACT)
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

    preferences = results.get(LeadTool.PREFERENCES)
    search = results.get(LeadTool.SEARCH)
    if preferences and not (search and search.get("results")):
        summary = _summary(turn.profile, preferences.get("updated") or (), p.code)
        if summary:
            parts.append(p.reply("noted", summary=summary))

    if search is not None:
        found = [x for x in search.get("results") or [] if isinstance(x, dict)]
        if reading.wants_more and not turn.bare:
            new = set(turn.facts.get("new_ids") or ())  # first shown by this search (the graph keeps count)
            found = [x for x in found if x.get("id") in new]
        if found:
            lines = [p.reply("listings_intro")]
            lines += [_listing_line(n, listing, p) for n, listing in enumerate(found[:MAX_LISTED], start=1)]
            parts.append("\n".join(lines))
            parts.append(p.reply("listings_cta"))
            asked = "listing"
        elif reading.wants_more and turn.facts.get("shown_ids"):
            parts.append(p.reply("no_more"))
        else:
            parts.append(p.reply("no_results"))
            parts.append(p.reply("widen"))
            asked = "widen"

    booking = results.get(LeadTool.BOOK)
    if booking:
        status = booking.get("status")
        viewing = booking.get("viewing") or {}
        listing = turn.listing_by_id(
            viewing.get("property_id") or (turn.facts.get("viewing_request") or {}).get("property_id")
        )
        title = viewing.get("property_title") or (listing or {}).get("title") or ""
        said = (turn.facts.get("viewing_request") or {}).get("said_time")
        if said and status != "invalid_time":  # "tomorrow at 25:00": the day stands, the time is asked again
            parts.append(say("invalid.no_such_time", p.code, said=said))
        if status == "booked":
            key = "booked_online" if viewing.get("online") else "booked"
            when = p.moment(viewing.get("starts_at_local") or viewing.get("starts_at") or "")
            parts.append(p.reply(key, title=title, when=when, rep=viewing.get("rep_name") or "—"))
            if not turn.phone_known:  # asked once, declined or ignored: booked, and the lead knows how
                parts.append(say("no_phone_contact", p.code))
            asked = None
        elif status == "proposed":
            proposal = str(booking.get("proposal") or "")
            title = str(booking.get("property_title") or title)
            lines = [say("proposal", p.code, when=p.moment(proposal), title=title)]
            others = [str(option) for option in booking.get("options") or []]
            if others:
                same_day = all(option[:10] == proposal[:10] for option in others)
                labels = [
                    time_label(datetime.fromisoformat(o), p.code) if same_day else p.moment(o) for o in others
                ]
                lines.append(
                    say("proposal_more", p.code, times=LIST_SEPARATOR.get(p.code, ", ").join(labels))
                )
            if not turn.phone_known and not turn.facts.get("phone_asked") and not turn.bare:
                lines.append(say("proposal_phone", p.code))  # asked once, with the time: a yes books it
            parts.append(" ".join(lines))
            asked = "time"
        elif status in ("day_off", "invalid_time", "needs_listing"):
            parts.append(str(booking.get("message") or ""))
            asked = {"day_off": "day", "invalid_time": "time", "needs_listing": "listing"}[status]
        elif status == "needs_time":
            options = _slot_list(booking, p)
            parts.append(
                p.reply("needs_time", title=title, options=options)
                if title
                else p.reply("needs_time_any", options=options)
            )
            asked = "time"
        else:
            parts.append(p.reply("unavailable", reason=booking.get("reason") or booking.get("error") or "—"))
            if LeadTool.HUMAN not in results:
                parts.append(p.reply("offer_human"))
                asked = "human"

    change = results.get(LeadTool.RESCHEDULE) or results.get(LeadTool.CANCEL)
    if change:
        if change.get("status") == "needs_time":
            options = _slot_list(change, p)
            parts.append(p.reply("needs_time_any", options=options))
            asked = "reschedule"
        else:
            parts.append(str(change.get("message") or ""))
            asked = None

    moves_nothing = reading.has(Intent.CANCEL) or Intent.RESCHEDULE in detect_intents(reading.text)
    if (
        moves_nothing
        and not change
        and not booking
        and not turn.facts.get("viewing")
        and not turn.wants_viewing
    ):
        parts.append(say("lead_viewing_none", p.code))  # nothing booked: nothing is created to be cancelled
        asked = "anything"

    human = results.get(LeadTool.HUMAN)
    if human:
        rep = human.get("rep_name")
        parts.append(p.reply("handed_off", rep=rep) if rep else p.reply("handed_off_team"))
        asked = None

    if reading.asks and not search:
        listing = turn.listing_by_id(reading.listing_id or turn.facts.get("focus_id"))
        if listing is None and turn.listings:
            listing = turn.listings[0]
        if listing is not None:
            parts.extend(_fact_lines(turn, listing, p))

    acted = bool(results) or bool(reading.asks) or reading.has(Intent.INJECTION)
    closing = reading.has(Intent.THANKS) and reading.has(Intent.DENY)
    if closing and not results:
        parts.append(p.reply("goodbye"))
        asked, acted = "nothing", True
    elif reading.has(Intent.THANKS) and not results:
        parts.append(p.reply("thanks"))
        acted = True
    elif reading.has(Intent.DENY) and not results and turn.facts.get("shown_ids") and not reading.asks:
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


def _phase_question(turn: Turn, p: LanguagePack, phase: str | None) -> tuple[str, str] | None:
    reading = turn.reading
    if turn.wants_viewing and LeadTool.BOOK not in turn.results:
        if not turn.phone_known and not turn.facts.get("phone_asked") and not turn.bare:
            listing = turn.listing_by_id(turn.viewing_target)
            if listing is not None:
                return p.reply("ask_phone_viewing", title=listing.get("title", "")), "phone"
            return p.reply("ask_phone_any"), "phone"
    if (
        phase in ("greeting", "qualification", None)
        and not turn.facts.get("shown_ids")
        and LeadTool.SEARCH not in turn.results
    ):
        question = _next_question(turn, p)
        if question is not None:
            return question
        if phase == "greeting":
            return p.reply("ask_anything"), "anything"
    if phase == "engagement" and LeadTool.SEARCH not in turn.results:
        if reading.has(Intent.THANKS) or reading.has(Intent.DENY):
            return p.reply("anything_else"), "anything"
        question = _next_question(turn, p, fields=("location", "budget"), max_asks=1)
        if question is not None and question[1] != turn.previous_asked:
            return question
        if not turn.phone_known and turn.previous_asked != "phone" and turn.times_asked("phone") < 2:
            return p.reply("ask_phone_soft"), "phone"
        return p.reply("listings_cta"), "listing"
    if phase == "handoff":
        viewing = turn.facts.get("viewing")
        if viewing and not reading.intents and not reading.asks:
            when = p.moment(viewing.get("starts_at_local") or "")
            return p.reply("viewing_status", title=viewing.get("property_title", ""), when=when), "anything"
        return p.reply("anything_else"), "anything"
    return None
