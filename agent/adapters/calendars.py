"""How calendars reach the outside world: Google's transport and the Zoom client, one of each per process.

The Google client libraries take half a second to import, so the transport is made on first use; the Zoom
client is made only when ZOOM_* is configured, and its HTTP client closes with the services.
"""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent.adapters.google import GoogleTransport
    from agent.adapters.zoom import ZoomClient
    from agent.core.clock import Clock
    from agent.settings import Settings

ZOOM_TIMEOUT_SECONDS = 20.0


class CalendarProviders:
    """Google's transport (made on first use unless given) and the Zoom client (None without credentials)."""

    def __init__(self, *, google: GoogleTransport | None = None, zoom: ZoomClient | None = None) -> None:
        self._google = google
        self.zoom = zoom

    @property
    def google(self) -> GoogleTransport:
        if self._google is None:
            from agent.adapters.google import GoogleTransport

            self._google = GoogleTransport()
        return self._google

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock, resources: AsyncExitStack) -> CalendarProviders:
        """The real network; a Zoom client when ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET are set."""
        from agent.adapters.zoom import ZoomClient, ZoomCredentials

        credentials = ZoomCredentials.from_settings(settings)
        if credentials is None:
            return cls()
        import httpx

        http = httpx.AsyncClient(timeout=httpx.Timeout(ZOOM_TIMEOUT_SECONDS))
        resources.push_async_callback(http.aclose)
        return cls(zoom=ZoomClient(credentials, http=http, clock=clock))
