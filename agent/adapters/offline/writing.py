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
from agent.core.brief import slot_options
from agent.core.lead_tools import LeadTool
from agent.core.listing_facts import AMENITY_FACTS, answer_facts
from agent.core.nlu.intents import Intent, detect_intents
from agent.core.policies.vocabulary import compact_amount
from agent.core.reading import BUDGET_IN
from prompts import LanguagePack, pack
from prompts.calendar import day_label, say, time_label
from prompts.vocabulary import (
    LIST_SEPARATOR,
    amenities_phrase,
    amount_phrase,
    bedrooms_phrase,
    budget_phrase,
    listing_name,
    listing_reference,
    number_phrase,
    title_in_language,
    wish_phrase,
)

QUALIFYING_ORDER = ("location", "property_type", "transaction", "budget", "bedrooms")


def _price(listing: Mapping[str, Any], p: LanguagePack) -> str:
    price = listing.get("price")
    if price is None:
        return ""
    try:
        amount = amount_phrase(float(price), p.code)
    except (TypeError, ValueError):
        amount = str(price)
    text = f"{amount} {listing.get('currency') or ''}".strip()
    period = listing.get("price_period")
    if period in ("month", "year"):
        text += p.reply(f"per_{period}")
    return text


def _listing_line(n: int, listing: Mapping[str, Any], p: LanguagePack) -> str:
    """ "1. <title> — price · bedrooms · size · area"; a title in another language comes after a descriptor
    in the lead's language, which already says the bedrooms and the area."""
    own_title = title_in_language(listing, p.code)
    parts = [_price(listing, p)]
    if listing.get("bedrooms") and own_title:
        parts.append(bedrooms_phrase(int(listing["bedrooms"]), p.code))
    if listing.get("size_m2"):
        parts.append(p.reply("size", size=number_phrase(float(listing["size_m2"]), p.code)))
    if listing.get("location") and own_title:
        parts.append(str(listing["location"]))
    details = " · ".join(part for part in parts if part)
    line = f"{n}. {listing_name(listing, p.code)} — {details}"
    if listing.get("scarcity"):
        line += f"\n   {listing['scarcity']}"
    return line


def _currency_line(
    search: Mapping[str, Any], profile: Mapping[str, Any], p: LanguagePack
) -> tuple[str, str | None] | None:
    """What the reply says when the lead's budget is in another currency than the catalog's, and what it asks:
    the conversion at the agency's rate, or (with no rate) that prices are in the catalog's currency and the
    budget in it, please ("budget_in:USD")."""
    note = search.get("currency_note")
    if not isinstance(note, Mapping):
        return None
    currency, budget_currency = str(note.get("catalog_currency")), str(note.get("budget_currency"))
    if not note.get("converted"):
        line = p.reply("budget_in_catalog_currency", currency=currency, budget_currency=budget_currency)
        return line, f"{BUDGET_IN}{currency}"
    amount = profile.get("budget_max") if profile.get("budget_max") is not None else profile.get("budget_min")
    rate = note.get("rate")
    if amount is None or not isinstance(rate, int | float):
        return None
    converted = compact_amount(float(amount) * float(rate))
    line = p.reply(
        "budget_converted",
        amount=compact_amount(float(amount)),
        budget_currency=budget_currency,
        converted=converted,
        currency=currency,
    )
    return line, None


def _summary(profile: Mapping[str, Any], updated: Sequence[str], language: str) -> str | None:
    """What the lead just told us, acknowledged in a phrase of their language (not their words echoed)."""
    wanted = set(updated)
    budget = None
    if wanted & {"budget_min", "budget_max"}:
        budget = budget_phrase(
            profile.get("budget_min"),
            profile.get("budget_max"),
            profile.get("currency"),
            language,
            localized=True,
        )
    bedrooms = profile.get("bedrooms") if "bedrooms" in wanted else None
    kind = profile.get("property_type") if "property_type" in wanted or bedrooms else None
    return wish_phrase(
        language,
        property_type=kind,
        transaction=profile.get("transaction") if "transaction" in wanted else None,
        bedrooms=int(bedrooms) if bedrooms else None,
        location=profile.get("location") if "location" in wanted else None,
        budget=budget,
    )


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


def _fact_name(fact: str, p: LanguagePack) -> str:
    name = p.reply(f"fact_name_{fact}")
    return fact if name == f"fact_name_{fact}" else name


def _contact(value: Mapping[str, Any]) -> str:
    parts = [str(value[k]) for k in ("agent", "telegram", "email", "agency") if value.get(k)]
    return ", ".join(dict.fromkeys(parts))


def _fact_lines(
    turn: Turn,
    details: Mapping[str, Any],
    p: LanguagePack,
    answers: Mapping[str, Any] | None = None,
    unknown: Sequence[str] | None = None,
) -> list[str]:
    """The answers to the lead's questions from a listing's data (a listing_details result, or a card shown),
    and one plain line for what the data does not say."""
    if answers is None or unknown is None:
        answers, unknown = answer_facts(details, turn.reading.asks)
    title = listing_reference(details, p.code)  # quoted when in another language than the lead's
    lines: list[str] = []
    for fact, value in answers.items():
        if fact == "furnished":
            lines.append(p.reply("fact_furnished_yes" if value else "fact_furnished_no", title=title))
        elif fact == "pets":
            lines.append(p.reply("fact_pets_yes" if value else "fact_pets_no", title=title))
        elif fact == "price":
            lines.append(p.reply("fact_price", title=title, price=_price(details, p)))
        elif fact == "size":
            lines.append(p.reply("fact_size", title=title, size=compact_amount(float(value))))
        elif fact == "bedrooms":
            lines.append(p.reply("fact_bedrooms", title=title, bedrooms=bedrooms_phrase(int(value), p.code)))
        elif fact == "bathrooms":
            lines.append(p.reply("fact_bathrooms", title=title, bathrooms=value))
        elif fact == "address":
            lines.append(p.reply("fact_address", title=title, address=value))
        elif fact == "amenities":
            amenities = amenities_phrase(list(value)[:8], p.code)
            lines.append(p.reply("fact_amenities", title=title, amenities=amenities))
        elif fact in AMENITY_FACTS:
            lines.append(p.reply("fact_has", title=title, thing=_fact_name(fact, p)))
        elif fact == "tenure":
            kind, years = value.get("kind"), value.get("years")
            tenure = (
                p.reply("tenure_leasehold_years", years=years)
                if kind == "leasehold" and years
                else p.reply(f"tenure_{kind}")
            )
            lines.append(p.reply("fact_tenure", title=title, tenure=tenure))
        elif fact == "distance":
            lines.append(p.reply("fact_distance", title=title, distance=value))
        elif fact == "availability":
            units = value.get("units_available")
            if value.get("status") in (None, "available") and units:
                lines.append(p.reply("fact_available", title=title, units=units))
            else:
                lines.append(p.reply("fact_not_available", title=title))
        elif fact == "contact":
            lines.append(p.reply("fact_contact", contact=_contact(value)))
        elif fact == "photos":
            lines.append(p.reply("fact_photos", title=title))
        else:
            lines.append(p.reply("fact_distance", title=title, distance=value))
    relayed = (turn.results.get(LeadTool.ASK_AGENT) or {}).get("status") == "asked"
    if unknown and not relayed:  # once the agent was asked, that reply says we don't have it
        facts = LIST_SEPARATOR.get(p.code, ", ").join(_fact_name(fact, p) for fact in unknown)
        lines.append(p.reply("fact_no_info", title=title, facts=facts))
    return list(dict.fromkeys(lines))


def _answers(turn: Turn, p: LanguagePack, search: Mapping[str, Any] | None) -> tuple[list[str], str | None]:
    """The answer to the lead's question about a listing (first in the reply), and what it asks for."""
    reading = turn.reading
    details = turn.results.get(LeadTool.DETAILS)
    candidates = turn.facts.get("focus_candidates") or []
    asking_with_booking = (turn.results.get(LeadTool.BOOK) or {}).get("status") == "needs_listing"
    if candidates and reading.listing_id is None and not asking_with_booking:  # else the booking asks
        shown = len(turn.facts.get("listings") or [])
        beyond = reading.ordinal is not None and shown
        if beyond:
            return [p.reply("which_listing_beyond", count=shown)], "listing"
        first = listing_reference(
            candidates[0], p.code
        )  # named, so a "yes" means it (never assumed silently)
        return [p.reply("which_listing_meant", title=first)], "listing"
    if details is not None:
        if details.get("status") == "contact":
            return [
                p.reply("fact_contact", contact=_contact((details.get("answers") or {}).get("contact") or {}))
            ], None
        if details.get("status") != "found":
            return [p.reply("listing_not_found")], None
        return _fact_lines(
            turn, details.get("listing") or {}, p, details.get("answers") or {}, details.get("unknown") or []
        ), None
    if not reading.asks:
        return [], None
    if search is not None:
        return [p.reply("which_listing_search")], None
    listing = turn.listing_by_id(reading.listing_id or turn.facts.get("focus_id"))
    if listing is None and len(turn.listings) == 1:
        listing = turn.listings[0]
    return (_fact_lines(turn, listing, p), None) if listing is not None else ([], None)


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
    # A tool that failed (or was refused) returned an instruction for a model, never words for the lead.
    failed = [name for name, result in turn.results.items() if "error" in result]
    results = {name: result for name, result in turn.results.items() if name not in failed}
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

    answer_at = len(parts)  # the lead's question is answered first, before what the tools did
    for line in dict.fromkeys(p.reply(FAILED_KEYS.get(name, "failed_tool")) for name in failed):
        parts.append(line)
    if LeadTool.BOOK in failed and LeadTool.HUMAN not in results:
        parts.append(p.reply("offer_human"))
        asked = "human"

    answered = turn.facts.get("contact_change")  # the lead's yes or no to "Shall I replace …?"
    if answered and answered.get("field") in ("phone", "email"):
        field = str(answered["field"])
        key = f"{field}_replaced" if answered.get("outcome") == "replaced" else f"{field}_kept"
        parts.append(p.reply(key, **{field: answered.get("value") or "—"}))

    contact = results.get(LeadTool.CONTACT)
    if contact and contact.get("status") == "confirm" and contact.get("message"):
        parts.append(str(contact["message"]))  # a different number than before: nothing replaced until a yes
        asked = "replace_contact"
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
    refused = (preferences or {}).get("errors") or {}
    budget_errors = [
        refused[key] for key in ("budget_max", "budget_min") if isinstance(refused.get(key), str)
    ]
    if budget_errors:  # a budget the field rules refused, said in the lead's language; nothing of it was kept
        parts.append(budget_errors[0])
        asked = "budget"

    if search is not None:
        found = [x for x in search.get("results") or [] if isinstance(x, dict)]
        if reading.wants_more and not turn.bare:
            new = set(turn.facts.get("new_ids") or ())  # first shown by this search (the graph keeps count)
            found = [x for x in found if x.get("id") in new]
        if found:
            shown = found[:MAX_LISTED]
            lines = [p.reply("listings_intro")]
            lines += [_listing_line(n, listing, p) for n, listing in enumerate(shown, start=1)]
            parts.append("\n".join(lines))
            parts.append(_listings_cta(turn, p, len(shown)))
            asked = "listing"
        elif reading.wants_more and turn.facts.get("shown_ids"):
            parts.append(p.reply("no_more"))
        else:
            parts.append(p.reply("no_results"))
            parts.append(p.reply("widen"))
            asked = "widen"
        if currency := _currency_line(search, turn.profile, p):
            parts.append(currency[0])
            asked = currency[1] or asked

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
        elif status == "needs_listing" and booking.get("options") and booking.get("proposal"):
            # Several listings it could be, and a day: the first and its free time as one yes/no question.
            first = listing_reference(booking["options"][0], p.code)
            proposal = say("proposal", p.code, when=p.moment(str(booking["proposal"])), title=first)
            parts.append(f"{proposal} {p.reply('which_listing_other')}")
            asked = "time"
        elif status == "needs_listing" and booking.get("options"):
            # Several listings it could be: the first named as a question, the others as buttons.
            parts.append(
                p.reply("which_listing_meant", title=listing_reference(booking["options"][0], p.code))
            )
            asked = "listing"
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
            parts.append(p.reply("unavailable", reason=booking.get("reason") or "—"))
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

    to_agent = results.get(LeadTool.ASK_AGENT)
    if to_agent:  # a question the listing data cannot answer, passed to the lead's agent
        if to_agent.get("status") == "asked":
            rep = to_agent.get("rep_name")
            parts.append(p.reply("asked_agent", rep=rep) if rep else p.reply("asked_agent_team"))
        elif to_agent.get("status") != "unavailable" or LeadTool.DETAILS not in results:
            parts.append(
                p.reply("ask_agent_failed")
            )  # with no team to ask, the details answer already said so
        asked = None

    answer, answer_asks = _answers(turn, p, search)
    if answer:
        parts[answer_at:answer_at] = answer  # the question the lead asked is answered first
        asked = answer_asks or asked

    acted = (
        bool(turn.results)
        or bool(reading.asks)
        or bool(answer)
        or reading.has(Intent.INJECTION)
        or bool(answered)
    )
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
    return "\n\n".join(dict.fromkeys(part for part in parts if part)), asked  # a line said once


FAILED_KEYS: dict[str, str] = {
    LeadTool.SEARCH: "failed_search",
    LeadTool.BOOK: "failed_booking",
    LeadTool.RESCHEDULE: "failed_change",
    LeadTool.CANCEL: "failed_change",
    LeadTool.CONTACT: "failed_contact",
    LeadTool.PREFERENCES: "failed_preferences",
}
"""What the lead reads when a tool failed (prompts/<lang>/sales.py); any other tool: `failed_tool`."""


def _listings_cta(turn: Turn, p: LanguagePack, count: int) -> str:
    """The invitation to a viewing, agreeing with how many listings there are ("it" / "one of them"), and
    worded differently when the previous reply already made it."""
    form = "one" if count == 1 else "other"
    if turn.previous_ai is not None:
        previous = str(turn.previous_ai.content)
        made = any(p.reply(f"listings_cta_{either}") in previous for either in ("one", "other"))
    else:
        made = turn.previous_asked == "listing"
    return p.reply(f"listings_cta_{form}_again" if made else f"listings_cta_{form}")


def _phase_question(turn: Turn, p: LanguagePack, phase: str | None) -> tuple[str, str] | None:
    reading = turn.reading
    if turn.wants_viewing and LeadTool.BOOK not in turn.results:
        if not turn.phone_known and not turn.facts.get("phone_asked") and not turn.bare:
            listing = turn.listing_by_id(turn.viewing_target)
            if listing is not None:
                return p.reply("ask_phone_viewing", title=listing_reference(listing, p.code)), "phone"
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
        if turn.previous_asked == "listing":  # the last reply invited to a viewing: do not say it again
            return p.reply("anything_else"), "anything"
        return _listings_cta(turn, p, len(turn.listings)), "listing"
    if phase == "handoff":
        viewing = turn.facts.get("viewing")
        if viewing and not reading.intents and not reading.asks:
            when = p.moment(viewing.get("starts_at_local") or "")
            title = listing_reference({"title": viewing.get("property_title", "")}, p.code)
            return p.reply("viewing_status", title=title, when=when), "anything"
        return p.reply("anything_else"), "anything"
    return None
