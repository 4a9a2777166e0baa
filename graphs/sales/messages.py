"""Reading the graph's message window: the lead's last message, the current turn, tool results as data."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AnyMessage, HumanMessage


def tool_result(content: Any) -> dict[str, Any]:
    """A tool message's content as the dict the tool returned ({} when it is not one)."""
    if isinstance(content, dict):
        return content
    try:
        value = json.loads(content if isinstance(content, str) else "")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def last_human(messages: Sequence[AnyMessage]) -> HumanMessage | None:
    return next((m for m in reversed(messages) if isinstance(m, HumanMessage)), None)


def turn_starts(messages: Sequence[AnyMessage]) -> list[int]:
    """Where each turn begins: the index of every lead's message."""
    return [i for i, message in enumerate(messages) if isinstance(message, HumanMessage)]


def current_turn(messages: Sequence[AnyMessage]) -> list[AnyMessage]:
    """The messages from the lead's last message on."""
    starts = turn_starts(messages)
    return list(messages[starts[-1] :]) if starts else list(messages)
