"""Russian: the web app's outgoing webhooks (integrations) page."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {}
