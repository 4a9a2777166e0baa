"""Who a tool acts for. Filled by the code that starts a run (bot, CLI, eval), never by the model."""

from __future__ import annotations

from dataclasses import dataclass

from agent.services.provider import Services


@dataclass(frozen=True)
class LeadContext:
    """The runtime context of the sales graph: every tool reads identity from here."""

    services: Services
    tenant_id: int
    lead_id: int
