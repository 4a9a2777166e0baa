"""`realty serve` and `realty bot` as an operator runs them: real processes, real HTTP on loopback, the
loopback Bot API, PostgreSQL. One server answers health checks, the dashboard and every bot's webhook;
SIGTERM stops it cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from agent.settings import Settings
from agent.web.app import create_app
from bot.app import BotRuntime, Bots, build_bots
from evals.bot_api import FakeTelegramAPI, Updates
from storage.db import Database
from storage.repositories.tenants import TenantRepository
from tests.fakes.realty_bots import bot_settings
from tests.secrets_support import TEST_TOKEN_ENCRYPTION_KEY, lead_bot_columns
from tests.serve_support import serving_webhooks

REALTY = str(Path(sys.executable).parent / "realty")
LEAD_TOKEN = "8601:SERVE-LEAD-TOKEN"
TEAM_TOKEN = "8602:SERVE-TEAM-TOKEN"
LEAD = 960_001


def environment(**values: str) -> dict[str, str]:
    """The test process's environment without any real service, plus `values`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REGISTRY_BOT_TOKEN", "OPENAI_API_KEY", "TELEGRAM_API_BASE_URL")
    }
    key = (
        TEST_TOKEN_ENCRYPTION_KEY.get_secret_value()
    )  # the session's key: the process reads the stored token
    return env | {"PYTHONUNBUFFERED": "1", "TOKEN_ENCRYPTION_KEY": key, "LOG_LEVEL": "INFO"} | values


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def operator_env(
    database: Database, database_url: str, data_dir: Path, api: FakeTelegramAPI
) -> dict[str, str]:
    """An agency with a lead bot, a team bot token, and the loopback Bot API."""
    async with database.session() as session:
        await TenantRepository(session).create(
            name="Serve Homes", slug="serve", **lead_bot_columns(LEAD_TOKEN), default_language="en"
        )
    return environment(
        DATABASE_URL=database_url,
        REALTY_DATA_DIR=str(data_dir),
        TELEGRAM_API_BASE_URL=api.base_url,
        TELEGRAM_FILE_BASE_URL=api.file_base_url,
        REGISTRY_BOT_TOKEN=TEAM_TOKEN,
    )


@pytest.fixture
async def processes() -> AsyncIterator[list[asyncio.subprocess.Process]]:
    started: list[asyncio.subprocess.Process] = []
    yield started
    for process in started:  # a test that failed half-way leaves none behind
        if process.returncode is None:
            process.kill()
            await process.wait()


async def start(
    processes: list[asyncio.subprocess.Process], env: dict[str, str], *args: str
) -> tuple[asyncio.subprocess.Process, str]:
    """`realty ARGS` running, and what it printed until it said so."""
    process = await asyncio.create_subprocess_exec(
        REALTY, *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    processes.append(process)
    assert process.stdout is not None
    seen = ""
    async with asyncio.timeout(120):
        while "running" not in seen:
            line = await process.stdout.readline()
            if not line:
                _, err = await process.communicate()
                raise AssertionError(f"realty {args[0]} ended before running: {seen}\n{err.decode()}")
            seen += line.decode()
    return process, seen


async def stop(process: asyncio.subprocess.Process) -> tuple[int, str, str]:
    process.send_signal(signal.SIGTERM)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def test_realty_serve_help_says_what_it_serves() -> None:
    done = subprocess.run(
        [REALTY, "serve", "--help"], capture_output=True, text=True, timeout=60, env=environment()
    )
    assert done.returncode == 0, done.stderr
    for option in ("--host", "--port", "--webhook-url", "--no-jobs"):
        assert option in done.stdout
    for served in ("dashboard", "/api/v1", "/api/docs", "webhooks", "Google", "/healthz", "/readyz"):
        assert served in done.stdout


async def test_realty_serve_answers_health_and_a_webhook_update_end_to_end_and_sigterm_stops_it(
    operator_env: dict[str, str], api: FakeTelegramAPI, processes: list[asyncio.subprocess.Process]
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args = ("serve", "--host", "127.0.0.1", "--port", str(port), "--webhook-url", base, "--no-jobs")
    process, printed = await start(processes, operator_env, *args)
    assert f"dashboard: {base}/" in printed and "team" in printed and "lead:serve" in printed
    assert api.webhooks[LEAD_TOKEN][0].startswith(f"{base}/telegram/")
    assert api.webhooks[TEAM_TOKEN][0] != api.webhooks[LEAD_TOKEN][0]

    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        assert (await http.get("/healthz")).json() == {"ok": True}
        ready = await http.get("/readyz")
        assert ready.status_code == 200
        assert ready.json() == {
            "ok": True,
            "database": "ok",
            "bots": {"running": True, "mode": "webhooks", "bots": ["team", "lead:serve"]},
        }
        assert LEAD_TOKEN not in ready.text and TEAM_TOKEN not in ready.text
        assert (await http.get("/api/docs")).status_code == 200
        assert (await http.get("/")).status_code == 401  # the dashboard asks a stranger to sign in

    update = Updates().text(LEAD, "/start", language_code="en")
    assert await api.deliver(LEAD_TOKEN, update) == 200
    await api.wait_for_messages(1, chat_id=LEAD, token=LEAD_TOKEN, within=60)
    assert await api.deliver(LEAD_TOKEN, update) == 200  # Telegram retrying: acknowledged, answered once
    await asyncio.sleep(1)
    assert len(api.sent(chat_id=LEAD, token=LEAD_TOKEN)) == 1

    code, out, err = await stop(process)
    assert code == 0, err
    assert "Traceback" not in err and "ERROR" not in err
    assert "stopped" in out and "realty serve stopped" in err
    assert LEAD_TOKEN not in out + err + printed and TEAM_TOKEN not in out + err + printed


async def test_realty_bot_polls_and_serves_the_dashboard_on_its_web_port(
    operator_env: dict[str, str], api: FakeTelegramAPI, processes: list[asyncio.subprocess.Process]
) -> None:
    port = free_port()
    process, printed = await start(processes, operator_env, "bot", "--web-port", str(port), "--no-jobs")
    base = f"http://127.0.0.1:{port}"
    assert f"dashboard: {base}/" in printed and "(polling)" in printed

    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        ready = (await http.get("/readyz")).json()
        assert ready["ok"] and ready["bots"] == {
            "running": True,
            "mode": "polling",
            "bots": ["team", "lead:serve"],
        }
        home = await http.get("/")
        assert home.status_code == 401 and "<html" in home.text.lower()
    api.queue_update(LEAD_TOKEN, Updates().text(LEAD + 1, "/start", language_code="en"))
    await api.wait_for_messages(1, chat_id=LEAD + 1, token=LEAD_TOKEN, within=60)
    assert api.webhooks == {}  # polling: no webhook was set

    code, out, err = await stop(process)
    assert code == 0, err
    assert "Traceback" not in err and "ERROR" not in err
    assert "stopped" in out and "realty bot stopped" in err
    with socket.socket() as again:  # the port is free once it stopped
        again.bind(("127.0.0.1", port))


async def test_realty_bot_points_webhook_users_to_realty_serve(operator_env: dict[str, str]) -> None:
    process = await asyncio.create_subprocess_exec(
        REALTY,
        "bot",
        "--webhook-url",
        "https://realty.example.com",
        env=operator_env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 1
    assert "realty serve --webhook-url" in err.decode() and "Traceback" not in err.decode()


async def test_realty_bot_says_when_its_web_port_is_taken(
    operator_env: dict[str, str], processes: list[asyncio.subprocess.Process]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = await asyncio.create_subprocess_exec(
            REALTY,
            "bot",
            "--web-port",
            str(port),
            "--no-jobs",
            env=operator_env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        processes.append(process)
        _, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in err.decode() and "--web-port" in err.decode()
    assert "Traceback" not in err.decode()


async def test_readyz_is_not_ready_until_the_bots_run_and_webhooks_wait_for_them(
    web_services: Services, database: Database
) -> None:
    async with database.session() as session:
        await TenantRepository(session).create(
            name="Ready Homes", slug="ready", **lead_bot_columns(LEAD_TOKEN), default_language="en"
        )
    services = web_services
    services.settings = services.settings.model_copy(update={"registry_bot_token": None})
    runtime = BotRuntime(services, await build_bots(services), webhook_url="https://realty.example.com")
    (webhook,) = runtime.webhooks.values()
    app = create_app(services, bots=runtime)
    headers = {"X-Telegram-Bot-Api-Secret-Token": webhook.secret}
    update = Updates().text(LEAD + 2, "/start", language_code="en")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://realty.example.com") as http:
        ready = await http.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["bots"] == {"running": False, "mode": "webhooks", "bots": ["lead:ready"]}
        assert (await http.post(webhook.path, json=update, headers=headers)).status_code == 503
        assert (await http.post("/telegram/0123456789abcdef01234567", json=update)).status_code == 404
        assert (await http.post(webhook.path, json=update)).status_code == 403

    without_bots = create_app(services, bots=BotRuntime(services, Bots()))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=without_bots), base_url="http://t"
    ) as http:
        ready = await http.get("/readyz")
        assert ready.status_code == 200 and ready.json() == {"ok": True, "database": "ok"}
        assert (await http.post(webhook.path, json=update, headers=headers)).status_code == 404


async def test_two_serve_processes_behind_one_url_answer_a_redelivered_update_once(
    settings: Settings, database: Database, clock: FrozenClock, api: FakeTelegramAPI
) -> None:
    async with database.session() as session:
        await TenantRepository(session).create(
            name="Shared Homes", slug="shared", **lead_bot_columns(LEAD_TOKEN), default_language="en"
        )
    services = Services(
        settings=bot_settings(settings, api).model_copy(update={"registry_bot_token": None}),
        database=database,
        clock=clock,
    )
    first_stop, second_stop = asyncio.Event(), asyncio.Event()
    async with services.resources:
        first, first_url = await serving_webhooks(services, first_stop)
        second, second_url = await serving_webhooks(services, second_stop)
        try:
            await api.wait_for(lambda _: len(api.calls_of("setWebhook", token=LEAD_TOKEN)) == 2, within=30)
            hook, secret = api.webhooks[LEAD_TOKEN]
            path = urlsplit(hook).path
            headers = {"X-Telegram-Bot-Api-Secret-Token": secret or ""}
            user, updates = LEAD + 3, Updates()
            update = updates.text(user, "/start", language_code="en")
            async with httpx.AsyncClient(timeout=30) as http:
                answers = await asyncio.gather(
                    http.post(f"{first_url}{path}", json=update, headers=headers),
                    http.post(f"{second_url}{path}", json=update, headers=headers),
                )
                assert [answer.status_code for answer in answers] == [200, 200]
                await api.wait_for_messages(1, chat_id=user, token=LEAD_TOKEN, within=60)
                await asyncio.sleep(1)
                assert len(api.sent(chat_id=user, token=LEAD_TOKEN)) == 1  # one of them handled it
                later = updates.text(user, "I am looking for a villa", language_code="en")
                assert (
                    await http.post(f"{second_url}{path}", json=later, headers=headers)
                ).status_code == 200
                await api.wait_for_messages(2, chat_id=user, token=LEAD_TOKEN, within=60)
                for url in (first_url, second_url):
                    assert (await http.get(f"{url}/readyz")).json()["bots"]["running"] is True
        finally:
            first_stop.set()
            second_stop.set()
            await asyncio.wait_for(asyncio.gather(first, second), timeout=30)
