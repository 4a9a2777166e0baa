"""The sales graph's runtime context: whom a run acts for (tenant and lead) and the services it uses.

Nodes read it as `Runtime[LeadContext]`, tools as `ToolRuntime[LeadContext]`. The class lives with the
tools (`tools.context`), which sit below the graph and must not import it. The code that starts a run
(a bot, the CLI, the evals) fills it; nothing the model writes ever does.
"""

from __future__ import annotations

from tools.context import LeadContext

__all__ = ["LeadContext"]
