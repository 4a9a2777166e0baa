"""What the reliability scripts share: a private PostgreSQL and loopback Bot API, real `realty` processes, reply
tracking per chat, a TCP gate that can take the Bot API down, and the summary table and results file."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import platform
import random
import signal
import string
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet  # noqa: E402
from pydantic import SecretStr  # noqa: E402
from sqlalchemy import text  # noqa: E402

from agent.adapters.crypto import LeadBotTokens  # noqa: E402
from agent.adapters.embeddings import HashingEmbedder  # noqa: E402
from agent.services.catalog.seed import seed_demo  # noqa: E402
from agent.settings import Settings  # noqa: E402
from evals.bot_api import ApiCall, FakeTelegramAPI, Updates  # noqa: E402
from storage.db import Database, create_database  # noqa: E402
from storage.embedded import embedded_database_url, stop_embedded_server  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Tenant  # noqa: E402

ADMIN_ID = 424_242
SEND_METHODS = frozenset(
    {"sendMessage", "sendPhoto", "sendMediaGroup", "sendDocument", "sendLocation", "sendVenue", "sendContact"}
)
TELEGRAM_LIMIT = 4096
CAPTION_LIMIT = 1024
# Settings a developer's shell may carry that would point the processes elsewhere.
_FOREIGN_ENV = ("DATABASE_URL", "OPENAI_", "TELEGRAM_", "REGISTRY_BOT_TOKEN", "ADMIN_TELEGRAM_IDS", "LOG_", "SMTP_",
                "WHATSAPP_", "GOOGLE_", "ZOOM_", "CORPORATE_EMAIL_DOMAIN", "WEBHOOK_SECRET", "REALTY_", "PUBLIC_BASE_URL",
                "MODEL_", "TOKEN_ENCRYPTION_KEY")  # fmt: skip


def utf16_units(value: str) -> int:
    return len(value.encode("utf-16-le")) // 2


def fake_bot_token(rng: random.Random) -> str:
    """A token shaped like BotFather's (digits, colon, 35 url-safe characters), so redaction is tested for real."""
    alphabet = string.ascii_letters + string.digits + "_-"
    return f"{rng.randrange(10**9, 10**10)}:AA{''.join(rng.choice(alphabet) for _ in range(33))}"


@dataclass
class Stack:
    """A private PostgreSQL (embedded, in a temporary folder) with the demo agency, and the loopback Bot API."""

    base: Path
    url: str
    database: Database
    api: FakeTelegramAPI
    tenant_id: int
    lead_token: str
    team_token: str
    logs: Path
    token_key: str
    """TOKEN_ENCRYPTION_KEY of the processes: the lead-bot token is stored encrypted with it, as in production."""
    processes: list[RealtyProcess] = field(default_factory=list)
    """Every process started on this stack: whatever is still running when the stack closes is killed."""

    async def stop_postgres(self) -> None:
        await self.database.dispose()
        await asyncio.to_thread(stop_embedded_server, self.base)

    async def start_postgres(self) -> None:
        await asyncio.to_thread(embedded_database_url, self.base)

    async def lead_row(self, user_id: int) -> dict[str, Any] | None:
        async with self.database.session() as session:
            row = (
                await session.execute(
                    text(
                        "SELECT name, phone, email, budget_min, budget_max, budget_currency, budget_period "
                        "FROM leads WHERE tenant_id = :t AND telegram_user_id = :u"
                    ),
                    {"t": self.tenant_id, "u": user_id},
                )
            ).first()
        return dict(row._mapping) if row is not None else None


@contextlib.asynccontextmanager
async def open_stack(seed: int, *, keep: bool = False) -> AsyncIterator[Stack]:
    """Everything but our processes: PostgreSQL with the demo agency (lead bot token set), the fake Bot API."""
    base = Path(tempfile.mkdtemp(prefix="realty-reliability-", dir="/tmp"))
    logs = base / "logs"
    logs.mkdir()
    rng = random.Random(f"tokens:{seed}")
    lead_token, team_token = fake_bot_token(rng), fake_bot_token(rng)
    token_key = Fernet.generate_key().decode()
    try:
        url = await asyncio.to_thread(embedded_database_url, base)
        database = create_database(url, pool_size=4)
        await upgrade(database)
        async with database.session() as session:
            report = await seed_demo(session, HashingEmbedder())  # type: ignore[arg-type]
            tenant = await session.get(Tenant, report.tenant_id)
            assert tenant is not None
            settings = Settings(_env_file=None, token_encryption_key=SecretStr(token_key))  # type: ignore[call-arg]
            LeadBotTokens(settings).store(tenant, lead_token)
            tenant_id = tenant.id
        async with FakeTelegramAPI() as api:
            stack = Stack(base, url, database, api, tenant_id, lead_token, team_token, logs, token_key)
            try:
                yield stack
            finally:
                for process in stack.processes:
                    await process.kill()
        await database.dispose()
    finally:
        await asyncio.to_thread(stop_embedded_server, base)
        if not keep:
            import shutil

            shutil.rmtree(base, ignore_errors=True)
        else:
            print(f"kept {base} (logs in {logs})")


def process_env(stack: Stack, *, bot_api_url: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of a `realty` process: this stack, DEBUG logs (libraries too), nothing from the shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_FOREIGN_ENV)}
    base_url = bot_api_url or stack.api.base_url
    env.update(
        DATABASE_URL=stack.url,
        REALTY_DATA_DIR=str(stack.base),
        TELEGRAM_API_BASE_URL=base_url,
        TELEGRAM_FILE_BASE_URL=base_url.removesuffix("/bot") + "/file/bot",
        REGISTRY_BOT_TOKEN=stack.team_token,
        TOKEN_ENCRYPTION_KEY=stack.token_key,
        ADMIN_TELEGRAM_IDS=str(ADMIN_ID),
        LOG_LEVEL="DEBUG",
        LOG_LEVEL_LIBRARIES="DEBUG",  # ignored where the setting does not exist yet
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@dataclass
class RealtyProcess:
    """One `realty ...` OS process, its stdout and stderr in files under the stack's logs folder."""

    name: str
    process: asyncio.subprocess.Process
    stdout: Path
    stderr: Path
    started: float = field(default_factory=time.monotonic)

    @property
    def alive(self) -> bool:
        return self.process.returncode is None

    async def terminate(self, grace: float = 30) -> int | None:
        """SIGTERM, as an operator or a supervisor stops it; SIGKILL if it does not stop in `grace` s."""
        if self.alive:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), grace)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        return self.process.returncode

    async def kill(self) -> None:
        if self.alive:
            self.process.send_signal(signal.SIGKILL)
            await self.process.wait()


async def start_realty(stack: Stack, name: str, args: list[str], env: dict[str, str]) -> RealtyProcess:
    """Start `realty ARGS` (run from the stack's folder, so no .env of the checkout is read)."""
    stdout, stderr = stack.logs / f"{name}.stdout.log", stack.logs / f"{name}.stderr.log"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", "from agent.cli import app; app()", *args,
            cwd=stack.base, env=env, stdout=out, stderr=err,
        )  # fmt: skip
    started = RealtyProcess(name, process, stdout, stderr)
    stack.processes.append(started)
    return started


async def wait_polling(stack: Stack, bot: RealtyProcess, *, since: int = 0, within: float = 120) -> None:
    """Until the lead bot asks the Bot API for updates (calls from index `since` on), or the process ends."""
    deadline = time.monotonic() + within
    while not any(c.method == "getUpdates" and c.token == stack.lead_token for c in stack.api.calls[since:]):
        if not bot.alive:
            raise RuntimeError(f"{bot.name} exited with {bot.process.returncode}; see {bot.stderr}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{bot.name} did not start polling in {within} s; see {bot.stderr}")
        await asyncio.sleep(0.2)


class Replies:
    """Every message the bots sent, per chat, as the Bot API answered it; waits for a chat's next reply."""

    def __init__(self, api: FakeTelegramAPI) -> None:
        self.by_chat: dict[int, list[ApiCall]] = defaultdict(list)
        self._events: dict[int, asyncio.Event] = defaultdict(asyncio.Event)
        api.listeners.append(self._on_call)

    def _on_call(self, call: ApiCall) -> None:
        if call.method in SEND_METHODS and isinstance(call.chat_id, int):
            self.by_chat[call.chat_id].append(call)
            self._events[call.chat_id].set()

    def count(self, chat_id: int) -> int:
        return len(self.by_chat[chat_id])

    async def wait_new(self, chat_id: int, seen: int, within: float) -> bool:
        """Until the chat has more than `seen` messages (True), or `within` s pass (False)."""
        deadline = time.monotonic() + within
        while self.count(chat_id) <= seen:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            event = self._events[chat_id]
            event.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), min(left, 1.0))
        return True

    async def settle(self, chat_id: int, *, quiet: float = 0.4, most: float = 5.0) -> None:
        """Until the chat has had no new message for `quiet` s (a turn's messages go out back to back)."""
        deadline = time.monotonic() + most
        while time.monotonic() < deadline:
            seen = self.count(chat_id)
            await asyncio.sleep(quiet)
            if self.count(chat_id) == seen:
                return


def message_texts(call: ApiCall) -> list[str]:
    """Every text a lead reads in this call: the text or caption, media captions, button labels."""
    texts = [call.text]
    caption = call.params.get("caption")
    if isinstance(caption, str):
        texts.append(caption)
    media = call.params.get("media")
    if isinstance(media, list):
        texts += [str(item.get("caption", "")) for item in media if isinstance(item, dict)]
    texts += [str(button.get("text", "")) for button in call.buttons()]
    return [t for t in texts if t]


def oversized(api: FakeTelegramAPI) -> list[dict[str, Any]]:
    """Every send attempt (answered or refused) over Telegram's limits: 4,096 UTF-16 units, 1,024 in captions."""
    found = []
    for call in api.calls:
        if call.method not in SEND_METHODS and call.method != "editMessageText":
            continue
        units = utf16_units(call.text)
        caption = call.params.get("caption")
        caption_units = utf16_units(caption) if isinstance(caption, str) else 0
        if units > TELEGRAM_LIMIT or caption_units > CAPTION_LIMIT:
            found.append({"method": call.method, "chat": call.chat_id, "utf16": max(units, caption_units)})
    return found


def tracebacks(path: Path) -> int:
    if not path.exists():
        return 0
    with path.open(encoding="utf-8", errors="replace") as handle:
        return sum(1 for line in handle if line.startswith("Traceback (most recent call last)"))


def error_lines(path: Path) -> int:
    if not path.exists():
        return 0
    with path.open(encoding="utf-8", errors="replace") as handle:
        return sum(1 for line in handle if line.startswith(("ERROR", "CRITICAL")))


class Gate:
    """A TCP forwarder in front of a server: `down()` refuses connections and cuts open ones until `up()`."""

    def __init__(self, target_port: int, host: str = "127.0.0.1") -> None:
        self.host, self.target_port = host, target_port
        self.port = 0
        self._server: asyncio.AbstractServer | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def up(self) -> None:
        self._server = await asyncio.start_server(self._handle, self.host, self.port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]

    async def down(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(self.host, self.target_port)
        except OSError:
            writer.transport.abort()
            return
        self._writers |= {writer, up_writer}

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, OSError, asyncio.CancelledError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            with contextlib.suppress(Exception):
                sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._writers -= {writer, up_writer}


@dataclass
class Target:
    label: str
    value: int
    goal: int = 0

    @property
    def met(self) -> bool:
        return self.value <= self.goal


def print_table(title: str, targets: list[Target], info: dict[str, Any]) -> None:
    print(f"\n{title}")
    print(f"  {'measure':<58} {'value':>8}  {'target':>6}  result")
    for t in targets:
        print(f"  {t.label:<58} {t.value:>8}  {t.goal:>6}  {'ok' if t.met else 'FAIL'}")
    for label, value in info.items():
        shown = f"{value:.1f}" if isinstance(value, float) else str(value)
        print(f"  {label:<58} {shown:>8}")


def write_results(kind: str, args: dict[str, Any], payload: dict[str, Any]) -> Path:
    out = ROOT / "bench" / "results" / f"reliability-{kind}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
        "args": args,
        **payload,
    }
    out.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str))
    print(f"written {out.relative_to(ROOT)}")
    return out


def targets_json(targets: list[Target]) -> dict[str, Any]:
    return {t.label: {"value": t.value, "target": t.goal, "met": t.met} for t in targets}


def progress(label: str, done: int, total: int, started: float, extra: str = "") -> None:
    elapsed = time.monotonic() - started
    rate = done / elapsed if elapsed > 0 else 0.0
    eta = (total - done) / rate if rate > 0 else float("nan")
    line = f"  {label}: {done}/{total} · {rate:.1f}/s · eta {eta:.0f}s {extra}"
    if sys.stdout.isatty():
        print(f"\r{line}   ", end="", flush=True)
    elif done == total or int(elapsed) % 30 < 2:  # a log file gets a line about every 30 s
        print(line, flush=True)


__all__ = ["ADMIN_ID", "ROOT", "Updates"]
