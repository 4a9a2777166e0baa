"""English: the web app's analytics page."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {}
