"""The offline model: a deterministic tool-calling chat model that runs the sales conversation with no API key.

It is a real `BaseChatModel`. Bound to tools, it answers with `AIMessage(tool_calls=[...])`, or, when
nothing is left to do, with the reply in the lead's language. Its parts:
- `understanding`: the turn as the model sees it (the lead's message read by agent.core.reading, the
  graph's brief, this turn's tool results);
- `planning`: which tool calls come next;
- `writing`: the reply, from the templates in `prompts/` and facts from tool results only;
- `model`: `OfflineChatModel`, which ties them. The same input always gives the same output.
"""

from __future__ import annotations

from agent.adapters.offline.model import OfflineChatModel, respond

__all__ = ["OfflineChatModel", "respond"]
