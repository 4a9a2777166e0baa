"""Follow-up texts in the lead's language, about what the lead actually asked for (at most 160 characters)."""

from __future__ import annotations

from agent.core.policies.followup_text import (
    MAX_MATCH_CHARS,
    FollowUpFacts,
    Purpose,
    fit,
    fit_details,
    greeting_name,
    knows_wish,
    purpose_of,
)
from prompts.catalogue import language_code, text
from prompts.vocabulary import bedrooms_phrase, budget_phrase, property_type_name, transaction_name, word


def wish_parts(facts: FollowUpFacts) -> list[str]:
    """The lead's asks, most important first, each a short phrase in their language."""
    lang = language_code(facts.language)
    kind = property_type_name(lang, facts.property_type) or word(lang, "any_property")
    transaction = transaction_name(lang, facts.transaction)
    if lang == "en":
        head = f"{bedrooms_phrase(facts.bedrooms, lang)} {kind}" if facts.bedrooms else kind
        head = f"{'an' if head[0] in 'aeiou' else 'a'} {head}"
        if transaction:
            head += f" {transaction}"
        parts = [head]
    else:
        parts = [kind]
        if transaction:
            parts.append(transaction)
        if facts.bedrooms:
            parts.append(bedrooms_phrase(facts.bedrooms, lang))
    if facts.location:
        parts.append(word(lang, "in_place", place=facts.location))
    budget = budget_phrase(facts.budget_min, facts.budget_max, facts.currency, lang)
    if budget:
        parts.append(budget)
    return parts


def greeting(facts: FollowUpFacts) -> str:
    """ "Hi Anna", or "Hi" without a name."""
    name = greeting_name(facts.name)
    return (
        text(facts.language, "followups", "hello_named", name=name)
        if name
        else text(facts.language, "followups", "hello")
    )


def draft_follow_up_text(
    facts: FollowUpFacts, purpose: str = Purpose.CHECK_IN, match: str | None = None
) -> str:
    """A follow-up of at most MAX_CHARS characters about what the lead actually asked for.

    Unknown purposes read as a check-in; MATCH without a real `match` title also falls back to it.
    Details are dropped from the end (budget, then location...) until the text fits.
    """
    hi = greeting(facts)
    if not knows_wish(facts):
        return fit(text(facts.language, "followups", "generic", hi=hi))
    key = purpose_of(purpose, match).value
    separator = word(facts.language, "wish_separator")
    short_match = (match or "")[:MAX_MATCH_CHARS]
    return fit_details(
        lambda parts: text(
            facts.language, "followups", key, hi=hi, wish=separator.join(parts), match=short_match
        ),
        wish_parts(facts),
    )
