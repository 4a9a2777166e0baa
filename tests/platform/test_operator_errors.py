"""What an operator sees when something is wrong: one line that says what to do, never a traceback.

The real `realty` command runs in a subprocess, with the environment an operator would have got wrong.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from evals.bot_api import FakeTelegramAPI
from storage.db import Database, InvalidDatabaseUrl, check_database_url
from storage.models import Tenant
from storage.repositories.tenants import TenantRepository
from tests.secrets_support import TEST_TOKEN_ENCRYPTION_KEY, lead_bot_token_of

REALTY = str(Path(sys.executable).parent / "realty")
TEAM_TOKEN = "7001:TEAM-TOKEN"


def environment(**values: str) -> dict[str, str]:
    """The test process's environment without any real service, plus `values`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REGISTRY_BOT_TOKEN", "OPENAI_API_KEY", "TELEGRAM_API_BASE_URL")
    }
    key = (
        TEST_TOKEN_ENCRYPTION_KEY.get_secret_value()
    )  # the session's key: the tests read what the CLI stored
    return env | {"PYTHONUNBUFFERED": "1", "TOKEN_ENCRYPTION_KEY": key} | values


def closed_port_url() -> str:
    """A Bot API base URL where nothing listens (the connection is refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/bot"


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("notaurl", "DATABASE_URL is not a URL"),
        ("mysql://user:secret@localhost:3306/realty", "DATABASE_URL is a mysql:// URL"),
        ("sqlite:///realty.db", "DATABASE_URL is a sqlite:// URL"),
    ],
)
def test_a_database_url_that_is_not_postgresql_is_one_line_saying_what_to_set(
    url: str, said: str, tmp_path: Path
) -> None:
    done = subprocess.run(
        [REALTY, "db", "status"],
        env=environment(DATABASE_URL=url, REALTY_DATA_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 3
    assert "Traceback" not in done.stderr
    assert len(error_lines(done.stderr)) == 1 and done.stderr.strip().count("\n") == 0
    assert said in done.stderr and "postgresql://user:password@host:5432/realty" in done.stderr
    assert "secret" not in done.stderr


@pytest.mark.parametrize(
    "url",
    [
        "postgres://u:p@db:5432/realty",
        "postgresql://u:p@db:5432/realty",
        "postgresql+asyncpg://u:p@db:5432/realty",
        "postgresql://postgres:@/postgres?host=/tmp/x/pgdata",
    ],
)
def test_every_spelling_of_a_postgresql_url_is_accepted(url: str) -> None:
    assert check_database_url(url) == url


def test_another_databases_url_is_refused_not_rewritten_to_postgresql() -> None:
    with pytest.raises(InvalidDatabaseUrl, match="mysql"):
        check_database_url("mysql+pymysql://u:p@db/realty")


def test_realty_bot_retries_an_unreachable_bot_api_then_exits_with_one_line(
    database: Database, database_url: str, data_dir: Path
) -> None:
    done = subprocess.run(
        [REALTY, "bot", "--no-jobs", "--retry-for", "3"],
        env=environment(
            DATABASE_URL=database_url,
            REALTY_DATA_DIR=str(data_dir),
            TELEGRAM_API_BASE_URL=closed_port_url(),
            REGISTRY_BOT_TOKEN=TEAM_TOKEN,
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 3
    assert "Traceback" not in done.stderr and TEAM_TOKEN not in done.stderr
    retries = [line for line in done.stderr.splitlines() if "retrying in" in line]
    assert len(retries) >= 2  # backoff: 1 s, then 2 s
    (error,) = error_lines(done.stderr)
    assert error.startswith("error: could not reach the Telegram Bot API at http://127.0.0.1:")
    assert "gave up after 3 s" in error and "realty bot` again" in error


async def _realty(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        REALTY, *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def _agency(database: Database) -> Tenant:
    async with database.session() as session:
        return await TenantRepository(session).create(
            name="Acme Homes", slug="acme", time_zone="Asia/Makassar"
        )


async def _saved(database: Database) -> tuple[str | None, str | None]:
    async with database.session() as session:
        tenant = (await session.execute(select(Tenant).where(Tenant.slug == "acme"))).scalar_one()
        return lead_bot_token_of(tenant), tenant.lead_bot_username


async def test_set_token_tells_a_network_failure_from_a_rejected_token_and_saves_neither(
    database: Database, database_url: str, data_dir: Path, api: FakeTelegramAPI
) -> None:
    await _agency(database)
    base = environment(DATABASE_URL=database_url, REALTY_DATA_DIR=str(data_dir))

    code, _, err = await _realty(
        "bot", "set-token", "acme", "123:abc", env=base | {"TELEGRAM_API_BASE_URL": closed_port_url()}
    )
    assert code == 3 and "Traceback" not in err
    (line,) = error_lines(err)
    assert "could not reach the Telegram Bot API" in line and "--no-check" in line
    assert "does not accept" not in line and "rejects" not in line

    api.fail_next("getMe", error_code=401, description="Unauthorized")
    code, _, err = await _realty(
        "bot", "set-token", "acme", "123:abc", env=base | {"TELEGRAM_API_BASE_URL": api.base_url}
    )
    assert code == 1 and "Traceback" not in err
    (line,) = error_lines(err)
    assert "Telegram rejects this token" in line and "@BotFather" in line
    assert "123:abc" not in err  # the library's message quotes the token: never repeated
    assert await _saved(database) == (None, None)

    code, out, _ = await _realty(
        "bot", "set-token", "acme", "123:abc", env=base | {"TELEGRAM_API_BASE_URL": api.base_url}
    )
    assert code == 0 and "lead bot @fake_123_bot saved" in out
    assert await _saved(database) == ("123:abc", "fake_123_bot")


async def _running(process: asyncio.subprocess.Process) -> str:
    """Read stdout until the command says it is running; what it printed."""
    assert process.stdout is not None
    seen = ""
    async with asyncio.timeout(120):
        while "running" not in seen:
            line = await process.stdout.readline()
            assert line, f"the command ended before running: {seen}"
            seen += line.decode()
    return seen


async def _stop(process: asyncio.subprocess.Process) -> tuple[int, str, str]:
    process.send_signal(signal.SIGTERM)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_a_token_saved_unchecked_gets_its_bot_name_when_realty_bot_starts_and_sigterm_stops_it_cleanly(
    database: Database, database_url: str, data_dir: Path, api: FakeTelegramAPI
) -> None:
    await _agency(database)
    env = environment(
        DATABASE_URL=database_url,
        REALTY_DATA_DIR=str(data_dir),
        TELEGRAM_API_BASE_URL=api.base_url,
        TELEGRAM_FILE_BASE_URL=api.file_base_url,
        LOG_LEVEL="INFO",
    )
    code, out, _ = await _realty("bot", "set-token", "acme", "4242:lead-token", "--no-check", env=env)
    assert code == 0 and "saved unchecked" in out and "reads the bot's @name when it starts" in out
    assert "@ " not in out
    assert await _saved(database) == ("4242:lead-token", None)

    process = await asyncio.create_subprocess_exec(
        REALTY,
        "bot",
        "--web-port",
        "0",  # no dashboard: nothing else to bind on a shared machine
        env=env | {"REGISTRY_BOT_TOKEN": TEAM_TOKEN},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await _running(process)
    except BaseException:
        process.kill()
        raise
    assert await _saved(database) == ("4242:lead-token", "fake_4242_bot")

    code, out, err = await _stop(process)
    assert code == 0, err
    assert "Traceback" not in err and "ERROR" not in err
    assert "stopped" in out and "realty bot stopped" in err  # the INFO line


async def test_sigterm_stops_the_worker_cleanly(
    database: Database, database_url: str, data_dir: Path
) -> None:
    env = environment(DATABASE_URL=database_url, REALTY_DATA_DIR=str(data_dir), LOG_LEVEL="INFO")
    process = await asyncio.create_subprocess_exec(
        REALTY, "worker", env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        await _running(process)
        await asyncio.sleep(1)  # the worker is listening for jobs
    except BaseException:
        process.kill()
        raise
    code, out, err = await _stop(process)
    assert code == 0, err
    assert "Traceback" not in err and "ERROR" not in err
    assert "stopped" in out and "realty worker stopped" in err
