"""Server-rendered pages: Jinja templates shipped in the package, in the viewer's language and direction.

Every word on a page comes from `prompts` (areas web, web_leads, web_admin, web_analytics) through `t()`;
templates hold markup only. Arabic and Persian pages are laid out right to left.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from agent.core.zones import zone_of
from agent.services.web_access import Viewer
from prompts.calendar import moment_label
from prompts.catalogue import AREAS, Area, language_code, text
from prompts.conversion import likely

TEMPLATES = Path(__file__).parent / "templates"
RTL_LANGUAGES = frozenset({"fa", "ar"})

templates = Jinja2Templates(directory=str(TEMPLATES))


class Words:
    """`t("area.key", **values)` in one language; a key without an area is in the "web" area."""

    def __init__(self, language: str | None, time_zone: str | None = None) -> None:
        self.language = language_code(language)
        self.zone = zone_of(time_zone)

    def __call__(self, key: str, /, **values: object) -> str:
        area, _, name = key.rpartition(":")
        return text(self.language, _area(area or "web"), name, **values)

    def likely(self, probability: float) -> str:
        """ "41% likely to convert" in the viewer's language and number format (the learned model's view)."""
        return likely(probability, self.language)

    def when(self, moment: datetime | None) -> str:
        """A moment on the viewer's wall clock, in their locale ("Sat 7 Mar, 10:00")."""
        return moment_label(moment.astimezone(self.zone), self.language) if moment is not None else ""


def _area(name: str) -> Area:
    if name not in AREAS:
        raise KeyError(name)
    return name  # type: ignore[return-value]


def _asked_language(request: Request) -> str | None:
    """For someone not signed in: `?lang=`, else the first of our languages the browser accepts."""
    asked = request.query_params.get("lang")
    if asked:
        return asked
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";", 1)[0].strip().lower()[:2]
        if code in ("en", "ru", "fa", "ar"):
            return code
    return None


def render(
    request: Request,
    name: str,
    viewer: Viewer | None,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    language: str | None = None,
) -> HTMLResponse:
    """A page for this viewer: their words, direction and CSRF token are in the template's context."""
    words = Words(
        language or (viewer.language if viewer else _asked_language(request)),
        viewer.time_zone if viewer else None,
    )
    return templates.TemplateResponse(
        request,
        name,
        {
            "viewer": viewer,
            "t": words,
            "lang": words.language,
            "dir": "rtl" if words.language in RTL_LANGUAGES else "ltr",
            "csrf": viewer.csrf_token if viewer else "",
            **(context or {}),
        },
        status_code=status_code,
        headers={"Cache-Control": "no-store"},
    )
