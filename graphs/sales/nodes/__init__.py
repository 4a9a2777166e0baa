"""The sales graph's nodes, one module each: observe (start of a turn), the phase nodes (the model),
tool_calls (the tools node), absorb (tool results into state) and finish (close the turn)."""

from __future__ import annotations

from graphs.sales.nodes.absorb import absorb
from graphs.sales.nodes.finish import finish
from graphs.sales.nodes.observe import observe
from graphs.sales.nodes.phases import MAX_MODEL_STEPS, make_phase_node
from graphs.sales.nodes.tool_calls import tool_node

__all__ = ["MAX_MODEL_STEPS", "absorb", "finish", "make_phase_node", "observe", "tool_node"]
