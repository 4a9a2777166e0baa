"""The tools node: runs the model's tool calls that the current phase offers.

A call the phase does not offer, or a tool that fails, goes back to the model as the result (in JSON),
so the model can answer the lead instead; the operator gets the failure in the log.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable

from langchain_core.messages import ToolMessage
from langgraph.prebuilt import ToolNode
from langgraph.prebuilt.tool_node import ToolCallRequest
from langgraph.types import Command

from graphs.sales.phases import TOOLS_BY_PHASE
from prompts.model import TOOL_FAILED, TOOL_REFUSED
from tools import LEAD_TOOLS

log = logging.getLogger(__name__)


async def guard_tool_call(
    request: ToolCallRequest, execute: Callable[[ToolCallRequest], Awaitable[ToolMessage | Command]]
) -> ToolMessage | Command:
    """Run a tool only if the current phase offers it; a refusal goes back to the model as the result."""
    name = request.tool_call["name"]
    phase = (request.state or {}).get("phase") if isinstance(request.state, dict) else None
    if phase in TOOLS_BY_PHASE and name not in TOOLS_BY_PHASE[phase]:
        log.info("refused %s in phase %s", name, phase)
        return ToolMessage(
            content=json.dumps({"error": TOOL_REFUSED.format(name=name)}),
            name=name,
            tool_call_id=request.tool_call["id"] or "",
            status="error",
        )
    return await execute(request)


def tool_error(exc: Exception) -> str:
    """A tool that failed tells the model so, in JSON; the operator gets the traceback in the log."""
    log.error("tool failed: %s", exc, exc_info=exc)
    return json.dumps({"error": TOOL_FAILED})


def tool_node() -> ToolNode:
    """The lead tools, gated by phase, with failures answered to the model."""
    return ToolNode(LEAD_TOOLS, handle_tool_errors=tool_error, awrap_tool_call=guard_tool_call)
