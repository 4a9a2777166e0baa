"""The sales graph: one node per sales phase; inside a phase the model picks tools until it answers.

    START → observe ─(route_phase)→ greeting | qualification | value_proposition | engagement
                                    | contact_capture | booking | handoff
    phase ─(tool calls?)→ tools → absorb ─(route_phase)→ phase …      phase ─(answer)→ finish → END

Routers read state only (profile completeness, listings shown, phone known, viewing booked, person
asked for), never the model's wording. Identity comes from the runtime context (`LeadContext`).
Importing this module builds nothing that talks to the outside world; `graph` has no checkpointer
(LangGraph dev/Studio bring theirs) and `graphs.sales.conversation` compiles `builder` with PostgreSQL's.
"""

from __future__ import annotations

from typing import Literal

from langchain_core.messages import AIMessage
from langgraph.graph import END, START, StateGraph

from agent.core.brief import PHASES, Phase
from graphs.sales.context import LeadContext
from graphs.sales.nodes import absorb, finish, make_phase_node, observe, tool_node
from graphs.sales.phases import phase_for
from graphs.sales.state import SalesInput, SalesState


def route_phase(state: SalesState) -> Phase:
    """The phase node to run: decided by `phase_for` on state."""
    return phase_for(state)


def route_after_model(state: SalesState) -> Literal["tools", "finish"]:
    """Tools when the model asked for them, else the turn is answered."""
    messages = state.get("messages") or []
    if messages and isinstance(messages[-1], AIMessage) and messages[-1].tool_calls:
        return "tools"
    return "finish"


builder = StateGraph(SalesState, context_schema=LeadContext, input_schema=SalesInput)
builder.add_node("observe", observe)
for _phase in PHASES:
    builder.add_node(_phase, make_phase_node(_phase))
    builder.add_conditional_edges(_phase, route_after_model)
builder.add_node("tools", tool_node())
builder.add_node("absorb", absorb)
builder.add_node("finish", finish)
builder.add_edge(START, "observe")
builder.add_conditional_edges("observe", route_phase)
builder.add_edge("tools", "absorb")
builder.add_conditional_edges("absorb", route_phase)
builder.add_edge("finish", END)

graph = builder.compile(name="sales")
