"""Persian: the web app's admin pages: listings and reps."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {}
