"""A lead's turn while a person talks to them: the message is forwarded and kept in the transcript, unanswered.

Called from `graphs.sales.conversation._Turn.run` inside the lead's turn lock, on the lead's locked row: the
message is already recorded; the forward is written in the same transaction (agent.services.takeover) and
committed before the message joins the lead's checkpoint as a HumanMessage, without running the graph. What
the person writes back joins it as an AIMessage (`append_message`, from the team bot), so after a hand-back
the AI continues knowing what was said in between.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, RemoveMessage

from agent.services.takeover import forward_later
from graphs.sales.messages import current_turn
from tools.context import LeadWork

log = logging.getLogger(__name__)

HELD_PHASE = "taken_over"
"""The phase of a turn a person answers (the AI sends nothing)."""
LAST_NODE = "finish"
"""The sales graph's last node: a message added "as" it leaves nothing pending for the next turn."""


async def append_message(compiled: Any, thread: str, message: AnyMessage) -> None:
    """`message` added to the thread's checkpoint through the graph's reducer, as if the last turn had said it."""
    await compiled.aupdate_state(
        {"configurable": {"thread_id": thread}}, {"messages": [message]}, as_node=LAST_NODE
    )


async def unsay_turn(compiled: Any, thread: str) -> int:
    """Take the AI's replies of the last turn back out of the checkpoint (a person took the lead over while the
    model was thinking, so the lead never got them); its tool calls and their results stay: they happened.
    How many messages were taken out."""
    config = {"configurable": {"thread_id": thread}}
    snapshot = await compiled.aget_state(config)
    messages: list[AnyMessage] = list(snapshot.values.get("messages") or [])
    unsent = [
        RemoveMessage(id=m.id)
        for m in current_turn(messages)
        if isinstance(m, AIMessage) and not m.tool_calls and m.id is not None
    ]
    if unsent:
        await compiled.aupdate_state(config, {"messages": unsent}, as_node=LAST_NODE)
    return len(unsent)


async def hold_for_person(
    work: LeadWork,
    compiled: Any,
    thread: str,
    human: HumanMessage | None,
    *,
    kind: str,
    said: str,
    now: datetime,
) -> None:
    """Forward the lead's message to the person talking to them, and keep it in the checkpoint."""
    forwarded = str(human.content) if human is not None and kind == "button" else said
    await forward_later(work.session, work.lead, kind=kind, said=forwarded, now=now)
    await work.commit()  # the message and its forward are kept before the checkpoint is touched
    if human is None:
        return
    try:
        await append_message(compiled, thread, human)
    except (
        Exception
    ):  # the transcript is kept in lead_interactions anyway; the forward must not be lost for it
        log.exception("thread %s: the held message could not join the checkpoint", thread)
