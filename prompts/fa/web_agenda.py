"""Persian: the web app's today and viewings pages."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {}
