"""Headers every HTML page carries: only our own pages and Telegram's clients may frame it (clickjacking),
no content sniffing, and no full URL (a sign-in link's token) in the Referer sent elsewhere."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

FRAMED_BY = ("'self'", "https://web.telegram.org", "https://*.telegram.org")
"""Who may put our pages in a frame: ourselves and Telegram's web clients (the Mini App)."""
FRAME_ANCESTORS = "frame-ancestors " + " ".join(FRAMED_BY)
HTML_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", FRAME_ANCESTORS.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)


class SecurityHeaders:
    """Pure ASGI middleware (no buffering of bodies): adds HTML_HEADERS to text/html responses."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                content_type = next(
                    (value for name, value in headers if name.lower() == b"content-type"), b""
                )
                if content_type.lower().startswith(b"text/html"):
                    present = {name.lower() for name, _ in headers}
                    headers.extend(header for header in HTML_HEADERS if header[0] not in present)
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
