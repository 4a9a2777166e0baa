"""The Google Calendar callback endpoint on the webhook server (when PUBLIC_BASE_URL is set).

Google sends the rep's browser to `<PUBLIC_BASE_URL>/oauth/google/callback?state=...&code=...`; the state
names the rep, the flow finishes with no pasting, the browser gets a short page and the rep hears the
result from the team bot.
"""

from __future__ import annotations

import html
import logging
from typing import Any

import tornado.web

from agent.adapters.google import CALLBACK_PATH
from agent.services.calendars.conversation import CalendarDesk
from agent.services.calendars.notify import tell_rep
from agent.services.provider import Services
from prompts.calendar import say

log = logging.getLogger(__name__)

PAGE = """<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{title}</title></head><body style="font-family:sans-serif;max-width:32em;margin:3em auto">
<h1>{title}</h1><p>{body}</p></body></html>"""
PAGE_LANGUAGE = "en"
"""The page's own words are English; the rep hears the outcome in their language from the team bot."""


def page_text(key: str) -> str:
    return html.escape(say(key, PAGE_LANGUAGE))


class GoogleCallbackHandler(tornado.web.RequestHandler):
    """GET from the rep's browser after Google's consent screen."""

    def initialize(self, services: Services, desk: CalendarDesk) -> None:
        self.services = services
        self.desk = desk

    async def get(self) -> None:
        state = self.get_query_argument("state", "")
        code = self.get_query_argument("code", None)
        error = self.get_query_argument("error", None)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.set_header("Referrer-Policy", "no-referrer")  # the address holds the code
        if not state:
            self.set_status(400)
            self.finish(PAGE.format(title=page_text("page_title"), body=page_text("page_no_state")))
            return
        answer, connected = await self.desk.on_callback(state, code, error)
        if answer is None:
            self.set_status(404)
            self.finish(PAGE.format(title=page_text("page_title"), body=page_text("page_unknown_link")))
            return
        for text in answer.texts:
            await tell_rep(self.services, answer.chat_id, text)
        title = page_text("page_connected" if connected else "page_not_connected")
        body = html.escape(answer.texts[0] if answer.texts else "")
        self.finish(PAGE.format(title=title, body=f"{body}<br><br>{page_text('page_close_tab')}"))

    def check_xsrf_cookie(self) -> None:  # a plain GET from Google's redirect
        return None


def calendar_routes(services: Services) -> list[tuple[str, type[tornado.web.RequestHandler], dict[str, Any]]]:
    """The callback route for the webhook server (only useful when PUBLIC_BASE_URL points at it)."""
    return [(CALLBACK_PATH, GoogleCallbackHandler, {"services": services, "desk": CalendarDesk(services)})]
