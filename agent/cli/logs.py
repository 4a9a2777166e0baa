"""Logging for every command: one set-up, text or JSON lines, and no secret or personal datum in any record of
any logger at any level (messages, their arguments, tracebacks and stacks)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from agent.core.redaction import redact

if TYPE_CHECKING:
    from agent.settings import Settings

LogFormat = Literal["text", "json"]

LIBRARY_LOGGERS = (
    "httpx",
    "httpcore",
    "telegram",
    "requests_oauthlib",
    "oauthlib",
    "google",
    "googleapiclient",
    "urllib3",
)
"""Libraries that log whole URLs and payloads (bot tokens in Bot API URLs, updates with phones, OAuth codes and
tokens) at INFO or DEBUG: warnings only, unless LOG_LEVEL_LIBRARIES asks for more."""

TEXT_FORMAT = "%(levelname)s %(name)s: %(message)s"


class RedactingFilter(logging.Filter):
    """Rewrites a record in place so that whatever formats it next sees no secret: the message with its
    arguments merged in, the traceback and the stack are redacted. Put on every handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed format string: keep the raw text, still redacted
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class RedactingFormatter(logging.Formatter):
    """Formats a record, then removes bot tokens, credentials, phone numbers and e-mail addresses (a second
    pass over the final text, for attributes a format string may add)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line for log shippers: time (UTC, ISO 8601), level, logger, message, and the
    traceback or stack when there is one; redacted like the text format."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = redact(record.exc_text)
        if record.stack_info:
            entry["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(
    level: str,
    handler: logging.Handler | None = None,
    *,
    library_level: str | None = None,
    log_format: LogFormat = "text",
) -> None:
    """Root logging at `level` on one handler (stderr unless given), every record redacted.

    The libraries in LIBRARY_LOGGERS log at `library_level` when given, else warnings only (never below
    `level`). Handlers that other code attached to any logger get the redacting filter too.
    """
    handler = handler or logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else RedactingFormatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(
            library_level.upper() if library_level else max(logging.WARNING, root.level)
        )
    redact_every_handler()


def redact_every_handler() -> None:
    """Put the redacting filter on the root's handlers and on any handler a library attached to its logger."""
    loggers: list[logging.Logger] = [logging.getLogger()]
    loggers += [
        logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(existing, RedactingFilter) for existing in handler.filters):
                handler.addFilter(RedactingFilter())


def configure_logging_from(settings: Settings) -> None:
    """The set-up every entry point uses: LOG_LEVEL, LOG_LEVEL_LIBRARIES and LOG_FORMAT."""
    configure_logging(
        settings.log_level, library_level=settings.log_level_libraries, log_format=settings.log_format
    )
