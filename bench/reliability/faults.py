"""Reliability under faults: real `realty bot` and `realty worker` processes while their dependencies fail.

    uv run python bench/reliability/faults.py [--leads 12] [--only db,botapi,openai,worker] [--keep]
    uv run python bench/reliability/faults.py --quick          # shorter phases, fewer leads and sends

Scenarios (each a fresh process at LOG_LEVEL=DEBUG on one private embedded PostgreSQL and loopback Bot API):
- openai: OPENAI_BASE_URL points at a chat-completions stand-in that answers, in turn, 429 with Retry-After,
  500, a reply later than MODEL_TIMEOUT_SECONDS, malformed tool-call arguments, an unknown tool, out-of-range
  arguments, an empty choice list and a plain reply, while leads talk to the bot.
- botapi: the bot reaches the Bot API through a TCP gate that refuses connections and cuts open ones for 20 s
  in the middle of the conversations (Telegram keeps the leads' messages meanwhile).
- db: the embedded PostgreSQL is stopped in the middle of the conversations and started again.
- worker: follow-ups due now in the sends ledger; `realty worker` is killed with SIGKILL while a message is
  in flight (delivered, not yet recorded), then restarted, until the ledger is drained.

Every lead message carries a reference "(ref ...)"; its replies are the bot's messages to that chat before
the lead's next message. Counted per message: unanswered, answered only with the apology, handled twice (an
apology and an answer, the same answer twice, or the inbound message stored twice). For the worker: messages
delivered twice, and lost (the ledger says sent but Telegram never got it, or still pending at the end).
Logs of every process are scanned for tokens, API keys, the leads' phones and e-mails.
Writes bench/results/reliability-faults-*.json.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import secrets as random_secrets
import signal
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pydantic import SecretStr
from sqlalchemy import text

from agent.adapters.crypto import LeadBotTokens
from agent.settings import Settings
from bench.reliability import logscan
from bench.reliability.harness import (
    Gate,
    RealtyProcess,
    Replies,
    Stack,
    Target,
    Updates,
    error_lines,
    fake_bot_token,
    open_stack,
    oversized,
    print_table,
    process_env,
    start_realty,
    targets_json,
    tracebacks,
    wait_polling,
    write_results,
)
from bench.reliability.hostile import FuzzLead, make_leads
from prompts import reply
from storage.models import Tenant
from tests.fakes.openai_api import Answer, FakeOpenAI, completion, error, tool_call

LANGUAGES = ("en", "ru", "fa", "ar")
APOLOGIES = frozenset(reply(lang, "sorry") for lang in LANGUAGES)
QUESTIONS = (
    "Do you have villas in Canggu?",
    "What about three bedrooms and a pool?",
    "How far is it from the beach?",
    "Can you show me something cheaper?",
    "Is the price negotiable?",
)
REF = re.compile(r"\(ref ([a-z]+-r\d+x\d+)\)")


@dataclass
class Sent:
    ref: str
    lead: int
    phase: str
    first_reply_index: int
    replies: list[str] = field(default_factory=list)


class Chatter:
    """Leads that each send a message, wait for the answer (or `reply_wait` s), pause, and go on until stopped."""

    def __init__(
        self, stack: Stack, replies: Replies, leads: list[int], reply_wait: float, label: str
    ) -> None:
        self.stack, self.replies, self.leads = stack, replies, leads
        self.reply_wait, self.label = reply_wait, label
        self.phase = "before"
        self.sent: list[Sent] = []
        self.stopping = asyncio.Event()
        self.updates = Updates()

    @staticmethod
    def _body(lead: FuzzLead, index: int, ref: str) -> str:
        """/start, then the lead's phone and e-mail (personal data the logs must not show), then questions."""
        if index == 0:
            return "/start"
        if index == 1:
            return f"My phone number is {lead.identity.phone} (ref {ref})"
        if index == 2:
            return f"My e-mail is {lead.identity.email} (ref {ref})"
        return f"{QUESTIONS[index % len(QUESTIONS)]} (ref {ref})"

    async def _lead(self, lead: FuzzLead, number: int) -> None:
        user = lead.user_id
        rng = random.Random(f"{self.label}:{user}")
        mine: list[Sent] = []
        index = 0
        while not self.stopping.is_set():
            ref = f"{self.label}-r{number}x{index}"  # unique across scenarios on the one database
            body = self._body(lead, index, ref)
            seen = self.replies.count(user)
            if mine:
                mine[-1].replies = [
                    c.text for c in self.replies.by_chat[user][mine[-1].first_reply_index : seen]
                ]
            sent = Sent(ref, user, self.phase, seen)
            mine.append(sent)
            self.sent.append(sent)
            self.stack.api.queue_update(
                self.stack.lead_token,
                self.updates.text(user, body, language_code="en", first_name=lead.first_name),
            )
            if await self.replies.wait_new(user, seen, self.reply_wait):
                await self.replies.settle(user)
            await asyncio.sleep(rng.uniform(0.3, 1.5))
            index += 1
        await asyncio.sleep(2)
        if mine:
            mine[-1].replies = [c.text for c in self.replies.by_chat[user][mine[-1].first_reply_index :]]

    async def run(self) -> None:
        await asyncio.gather(*(self._lead(lead, n) for n, lead in enumerate(self.leads)))


def classify(sent: Sent) -> str:
    texts = [t for t in sent.replies if t]
    apologies = [t for t in texts if t in APOLOGIES]
    answers = [t for t in texts if t not in APOLOGIES]
    if not sent.replies:
        return "unanswered"
    if apologies and answers:
        return "handled_twice"
    if len(apologies) > 1 or any(count > 1 for count in Counter(answers).values()):
        return "handled_twice"
    if apologies:
        return "apology_only"
    return "answered"


async def stored_twice(stack: Stack, refs: set[str]) -> int:
    """Inbound messages with one of these references stored on a lead's timeline more than once."""
    async with stack.database.session() as session:
        rows = await session.execute(
            text(
                "SELECT text FROM lead_interactions WHERE tenant_id = :t AND direction = 'inbound' "
                "AND text LIKE '%(ref %'"
            ),
            {"t": stack.tenant_id},
        )
        counts = Counter(m.group(1) for (body,) in rows for m in [REF.search(body or "")] if m)
    return sum(n - 1 for ref, n in counts.items() if ref in refs and n > 1)


def outcome_table(chatter: Chatter) -> dict[str, dict[str, int]]:
    table: dict[str, Counter[str]] = {}
    for sent in chatter.sent:
        table.setdefault(sent.phase, Counter())[classify(sent)] += 1
    return {phase: dict(counts) for phase, counts in table.items()}


@dataclass
class Scenario:
    name: str
    targets: list[Target]
    info: dict[str, Any]
    details: dict[str, Any] = field(default_factory=dict)


async def conversation_scenario(
    stack: Stack,
    replies: Replies,
    name: str,
    first_user: int,
    args: argparse.Namespace,
    env: dict[str, str],
    fault: Callable[[Chatter], Awaitable[None]],
    secrets: logscan.Secrets,
) -> tuple[Chatter, RealtyProcess, dict[str, Any]]:
    """Start a bot, let leads talk, run `fault` (which moves the phases), stop the talk, stop the bot."""
    since = len(stack.api.calls)
    bot = await start_realty(stack, f"bot-{name}", ["bot", "--web-port", "0"], env)
    await wait_polling(stack, bot, since=since)
    leads = make_leads(args.seed, args.leads, first_user_id=first_user)
    secrets.phones += [lead.identity.national_digits for lead in leads]
    secrets.emails += [lead.identity.email for lead in leads]
    chatter = Chatter(stack, replies, leads, args.reply_wait, name)
    talk = asyncio.create_task(chatter.run())
    await fault(chatter)
    chatter.stopping.set()
    await talk
    alive = bot.alive
    code = await bot.terminate()
    facts = {
        "bot process alive at the end": alive,
        "bot exit code after SIGTERM": code,
        "tracebacks": tracebacks(bot.stderr) + tracebacks(bot.stdout),
        "ERROR lines": error_lines(bot.stderr) + error_lines(bot.stdout),
        "messages sent": len(chatter.sent),
    }
    return chatter, bot, facts


def common_targets(chatter: Chatter, facts: dict[str, Any], phases: tuple[str, ...]) -> list[Target]:
    outcomes = Counter(classify(s) for s in chatter.sent if s.phase in phases)
    return [
        Target(
            "crashes (process exits + tracebacks)",
            (0 if facts["bot process alive at the end"] else 1) + facts["tracebacks"],
        ),
        Target("messages unanswered", outcomes["unanswered"]),
        Target("messages answered only with the apology", outcomes["apology_only"]),
        Target("messages handled twice (by the replies)", outcomes["handled_twice"]),
    ]


async def scenario_openai(
    stack: Stack, replies: Replies, args: argparse.Namespace, secrets: logscan.Secrets
) -> Scenario:
    key = "sk-fuzz-" + random_secrets.token_urlsafe(24)
    secrets.tokens.append(key)
    timeout = 4.0
    kinds = ["429 retry-after", "500", "timeout", "malformed tool args", "unknown tool", "out-of-range args",
             "empty choices", "plain reply"]  # fmt: skip
    answers = [
        error(429, "Rate limit reached", {"retry-after": "1"}),
        error(500, "internal error"),
        Answer(delay=timeout + 2, body=completion("too late")),
        completion(tool_calls=[tool_call("capture_contact", '{"phone": "+1 (555", "email":')]),
        completion(tool_calls=[tool_call("transfer_all_leads", {"to": "attacker"})]),
        completion(tool_calls=[tool_call("update_preferences", {"budget_max": "lots", "bedrooms": -3})]),
        Answer(body={"id": "x", "object": "chat.completion", "choices": []}),
        completion("Happy to help: which area do you like best?"),
    ]

    class Cycle:
        def __init__(self) -> None:
            self.served: Counter[str] = Counter()
            self.index = 0

        def __bool__(self) -> bool:
            return True

        def popleft(self) -> Answer:
            chosen = answers[self.index % len(answers)]
            self.served[kinds[self.index % len(answers)]] += 1
            self.index += 1
            return chosen if isinstance(chosen, Answer) else Answer(body=chosen)

    cycle = Cycle()
    async with FakeOpenAI() as model:
        model.answers = cycle  # type: ignore[assignment]
        env = process_env(
            stack, OPENAI_API_KEY=key, OPENAI_BASE_URL=model.base_url,
            MODEL_TIMEOUT_SECONDS=str(timeout), MODEL_MAX_RETRIES="1",
        )  # fmt: skip

        async def fault(chatter: Chatter) -> None:
            chatter.phase = "faulty model"
            await asyncio.sleep(args.model_seconds)

        chatter, _, facts = await conversation_scenario(
            stack, replies, "openai", 5_200_000_000, args, env, fault, secrets
        )
    targets = common_targets(chatter, facts, ("faulty model",))
    facts |= {"model requests": len(model.requests), "model answers by kind": dict(cycle.served)}
    return Scenario("openai", targets, facts, {"outcomes": outcome_table(chatter)})


async def scenario_botapi(
    stack: Stack, replies: Replies, args: argparse.Namespace, secrets: logscan.Secrets
) -> Scenario:
    gate = Gate(stack.api.port)
    await gate.up()
    env = process_env(stack, bot_api_url=f"http://127.0.0.1:{gate.port}/bot")

    async def fault(chatter: Chatter) -> None:
        await asyncio.sleep(args.before)
        chatter.phase = "bot api down"
        await gate.down()
        await asyncio.sleep(args.api_down)
        await gate.up()
        chatter.phase = "after"
        await asyncio.sleep(args.after)

    chatter, _, facts = await conversation_scenario(
        stack, replies, "botapi", 5_300_000_000, args, env, fault, secrets
    )
    await gate.down()
    targets = common_targets(chatter, facts, ("before", "bot api down", "after"))
    return Scenario("botapi", targets, facts, {"outcomes": outcome_table(chatter)})


async def scenario_db(
    stack: Stack, replies: Replies, args: argparse.Namespace, secrets: logscan.Secrets
) -> Scenario:
    async def fault(chatter: Chatter) -> None:
        await asyncio.sleep(args.before)
        chatter.phase = "db down"
        await stack.stop_postgres()
        await asyncio.sleep(args.db_down)
        await stack.start_postgres()
        chatter.phase = "after"
        await asyncio.sleep(args.after)

    chatter, _, facts = await conversation_scenario(
        stack, replies, "db", 5_400_000_000, args, env_for(stack), fault, secrets
    )
    twice_stored = await stored_twice(stack, {s.ref for s in chatter.sent})
    outcomes = Counter(classify(s) for s in chatter.sent)
    after = [s for s in chatter.sent if s.phase == "after"]
    first_after = {}
    for s in after:
        first_after.setdefault(s.lead, s)
    targets = [
        Target(
            "crashes (process exits + tracebacks)",
            (0 if facts["bot process alive at the end"] else 1) + facts["tracebacks"],
        ),
        Target(
            "updates lost (unanswered, or only the apology)",
            outcomes["unanswered"] + outcomes["apology_only"],
        ),
        Target("updates handled twice (replies, or stored twice)", outcomes["handled_twice"] + twice_stored),
        Target(
            "first turn after the restart failed (per lead)",
            sum(1 for s in first_after.values() if classify(s) != "answered"),
        ),
    ]
    facts |= {"inbound stored twice": twice_stored, "db down seconds": args.db_down}
    return Scenario("db", targets, facts, {"outcomes": outcome_table(chatter)})


def env_for(stack: Stack) -> dict[str, str]:
    return process_env(stack)


async def seed_worker_ledger(stack: Stack, token: str, count: int) -> int:
    """A tenant of its own (never in quiet hours now) with `count` leads, each with one follow-up due now."""
    now = datetime.now(UTC)
    quiet_start = (now + timedelta(hours=12)).time().replace(second=0, microsecond=0)
    quiet_end = (now + timedelta(hours=12, minutes=1)).time().replace(second=0, microsecond=0)
    async with stack.database.session() as session:
        tenant = Tenant(
            name="Fault Homes", slug="faults-worker", lead_bot_username="faults_bot",
            time_zone="UTC", quiet_hours_start=quiet_start, quiet_hours_end=quiet_end, ghost_after_minutes=120,
        )  # fmt: skip
        settings = Settings(_env_file=None, token_encryption_key=SecretStr(stack.token_key))  # type: ignore[call-arg]
        LeadBotTokens(settings).store(tenant, token)
        session.add(tenant)
        await session.flush()
        await session.execute(
            text(
                """
                WITH new_leads AS (
                    INSERT INTO leads (tenant_id, telegram_user_id, telegram_chat_id, name, language, status,
                        message_count, voice_message_count, qr_scan_count, catalog_views, total_interactions,
                        urgency_mentions, specific_questions, lead_score, temperature, score_confidence,
                        urgency_score, fomo_messages_sent, ghost_reminder_sent, opted_out, extra,
                        last_inbound_at)
                    SELECT :t, 5500000000 + g, 5500000000 + g, 'Worker lead ' || g, 'en', 'qualifying',
                        0, 0, 0, 0, 0, 0, 0, 0, 'warm', 0, 0, 0, false, false, '{}', :inbound
                    FROM generate_series(1, :n) g
                    RETURNING id
                )
                INSERT INTO followup_sends (tenant_id, lead_id, step_key, channel, status, due_at, text, created_at)
                SELECT :t, id, 'bench:kill', 'telegram', 'pending', :due, 'Follow-up for lead ' || id, :created
                FROM new_leads
                """
            ),
            {
                "t": tenant.id, "n": count, "inbound": now - timedelta(days=1),
                "due": now - timedelta(minutes=1), "created": now - timedelta(minutes=2),
            },
        )  # fmt: skip
        return tenant.id


async def ledger(stack: Stack, tenant_id: int) -> list[tuple[str, int]]:
    async with stack.database.session() as session:
        rows = await session.execute(
            text(
                "SELECT s.status, l.telegram_chat_id FROM followup_sends s JOIN leads l ON l.id = s.lead_id "
                "WHERE s.tenant_id = :t"
            ),
            {"t": tenant_id},
        )
        return [(status, chat) for status, chat in rows]


async def scenario_worker(
    stack: Stack, replies: Replies, args: argparse.Namespace, secrets: logscan.Secrets
) -> Scenario:
    token = fake_bot_token(random.Random(f"worker:{args.seed}"))
    secrets.tokens.append(token)
    tenant_id = await seed_worker_ledger(stack, token, args.sends)
    kill_after = sorted({max(1, round(args.sends * f)) for f in (0.1, 0.4, 0.7)[: args.kills]})
    current: list[RealtyProcess] = []
    delivered: Counter[int] = Counter()
    killed_at: list[int] = []
    original = stack.api.answer

    async def answer(token_: str, method: str, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        result = await original(token_, method, params, files)
        if token_ == token and method == "sendMessage" and result[0] == 200:
            delivered[int(params["chat_id"])] += 1
            total = sum(delivered.values())
            if total in kill_after and total not in killed_at and current and current[-1].alive:
                killed_at.append(total)  # delivered, but the worker dies before it can record the message id
                await current[-1].kill()
            else:
                await asyncio.sleep(args.send_delay)
        return result

    stack.api.answer = answer  # type: ignore[method-assign]
    env = process_env(stack, REGISTRY_BOT_TOKEN="")
    began = time.monotonic()
    starts = 0
    try:
        while time.monotonic() - began < args.worker_seconds:
            if not current or not current[-1].alive:
                starts += 1
                current.append(await start_realty(stack, f"worker-{starts}", ["worker"], env))
            rows = await ledger(stack, tenant_id)
            if not any(status in ("pending", "held") for status, _ in rows):
                break
            await asyncio.sleep(1)
    finally:
        codes = [await p.terminate() for p in current if p.alive]
        stack.api.answer = original  # type: ignore[method-assign]
    rows = await ledger(stack, tenant_id)
    statuses = Counter(status for status, _ in rows)
    twice = sum(n - 1 for n in delivered.values() if n > 1)
    lost_sent = sum(1 for status, chat in rows if status == "sent" and delivered[chat] == 0)
    pending = statuses["pending"] + statuses["held"]
    in_flight = [(status, chat) for status, chat in rows if status in ("claimed", "unknown")]
    traces = sum(tracebacks(p.stderr) + tracebacks(p.stdout) for p in current)
    targets = [
        Target("follow-ups delivered twice", twice),
        Target("follow-ups lost (ledger 'sent', never delivered)", lost_sent),
        Target("follow-ups never sent (still pending at the end)", pending),
        # At-most-once by design: a row claimed when its worker died is never resent, so it may never arrive.
        Target(
            "follow-ups lost in flight (claimed at a kill, never delivered)",
            sum(1 for _, chat in in_flight if not delivered[chat]),
        ),
        Target("tracebacks (killed workers excluded: no output)", traces),
    ]
    info = {
        "follow-ups due": args.sends,
        "workers killed with SIGKILL": len(killed_at),
        "killed after delivery number": killed_at,
        "worker processes started": starts,
        "ledger by status": dict(statuses),
        "in flight at a kill (claimed/unknown): delivered": sum(1 for _, c in in_flight if delivered[c]),
        "in flight at a kill (claimed/unknown): not delivered": sum(
            1 for _, c in in_flight if not delivered[c]
        ),
        "last worker exit code after SIGTERM": codes[-1] if codes else None,
        "seconds": time.monotonic() - began,
    }
    return Scenario("worker", targets, info)


SCENARIOS = {
    "openai": scenario_openai,
    "botapi": scenario_botapi,
    "db": scenario_db,
    "worker": scenario_worker,
}


async def main(args: argparse.Namespace) -> int:
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    print(f"reliability faults · scenarios {', '.join(chosen)} · {args.leads} leads · seed {args.seed}")
    results: list[Scenario] = []
    async with open_stack(args.seed, keep=args.keep) as stack:
        secrets = logscan.Secrets(tokens=[stack.lead_token, stack.team_token, stack.token_key])
        replies = Replies(stack.api)
        for name in chosen:
            print(f"  scenario {name}…", flush=True)
            started = time.monotonic()
            try:
                scenario = await SCENARIOS[name](stack, replies, args, secrets)
            except Exception as exc:  # a harness failure is reported, and the other scenarios still run
                scenario = Scenario(name, [Target("scenario could not run", 1)], {"error": repr(exc)})
            scenario.info["scenario seconds"] = time.monotonic() - started
            print_table(f"faults: {name}", scenario.targets, scenario.info)
            if scenario.details.get("outcomes"):
                print("  outcomes by phase:", scenario.details["outcomes"])
            results.append(scenario)
        secrets.save(stack.base / "secrets.json")
        over = oversized(stack.api)
        scan = logscan.Scanner(secrets).scan(sorted(stack.logs.glob("*.log")))
    overall = [
        Target("replies over 4,096 UTF-16 units (all scenarios)", len(over)),
        Target("log lines with secrets or personal data (all scenarios)", scan.lines_with_secrets()),
    ]
    print_table("faults: all scenarios", overall, {})
    logscan.report(scan)
    write_results(
        "faults",
        vars(args),
        {
            "scenarios": {
                s.name: {"targets": targets_json(s.targets), "info": s.info, **s.details} for s in results
            },
            "targets": targets_json(overall),
            "logs": logscan.summary(scan),
        },
    )
    met = all(t.met for s in results for t in s.targets) and all(t.met for t in overall)
    return 0 if met else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", default="openai,botapi,db,worker", help="Comma-separated scenarios.")
    parser.add_argument("--leads", type=int, default=12, help="Leads talking at once in each scenario.")
    parser.add_argument("--before", type=float, default=20.0, help="Seconds of talk before a fault.")
    parser.add_argument("--after", type=float, default=40.0, help="Seconds of talk after it.")
    parser.add_argument(
        "--api-down", type=float, default=20.0, help="Seconds the Bot API refuses connections."
    )
    parser.add_argument("--db-down", type=float, default=20.0, help="Seconds PostgreSQL is stopped.")
    parser.add_argument(
        "--model-seconds", type=float, default=60.0, help="Seconds of talk on the faulty model."
    )
    parser.add_argument(
        "--reply-wait", type=float, default=90.0, help="Seconds a lead waits for each answer."
    )
    parser.add_argument("--sends", type=int, default=200, help="Follow-ups due in the worker scenario.")
    parser.add_argument("--kills", type=int, default=3, choices=(1, 2, 3), help="SIGKILLs of the worker.")
    parser.add_argument(
        "--send-delay", type=float, default=0.05, help="Seconds the Bot API takes per follow-up."
    )
    parser.add_argument(
        "--worker-seconds", type=float, default=300.0, help="Give up draining after this long."
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--quick", action="store_true", help="A few minutes: 4 leads, short phases, 40 sends."
    )
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder (logs, secrets.json).")
    arguments = parser.parse_args()
    if arguments.quick:
        arguments.leads, arguments.before, arguments.after = 4, 8.0, 15.0
        arguments.db_down, arguments.model_seconds, arguments.reply_wait = 10.0, 20.0, 45.0
        arguments.sends, arguments.kills, arguments.worker_seconds = 40, 2, 180.0
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(asyncio.run(main(arguments)))
