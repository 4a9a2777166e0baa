"""The model behind the sales graph: any OpenAI-compatible endpoint, with the offline model behind it.

`ChatOpenAI` gets an explicit timeout and bounded retries (the openai client retries 429, 5xx, timeouts
and connection errors with backoff, honouring Retry-After). A call that still fails, or that keeps
returning malformed tool arguments, is answered by the offline model instead, so a lead always gets a
reply; after a few failures in a row the provider is skipped for a while rather than making every
lead wait out its timeouts.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.tools import BaseTool

from agent.adapters.offline import OfflineChatModel
from agent.core.brief import TurnBrief

if TYPE_CHECKING:
    from agent.settings import Settings

log = logging.getLogger(__name__)

OFFLINE = "offline"
BREAKER_FAILURES = 3
BREAKER_COOLDOWN_SECONDS = 60.0


class ModelConfigError(ValueError):
    """The requested model cannot be built from the settings; the message says what to set."""


def provider_errors() -> tuple[type[BaseException], ...]:
    """What a failing provider raises once the client's own retries are spent."""
    import httpx
    import openai

    return (openai.APIError, httpx.HTTPError, asyncio.TimeoutError, ConnectionError)


def build_chat_model(settings: Settings, name: str | None = None) -> BaseChatModel:
    """ChatOpenAI at OPENAI_BASE_URL for `name` (default REALTY_MODEL) when a key or URL is set; else offline."""
    if name == OFFLINE or (name is None and not settings.has_model_key):
        return OfflineChatModel()
    if not settings.has_model_key and not settings.openai_base_url:
        raise ModelConfigError(
            f"--model {name} needs OPENAI_API_KEY (and OPENAI_BASE_URL for a non-OpenAI endpoint); "
            "use --model offline to run without one"
        )
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    key = settings.openai_api_key if settings.has_model_key else SecretStr("not-needed")
    return ChatOpenAI(
        model=name or settings.realty_model,
        api_key=key,
        base_url=settings.openai_base_url,
        timeout=settings.model_timeout_seconds,
        max_retries=settings.model_max_retries,
        temperature=0.2,
    )


@dataclass
class Breaker:
    """Skips a provider for a cooldown after `failures` failed calls in a row."""

    failures: int = BREAKER_FAILURES
    cooldown_seconds: float = BREAKER_COOLDOWN_SECONDS
    _streak: int = 0
    _open_until: float = 0.0

    @property
    def is_open(self) -> bool:
        return time.monotonic() < self._open_until

    def failed(self) -> None:
        self._streak += 1
        if self._streak >= self.failures:
            self._open_until = time.monotonic() + self.cooldown_seconds
            self._streak = 0
            log.warning(
                "model provider failed %d times in a row: offline model for %.0f s",
                self.failures,
                self.cooldown_seconds,
            )

    def succeeded(self) -> None:
        self._streak = 0


@dataclass
class SalesModel:
    """What a sales phase calls: the configured model, with the offline model as per-call fallback."""

    primary: BaseChatModel
    offline: OfflineChatModel = field(default_factory=OfflineChatModel)
    breaker: Breaker = field(default_factory=Breaker)
    fallbacks: int = 0
    """How many calls the offline model answered for a failing provider (for logs and benches)."""
    _bound: dict[tuple[str, ...], Any] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        if isinstance(self.primary, OfflineChatModel):
            return OFFLINE
        return str(
            getattr(self.primary, "model_name", None)
            or getattr(self.primary, "model", None)
            or type(self.primary).__name__
        )

    @property
    def is_offline(self) -> bool:
        return isinstance(self.primary, OfflineChatModel)

    async def step(
        self, messages: Sequence[BaseMessage], tools: Sequence[BaseTool], brief: TurnBrief | None = None
    ) -> AIMessage:
        """One model step bound to `tools`: an AIMessage with valid tool calls or a reply.

        `messages` carry the brief as text in their system prompt for a language model; the offline
        model (configured, or answering for a failing provider) is handed `brief` itself.
        """
        if self.is_offline or self.breaker.is_open:
            return await self._offline(messages, tools, brief)
        names = tuple(tool.name for tool in tools)
        bound = self._bound.get(names)
        if bound is None:  # converting tool schemas costs more than a prompt: once per phase
            bound = self._bound[names] = self.primary.bind_tools(tools) if tools else self.primary
        for attempt in (1, 2):
            try:
                reply = await bound.ainvoke(list(messages))
            except provider_errors() as exc:
                self.breaker.failed()
                log.warning(
                    "model %s failed (%s: %s); the offline model answers", self.name, type(exc).__name__, exc
                )
                return await self._offline(messages, tools, brief)
            self.breaker.succeeded()
            if not isinstance(reply, AIMessage):
                reply = AIMessage(content=str(getattr(reply, "content", reply)))
            if not reply.invalid_tool_calls:
                return reply
            log.warning(
                "model %s returned malformed tool arguments (attempt %d): %s",
                self.name,
                attempt,
                [call.get("error") or call.get("name") for call in reply.invalid_tool_calls],
            )
        return await self._offline(messages, tools, brief)

    async def _offline(
        self, messages: Sequence[BaseMessage], tools: Sequence[BaseTool], brief: TurnBrief | None
    ) -> AIMessage:
        model = self.primary if isinstance(self.primary, OfflineChatModel) else self.offline
        if model is self.offline:
            self.fallbacks += 1
        reply = await model.bind_tools(tools, brief=brief).ainvoke(list(messages))
        assert isinstance(reply, AIMessage)
        return reply


class HasModel(Protocol):
    @property
    def model(self) -> SalesModel: ...


def sales_model(services: HasModel) -> SalesModel:
    """The services' sales model (declared and built by agent.services.provider)."""
    return services.model
