"""Google Calendar's OAuth callback (useful when PUBLIC_BASE_URL points at this server).

Google sends the rep's browser to `<PUBLIC_BASE_URL>/oauth/google/callback?state=...&code=...`; the state
names the rep, the flow finishes with no pasting, the browser gets a short page and the rep hears the
result from the team bot.
"""

from __future__ import annotations

import html
import logging

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from agent.adapters.google import CALLBACK_PATH
from agent.services.calendars.conversation import CalendarDesk
from agent.services.calendars.notify import tell_rep
from agent.web.deps import ServicesDep
from prompts.calendar import say

log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)

PAGE = """<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{title}</title></head><body style="font-family:sans-serif;max-width:32em;margin:3em auto">
<h1>{title}</h1><p>{body}</p></body></html>"""
PAGE_LANGUAGE = "en"
"""The page's own words are English; the rep hears the outcome in their language from the team bot."""
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the address holds the code
}


def page_text(key: str) -> str:
    return html.escape(say(key, PAGE_LANGUAGE))


def _page(title: str, body: str, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(PAGE.format(title=title, body=body), status_code=status_code, headers=HEADERS)


@router.get(CALLBACK_PATH)
async def google_callback(
    services: ServicesDep, state: str = "", code: str | None = None, error: str | None = None
) -> HTMLResponse:
    """GET from the rep's browser after Google's consent screen."""
    if not state:
        return _page(page_text("page_title"), page_text("page_no_state"), 400)
    answer, connected = await CalendarDesk(services).on_callback(state, code, error)
    if answer is None:
        return _page(page_text("page_title"), page_text("page_unknown_link"), 404)
    for text in answer.texts:
        await tell_rep(services, answer.chat_id, text)
    title = page_text("page_connected" if connected else "page_not_connected")
    body = html.escape(answer.texts[0] if answer.texts else "")
    return _page(title, f"{body}<br><br>{page_text('page_close_tab')}")
