"""`OfflineChatModel`: understanding, planning and writing tied into a real tool-calling chat model."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage, ToolCall
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool

from agent.adapters.offline.planning import plan_tool_calls
from agent.adapters.offline.understanding import Turn
from agent.adapters.offline.writing import compose_reply
from agent.core.brief import ASKED_KEY, TurnBrief


def _tool_name(tool: Any) -> str:
    if isinstance(tool, BaseTool):
        return tool.name
    if isinstance(tool, Mapping):
        function = tool.get("function")
        return str(function["name"] if isinstance(function, Mapping) else tool.get("name"))
    return str(getattr(tool, "__name__", tool))


def _call_id(turn: Turn, name: str, index: int) -> str:
    seed = f"{turn.facts.get('turn', 0)}|{turn.text}|{turn.payload}|{turn.steps}|{name}|{index}"
    return "call_" + hashlib.sha1(seed.encode("utf-8", "replace")).hexdigest()[:16]


def respond(
    messages: Sequence[BaseMessage], tools: Sequence[str] | None, brief: TurnBrief | None = None
) -> AIMessage:
    """The offline model's next message: tool calls if something is left to do, otherwise the reply."""
    turn = Turn(messages, brief)
    available = frozenset(tools or ())
    calls = plan_tool_calls(turn, available) if available else []
    if calls:
        tool_calls = [
            ToolCall(name=name.value, args=args, id=_call_id(turn, name, i), type="tool_call")
            for i, (name, args) in enumerate(calls)
        ]
        return AIMessage(content="", tool_calls=tool_calls)
    text, asked = compose_reply(turn)
    return AIMessage(content=text, additional_kwargs={ASKED_KEY: asked} if asked else {})


class OfflineChatModel(BaseChatModel):
    """Deterministic tool-calling model for the sales conversation (no network, no key).

    Bound with `brief=` (see `bind_tools`), it plans and writes from the graph's brief; without one it
    is a plain tool-calling model that reads the conversation alone.
    """

    @property
    def _llm_type(self) -> str:
        return "realty-offline"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model": "offline"}

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        brief: TurnBrief | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        return self.bind(tool_names=tuple(_tool_name(tool) for tool in tools), brief=brief, **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        message = respond(messages, kwargs.get("tool_names"), kwargs.get("brief"))
        return ChatResult(generations=[ChatGeneration(message=message)])

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return self._generate(messages, stop, **kwargs)
