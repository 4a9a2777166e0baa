"""The sales graph: one node per sales phase; inside a phase the model picks tools until it answers.

    START → observe ─(phase_for)→ greeting | qualification | value_proposition | engagement
                                  | contact_capture | booking | handoff
    phase ─(tool calls?)→ tools → absorb ─(phase_for)→ phase …      phase ─(answer)→ finish → END

Routers read state only (profile completeness, listings shown, phone known, viewing booked, person
asked for), never the model's wording. Identity comes from the runtime context (`LeadContext`).
Importing this module builds nothing that talks to the outside world; `graph` has no checkpointer
(LangGraph dev/Studio bring theirs) and `graphs.sales.conversation` compiles `builder` with PostgreSQL's.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Literal, Protocol

from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import BaseTool
from langgraph.graph import END, START, StateGraph
from langgraph.prebuilt import ToolNode
from langgraph.prebuilt.tool_node import ToolCallRequest
from langgraph.runtime import Runtime
from langgraph.types import Command

from agent.adapters.models import sales_model
from agent.core.brief import PHASES, Phase
from graphs.sales.nodes import absorb, finish, observe
from graphs.sales.phases import TOOLS_BY_PHASE, phase_for
from graphs.sales.prompting import recent_turns, system_message
from graphs.sales.state import SalesInput, SalesState
from tools import LEAD_TOOLS
from tools.context import LeadContext

log = logging.getLogger(__name__)

MAX_MODEL_STEPS = 6
"""Model calls per turn; the last one is offered no tools, so the turn always ends with an answer."""

TOOLS_BY_NAME: dict[str, BaseTool] = {tool.name: tool for tool in LEAD_TOOLS}


def route_phase(state: SalesState) -> Phase:
    """The phase node to run: decided by `phase_for` on state."""
    return phase_for(state)


def route_after_model(state: SalesState) -> Literal["tools", "finish"]:
    messages = state.get("messages") or []
    if messages and isinstance(messages[-1], AIMessage) and messages[-1].tool_calls:
        return "tools"
    return "finish"


def phase_tools(phase: Phase, steps: int) -> list[BaseTool]:
    if steps >= MAX_MODEL_STEPS - 1:
        return []
    return [TOOLS_BY_NAME[name] for name in TOOLS_BY_PHASE[phase] if name in TOOLS_BY_NAME]


class PhaseNode(Protocol):
    __name__: str

    def __call__(self, state: SalesState, *, runtime: Runtime[LeadContext]) -> Awaitable[dict[str, Any]]: ...


def make_phase_node(phase: Phase) -> PhaseNode:
    async def run_phase(state: SalesState, *, runtime: Runtime[LeadContext]) -> dict[str, Any]:
        steps = int(state.get("steps") or 0)
        prompt = [system_message(state, phase), *recent_turns(state.get("messages") or [])]
        reply = await sales_model(runtime.context.services).step(prompt, phase_tools(phase, steps))
        return {"messages": [reply], "phase": phase, "steps": steps + 1}

    run_phase.__name__ = phase
    run_phase.__doc__ = f"The {phase.replace('_', ' ')} phase: the model, bound to this phase's tools."
    return run_phase


async def guard_tool_call(
    request: ToolCallRequest, execute: Callable[[ToolCallRequest], Awaitable[ToolMessage | Command]]
) -> ToolMessage | Command:
    """Run a tool only if the current phase offers it; a refusal goes back to the model as the result."""
    name = request.tool_call["name"]
    phase = (request.state or {}).get("phase") if isinstance(request.state, dict) else None
    if phase in TOOLS_BY_PHASE and name not in TOOLS_BY_PHASE[phase]:
        log.info("refused %s in phase %s", name, phase)
        return ToolMessage(
            content=json.dumps({"error": f"{name} is not available now; answer the lead instead"}),
            name=name,
            tool_call_id=request.tool_call["id"] or "",
            status="error",
        )
    return await execute(request)


def tool_error(exc: Exception) -> str:
    """A tool that failed tells the model so, in JSON; the operator gets the traceback in the log."""
    log.error("tool failed: %s", exc, exc_info=exc)
    return json.dumps({"error": "the tool failed; apologise briefly and continue without it"})


builder = StateGraph(SalesState, context_schema=LeadContext, input_schema=SalesInput)
builder.add_node("observe", observe)
for _phase in PHASES:
    builder.add_node(_phase, make_phase_node(_phase))
    builder.add_conditional_edges(_phase, route_after_model)
builder.add_node(
    "tools", ToolNode(LEAD_TOOLS, handle_tool_errors=tool_error, awrap_tool_call=guard_tool_call)
)
builder.add_node("absorb", absorb)
builder.add_node("finish", finish)
builder.add_edge(START, "observe")
builder.add_conditional_edges("observe", route_phase)
builder.add_edge("tools", "absorb")
builder.add_conditional_edges("absorb", route_phase)
builder.add_edge("finish", END)

graph = builder.compile(name="sales")
