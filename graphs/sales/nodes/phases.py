"""The phase nodes: in each sales phase the model steps with that phase's tools, told the turn's brief."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Protocol

from langchain_core.tools import BaseTool
from langgraph.runtime import Runtime

from agent.adapters.models import sales_model
from agent.core.brief import Phase, TurnBrief
from agent.core.lead_tools import LeadTool
from graphs.sales.context import LeadContext
from graphs.sales.phases import TOOLS_BY_PHASE
from graphs.sales.prompting import recent_turns, system_message
from graphs.sales.state import SalesState
from tools import LEAD_TOOLS

MAX_MODEL_STEPS = 6
"""Model calls per turn; the last one is offered no tools, so the turn always ends with an answer."""

TOOLS_BY_NAME: dict[LeadTool, BaseTool] = {LeadTool(tool.name): tool for tool in LEAD_TOOLS}


def phase_tools(phase: Phase, steps: int) -> list[BaseTool]:
    """The tools offered at this step: the phase's, or none on the last step."""
    if steps >= MAX_MODEL_STEPS - 1:
        return []
    return [TOOLS_BY_NAME[name] for name in TOOLS_BY_PHASE[phase]]


class PhaseNode(Protocol):
    __name__: str

    def __call__(self, state: SalesState, *, runtime: Runtime[LeadContext]) -> Awaitable[dict[str, Any]]: ...


def make_phase_node(phase: Phase) -> PhaseNode:
    async def run_phase(state: SalesState, *, runtime: Runtime[LeadContext]) -> dict[str, Any]:
        steps = int(state.get("steps") or 0)
        brief = TurnBrief(phase=phase, facts=state)
        prompt = [system_message(brief), *recent_turns(state.get("messages") or [])]
        model = sales_model(runtime.context.services)
        reply = await model.step(prompt, phase_tools(phase, steps), brief)
        return {"messages": [reply], "phase": phase, "steps": steps + 1}

    run_phase.__name__ = phase
    run_phase.__doc__ = f"The {phase.replace('_', ' ')} phase: the model, bound to this phase's tools."
    return run_phase
