"""Asked for library logs (LOG_LEVEL_LIBRARIES=DEBUG), an operator still reads no phone, e-mail, OAuth code or
token: every record of every logger passes the redaction filter, in text and in JSON lines."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator

import pytest

from agent.cli.logs import LogFormat, configure_logging
from agent.settings import Settings

Configure = Callable[..., io.StringIO]

UPDATE = {
    "update_id": 9001,
    "message": {
        "message_id": 5,
        "from": {"id": 777, "is_bot": False, "first_name": "Tom"},
        "date": 1760000000,
        "chat": {"id": 777, "type": "private"},
        "contact": {"phone_number": "6281234567890", "first_name": "Tom", "user_id": 777},
        "text": "reach me at tom.lee@example.com or +62 812-3456-7890",
    },
}


@pytest.fixture
def configure() -> Iterator[Configure]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    libraries = {name: logging.getLogger(name).level for name in ("telegram", "requests_oauthlib")}

    def setup(library_level: str | None = "DEBUG", log_format: LogFormat = "text") -> io.StringIO:
        out = io.StringIO()
        configure_logging(
            "DEBUG", logging.StreamHandler(out), library_level=library_level, log_format=log_format
        )
        return out

    yield setup
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
    for name, was in libraries.items():
        logging.getLogger(name).setLevel(was)


def _telegram_logs_an_update() -> None:
    from telegram import Update

    update = Update.de_json(UPDATE, None)
    logging.getLogger("telegram.ext.Application").debug("Processing update %s", update)
    logging.getLogger("telegram.Bot").debug(
        "Call to Bot API endpoint `%s` finished with return value `%s`", "getUpdates", [UPDATE]
    )


def _oauth_logs_a_token_exchange() -> None:
    log = logging.getLogger("requests_oauthlib.oauth2_session")
    log.debug(
        "Request body was %s",
        "grant_type=authorization_code&code=4%2F0AeanS0bXyz&redirect_uri=http%3A%2F%2Flocalhost"
        "&client_id=123.apps.googleusercontent.com&client_secret=GOCSPX-s3cr3t",
    )
    log.debug("Request headers were %s", {"Authorization": "Basic MTIzOkdPQ1NQWC1zM2NyM3Q="})
    log.debug(
        "Response headers were %s and content %s.",
        {"Content-Type": "application/json"},
        '{"access_token": "ya29.a0AfH6SMBx", "expires_in": 3599, "refresh_token": "1//0gLxRefresh"}',
    )
    log.debug("Obtained token %s.", {"access_token": "ya29.a0AfH6SMBx", "refresh_token": "1//0gLxRefresh"})


SECRETS = (
    "6281234567890",
    "tom.lee@example.com",
    "812-3456-7890",
    "4%2F0AeanS0bXyz",
    "GOCSPX-s3cr3t",
    "MTIzOkdPQ1NQWC1zM2NyM3Q=",
    "ya29.a0AfH6SMBx",
    "1//0gLxRefresh",
)


def test_telegram_at_debug_logs_updates_without_the_leads_phone_or_email(configure: Configure) -> None:
    out = configure("DEBUG")
    _telegram_logs_an_update()
    written = out.getvalue()
    assert "Processing update" in written and "getUpdates" in written  # the libraries do log when asked
    assert "<phone …" in written and "<email>" in written
    for secret in SECRETS[:3]:
        assert secret not in written, secret


def test_an_oauth_exchange_at_debug_shows_no_code_no_client_secret_and_no_token(configure: Configure) -> None:
    out = configure("DEBUG")
    _oauth_logs_a_token_exchange()
    written = out.getvalue()
    assert written.count("\n") == 4 and "expires_in" in written
    for secret in SECRETS[3:]:
        assert secret not in written, secret


def test_a_traceback_and_its_arguments_are_redacted_on_a_library_handler_too(configure: Configure) -> None:
    library_out = io.StringIO()
    library_handler = logging.StreamHandler(library_out)
    oauth = logging.getLogger("oauthlib.oauth2.rfc6749")
    oauth.addHandler(library_handler)  # a handler of the library's own, attached before the set-up
    try:
        out = configure("DEBUG")
        try:
            raise ValueError("token exchange failed: access_token=ya29.a0AfH6SMBx for tom.lee@example.com")
        except ValueError:
            oauth.exception("refresh failed for %s", "+62 812-3456-7890", stack_info=True)
    finally:
        oauth.removeHandler(library_handler)
    for written in (out.getvalue(), library_out.getvalue()):
        assert "Traceback" in written and "refresh failed" in written
        for secret in ("ya29.a0AfH6SMBx", "tom.lee@example.com", "812-3456-7890"):
            assert secret not in written, secret


def test_json_lines_are_valid_json_and_redacted(configure: Configure) -> None:
    out = configure("DEBUG", "json")
    _telegram_logs_an_update()
    _oauth_logs_a_token_exchange()
    try:
        raise RuntimeError("boom for tom.lee@example.com")
    except RuntimeError:
        logging.getLogger("bot.lead").exception("turn failed")
    lines = out.getvalue().splitlines()
    entries = [json.loads(line) for line in lines]
    assert len(entries) == 7
    assert {entry["logger"] for entry in entries} >= {"telegram.ext.Application", "bot.lead"}
    assert all({"time", "level", "logger", "message"} <= entry.keys() for entry in entries)
    assert "RuntimeError" in entries[-1]["exception"]
    for secret in SECRETS:
        assert secret not in out.getvalue(), secret


def test_without_log_level_libraries_the_libraries_stay_at_warning(configure: Configure) -> None:
    out = configure(None)
    _telegram_logs_an_update()
    _oauth_logs_a_token_exchange()
    assert out.getvalue() == ""


def test_the_settings_read_the_library_level_and_the_format() -> None:
    settings = Settings(_env_file=None, log_level_libraries="debug", log_format="JSON")  # type: ignore[call-arg]
    assert (settings.log_level_libraries, settings.log_format) == ("DEBUG", "json")
    assert Settings(_env_file=None).log_level_libraries is None  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="log level"):
        Settings(_env_file=None, log_level_libraries="loud")  # type: ignore[call-arg]
