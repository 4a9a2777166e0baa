"""The LangGraph checkpoint threads of a lead: read for export, deleted for erasure."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import BaseMessage, messages_to_dict

from agent.adapters.checkpointer import ConversationStore
from agent.services.privacy.jsonable import jsonable


def lead_threads(tenant_id: int, lead_id: int) -> list[str]:
    """Every checkpoint thread of the lead: its sales conversation (graphs.sales.conversation.thread_id)."""
    return [f"lead:{tenant_id}:{lead_id}"]


async def thread_state(store: ConversationStore, thread: str) -> dict[str, Any] | None:
    """The thread's latest state as JSON-ready data: its messages, and every other value it keeps."""
    await store.open()
    assert store.saver is not None
    found = await store.saver.aget_tuple({"configurable": {"thread_id": thread, "checkpoint_ns": ""}})
    if found is None:
        return None
    values: dict[str, Any] = dict(found.checkpoint.get("channel_values") or {})
    raw = values.pop("messages", None) or []
    messages = [m for m in raw if isinstance(m, BaseMessage)]
    return {
        "thread_id": thread,
        "checkpoint_id": found.checkpoint.get("id"),
        "messages": jsonable(messages_to_dict(messages)),
        "values": jsonable(values),
    }


async def delete_threads(store: ConversationStore, threads: list[str]) -> int:
    """Delete every checkpoint, blob and write of these threads; how many threads had any."""
    await store.open()
    assert store.saver is not None
    had = 0
    for thread in threads:
        if await store.storage_bytes(thread) > 0:
            had += 1
        await store.saver.adelete_thread(thread)
    return had
