"""Small helpers the nodes share: building replies and buttons, reading the user's answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langgraph.runtime import Runtime

import prompts
from graphs.onboarding.intents import Intent, first_of
from graphs.onboarding.state import Button, OnboardingState, Outbound, Reply, TeamContext


def text_for(language: str, key: str, /, **params: object) -> str:
    """The team bot's text `key` in `language` (prompts/<lang>/team.py), `{placeholders}` filled."""
    return prompts.text(language, "team", key, **params)


def name_of(language: str, kind: str, value: str) -> str:
    """A rep status, client status or temperature in `language`; the value itself when it has no name."""
    return prompts.named(language, "team", kind, value) or value


def reply(text: str, buttons: Sequence[Sequence[Button]] = ()) -> Reply:
    return {"text": text, "buttons": [list(row) for row in buttons]}


def outbound(
    chat_id: int, text: str, buttons: Sequence[Sequence[Button]] = (), card_rep_id: str | None = None
) -> Outbound:
    return {
        "chat_id": chat_id,
        "text": text,
        "buttons": [list(row) for row in buttons],
        "card_rep_id": card_rep_id,
    }


def button(label: str, **action: Any) -> Button:
    return {"label": label, "action": action}


def say_button(context: TeamContext, key: str, value: Intent | str) -> Button:
    """A button that answers like typing `value` would."""
    return button(text_for(context.language, key), do="say", value=str(value))


def say(context: TeamContext, key: str, **params: object) -> str:
    return text_for(context.language, key, **params)


def answer_text(state: OnboardingState) -> str:
    inbound = state.get("inbound")
    return inbound["text"].strip() if inbound else ""


def action_of(state: OnboardingState) -> dict[str, Any]:
    inbound = state.get("inbound")
    return dict(inbound["action"]) if inbound and inbound["kind"] == "button" else {}


def intent_of(state: OnboardingState, *intents: Intent) -> Intent | None:
    """The first of `intents` the user expressed, by a button press or in words."""
    action = action_of(state)
    if action.get("do") == "say":
        value = action.get("value")
        return next((intent for intent in intents if intent.value == value), None)
    return first_of(answer_text(state), *intents)


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def domains_phrase(context: TeamContext, domains: Sequence[str]) -> str:
    """ "@a.com" or "@a.com или @b.com"."""
    at = [f"@{domain}" for domain in domains]
    if len(at) <= 1:
        return "".join(at)
    return f"{', '.join(at[:-1])} {say(context, 'or')} {at[-1]}"


def ctx(runtime: Runtime[TeamContext]) -> TeamContext:
    return runtime.context
