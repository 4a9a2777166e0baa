"""Logging for every command: one format, and no secret or personal datum in any record at any level."""

from __future__ import annotations

import logging

from agent.core.redaction import redact

QUIET_LOGGERS = ("httpx", "httpcore", "requests_oauthlib", "oauthlib", "urllib3")
"""Libraries that log whole URLs and payloads (bot tokens, OAuth codes) at INFO or DEBUG: warnings only."""


class RedactingFormatter(logging.Formatter):
    """Formats a record, then removes bot tokens, credentials, phone numbers and e-mail addresses."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure_logging(level: str, handler: logging.Handler | None = None) -> None:
    """Root logging at `level`, every record redacted (tracebacks included)."""
    handler = handler or logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
