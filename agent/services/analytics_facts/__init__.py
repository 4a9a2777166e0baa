"""Analytics facts: what each lead, follow-up send and hot alert counts as, and their consolidation.

Apart from `agent.services.analytics` (which reads them for a viewer) so the job system can consolidate them
without depending on the web access rules.
"""

from agent.services.analytics_facts.refresh import (
    Refreshed,
    mark_all_stale,
    refresh_all,
    refresh_tenant,
    stale_leads,
)

__all__ = ["Refreshed", "mark_all_stale", "refresh_all", "refresh_tenant", "stale_leads"]
