"""What a case's model calls cost, and which tools they asked for, heard through LangChain's callbacks.

A configure hook on a context variable, registered once: every chat model run inside a case's task (and the
tasks it spawns, such as a lead bot's turn) reports to that case's recorder, whatever path it took.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from evals.trajectory import ToolCall

if TYPE_CHECKING:
    from evals.actors import World


class CaseRecorder:
    """Counts a case's tokens and, when the path does not report them, records the tool calls the model made."""

    def __init__(self, *, record_tools: bool) -> None:
        from langchain_core.callbacks import BaseCallbackHandler

        recorder = self

        class _Handler(BaseCallbackHandler):
            run_inline = True

            def on_llm_end(self, response: Any, **kwargs: Any) -> None:
                recorder.on_llm_end(response)

        self.handler = _Handler()
        self.record_tools = record_tools
        self.world: World | None = None
        self.tokens_in = 0
        self.tokens_out = 0

    def on_llm_end(self, response: Any) -> None:
        for generations in getattr(response, "generations", []):
            for generation in generations:
                message = getattr(generation, "message", None)
                usage = getattr(message, "usage_metadata", None) or {}
                self.tokens_in += int(usage.get("input_tokens", 0) or 0)
                self.tokens_out += int(usage.get("output_tokens", 0) or 0)
                if self.record_tools and self.world is not None:
                    for call in getattr(message, "tool_calls", None) or []:
                        self.world.tools.append(
                            (self.world.step, ToolCall(str(call["name"]), dict(call.get("args") or {})))
                        )


_RECORDER: ContextVar[Any] = ContextVar("realty_eval_recorder", default=None)
_hook_registered = False


@contextmanager
def recording(recorder: CaseRecorder) -> Iterator[CaseRecorder]:
    """Make `recorder` hear every chat model run of the current task and its children."""
    global _hook_registered
    if not _hook_registered:
        from langchain_core.tracers.context import register_configure_hook

        register_configure_hook(_RECORDER, inheritable=True)
        _hook_registered = True
    token = _RECORDER.set(recorder.handler)
    try:
        yield recorder
    finally:
        _RECORDER.reset(token)
