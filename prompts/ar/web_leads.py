"""Arabic: the web app's leads and lead pages."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {}
