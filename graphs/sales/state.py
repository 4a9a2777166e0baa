"""The sales graph's state: a bounded window of messages plus the facts the phase routers decide on.

The facts a model step is told (`TurnFacts`: profile, listings shown, the viewing asked for...) are
declared in agent.core.brief, where the offline model reads them too; the state adds what only the
graph keeps. The full transcript lives in `lead_interactions`; the checkpoint keeps only what the next
turns need, so it stays the same size however long the conversation runs.
"""

from __future__ import annotations

from typing import Annotated, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages

from agent.core.brief import Phase, TurnFacts


class SalesInput(TypedDict, total=False):
    """What a caller passes for one turn: the lead's new message, and the language it is written in."""

    messages: list[AnyMessage]
    language: str


class SalesState(TurnFacts, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    """The recent conversation (a window of whole turns), including tool calls and results."""

    phase: Phase
    """The phase the last model step ran in."""
    offered_times: list[str]
    """The free slots book_viewing offered last (ISO), so "yes" can take the first (the proposal, if any)."""
    proposal: str | None
    """The time book_viewing proposed last (ISO local), kept while the lead answers it; a change keeps its
    day or its time."""
    lead_stamp: str
    """Which lead this thread belongs to (id and creation time), to notice a reused id."""
    steps: int
    """Model steps taken this turn (bounded)."""
    choices: list[dict[str, str]]
    """The buttons this turn's reply offers."""
    media: list[dict[str, str]]
    """Photos to send with this turn's reply, one album: [{"url", "caption"}]."""
