"""Reliability fuzz: hostile messages through a real `realty bot` process on the loopback Bot API.

    uv run python bench/reliability/fuzz.py [--messages 10000] [--per-lead 50] [--concurrency 20] [--seed 13]
    uv run python bench/reliability/fuzz.py --quick          # ~300 messages, about two minutes

Each fuzz lead (seeded, see hostile.py) first states its name, budget, phone and e-mail plainly, then sends
hostile texts one at a time, waiting for the answer and at most one every --interval seconds (under the
bot's flood guard of 30 a minute): bidi and zero-width characters, NUL and control
characters, 100k-character messages, Persian and Arabic digits, SQL, HTML, MarkdownV2, other people's phones
and e-mails, prompt injections, tool-call-looking JSON, budgets and dates that look like phones, deep links.
The bot runs as its own OS process (`realty bot`, polling, team bot and job worker included) at
LOG_LEVEL=DEBUG against a private embedded PostgreSQL in a temporary folder; Telegram is evals/bot_api.py
served over HTTP; the model is the offline one.

Counted (targets: all 0): crashes (the process exits, or a traceback in its output), unanswered messages (no
reply within --reply-timeout), replies over 4,096 UTF-16 units (captions over 1,024), cross-lead leaks (a
reply to one lead carries another fuzz lead's name, phone or e-mail), corrupted fields (name, phone, e-mail or
budget different at the end from what they were after the lead stated them, unless a message was meant to
change that field), and secrets or personal data in the logs. Writes bench/results/reliability-fuzz-*.json.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.reliability import logscan
from bench.reliability.harness import (
    Replies,
    Stack,
    Target,
    Updates,
    error_lines,
    message_texts,
    open_stack,
    oversized,
    print_table,
    process_env,
    progress,
    start_realty,
    targets_json,
    tracebacks,
    wait_polling,
    write_results,
)
from bench.reliability.hostile import CATEGORIES, FuzzLead, Hostile, make_others, opening, plan

_NUMBER_RUN = re.compile(r"\d[\d\s().\-/]{6,}\d")
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


@dataclass
class Tally:
    sent: int = 0
    not_sent: int = 0
    hostile_sent: int = 0
    unanswered: list[dict[str, Any]] = field(default_factory=list)
    by_category: Counter[str] = field(default_factory=Counter)
    unanswered_by_category: Counter[str] = field(default_factory=Counter)
    snapshots: dict[int, dict[str, Any] | None] = field(default_factory=dict)
    sent_texts: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    expected: dict[int, dict[str, Any]] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    slowest: list[dict[str, Any]] = field(default_factory=list)
    """The slowest answered messages (what the bot was busy with when others waited)."""
    corrupted: list[dict[str, Any]] = field(default_factory=list)

    def check(
        self,
        lead: FuzzLead,
        expected: dict[str, Any],
        now: dict[str, Any],
        may_change: frozenset[str],
        category: str,
        text: str,
    ) -> None:
        """A tracked field that differs from the expected profile is corrupted, unless this message meant it."""
        for name, value in now.items():
            if value == expected[name]:
                continue
            if name not in may_change:
                earlier = self.sent_texts[lead.user_id][-2:-1]  # a late commit of the turn before shows here
                self.corrupted.append(
                    {"lead": lead.user_id, "field": name, "category": category, "message": text[:160],
                     "was": repr(expected[name]), "now": repr(value),
                     "message_before": earlier[0][:160] if earlier else None}
                )  # fmt: skip
            expected[name] = value  # reported once; later messages are judged against the new value


@dataclass
class Fuzz:
    stack: Stack
    replies: Replies
    bot: Any
    reply_timeout: float
    deadline: float = float("inf")
    interval: float = 2.1
    """At least this long between two messages of one lead: faster than any person types, and under the lead
    bot's flood guard (30 messages a minute per user; what goes over it is dropped, with one notice a minute),
    so the fuzz measures hostile content rather than the flood guard."""
    began: float = field(default_factory=time.monotonic)
    tally: Tally = field(default_factory=Tally)
    last_sent: dict[int, float] = field(default_factory=dict)
    updates: Updates = field(default_factory=Updates)

    async def say(self, lead: FuzzLead, text: str, category: str) -> None:
        if not self.bot.alive or time.monotonic() > self.deadline:
            self.tally.not_sent += 1
            return
        wait = self.last_sent.get(lead.user_id, -self.interval) + self.interval - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        self.last_sent[lead.user_id] = time.monotonic()
        update = self.updates.text(
            lead.user_id, text, language_code=lead.language_code, first_name=lead.first_name
        )
        seen = self.replies.count(lead.user_id)
        self.tally.sent_texts[lead.user_id].append(text)
        self.stack.api.queue_update(self.stack.lead_token, update)
        self.tally.sent += 1
        if category != "opening":
            self.tally.hostile_sent += 1
            self.tally.by_category[category] += 1
        sent_at = time.monotonic()
        if await self.replies.wait_new(lead.user_id, seen, self.reply_timeout):
            latency = time.monotonic() - sent_at
            self.tally.latencies.append(latency)
            self.tally.slowest.append(
                {"seconds": round(latency, 2), "category": category, "chars": len(text), "lead": lead.user_id,
                 "at": round(sent_at - self.began, 1)}
            )  # fmt: skip
            self.tally.slowest = sorted(self.tally.slowest, key=lambda s: -s["seconds"])[:15]
            await self.replies.settle(lead.user_id)
        else:
            self.tally.unanswered_by_category[category] += 1
            self.tally.unanswered.append(
                {
                    "lead": lead.user_id,
                    "category": category,
                    "chars": len(text),
                    "update": update["update_id"],
                    "nth": len(self.tally.sent_texts[lead.user_id]),  # which of the lead's messages
                    "at": round(sent_at - self.began, 1),
                }
            )

    async def run_lead(self, lead: FuzzLead, hostiles: list[Hostile]) -> None:
        for line in opening(lead):
            await self.say(lead, line, "opening")
        row = await self.stack.lead_row(lead.user_id)
        self.tally.snapshots[lead.user_id] = row
        if row is None:
            return
        expected = _fields(row)
        for hostile in hostiles:
            await self.say(lead, hostile.text, hostile.category)
            now = await self.stack.lead_row(lead.user_id)
            if now is not None:
                self.tally.check(
                    lead, expected, _fields(now), hostile.may_change, hostile.category, hostile.text
                )
        self.tally.expected[lead.user_id] = expected


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def _budget(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["budget_min"], row["budget_max"], row["budget_currency"], row["budget_period"])


def _fields(row: dict[str, Any]) -> dict[str, Any]:
    return {"name": row["name"], "phone": row["phone"], "email": row["email"], "budget": _budget(row)}


def _opening_not_stored(lead: FuzzLead, row: dict[str, Any]) -> list[str]:
    stated = {
        "name": row["name"] == lead.identity.name,
        "phone": row["phone"] == lead.identity.phone,
        "email": (row["email"] or "").lower() == lead.identity.email,
        "budget": row["budget_max"] is not None and int(row["budget_max"]) == lead.budget,
    }
    return [name for name, ok in stated.items() if not ok]


async def final_check(
    stack: Stack, work: list[tuple[FuzzLead, list[Hostile]]], tally: Tally
) -> tuple[Counter[str], int]:
    """Changes after the last message was answered; what the opening failed to store; lead rows missing."""
    not_stored: Counter[str] = Counter()
    missing = 0
    for lead, _ in work:
        before = tally.snapshots.get(lead.user_id)
        after = await stack.lead_row(lead.user_id)
        if before is None or after is None:
            missing += 1
            continue
        not_stored.update(_opening_not_stored(lead, before))
        expected = tally.expected.get(lead.user_id)
        if expected is not None:
            tally.check(lead, expected, _fields(after), frozenset(), "after the last reply", "")
    return not_stored, missing


def cross_lead_leaks(
    work: list[tuple[FuzzLead, list[Hostile]]], replies: Replies, tally: Tally
) -> list[dict[str, Any]]:
    """Replies to one fuzz lead that carry another fuzz lead's surname, e-mail or phone (which it never sent)."""
    owner: dict[str, int] = {}
    for lead, _ in work:
        owner[lead.surname.lower()] = lead.user_id
        owner[lead.identity.email.lower()] = lead.user_id
    words = re.compile("|".join(re.escape(key) for key in sorted(owner, key=len, reverse=True)))
    phones = {lead.identity.national_digits: lead.user_id for lead, _ in work}
    lengths = sorted({len(p) for p in phones})
    leaks = []
    for lead, _ in work:
        sent = "\n".join(tally.sent_texts[lead.user_id]).lower()
        sent_digits = re.sub(r"\D", "", sent.translate(_DIGITS))
        for call in replies.by_chat.get(lead.user_id, []):
            for shown in message_texts(call):
                hits = [(m.group(), "name_or_email", owner[m.group()]) for m in words.finditer(shown.lower())]
                for run in _NUMBER_RUN.finditer(shown.translate(_DIGITS)):
                    digits = re.sub(r"\D", "", run.group())
                    for n in lengths:
                        for i in range(len(digits) - n + 1):
                            if digits[i : i + n] in phones:
                                hits.append((digits[i : i + n], "phone", phones[digits[i : i + n]]))
                for datum, kind, other in hits:
                    if other != lead.user_id and datum not in sent and datum not in sent_digits:
                        leaks.append({"to_lead": lead.user_id, "from_lead": other, "kind": kind})
    return leaks


async def main(args: argparse.Namespace) -> int:
    skip = frozenset(name.strip() for name in args.skip.split(",") if name.strip())
    unknown = skip - set(CATEGORIES)
    if unknown:
        raise SystemExit(f"unknown categories {sorted(unknown)}; known: {', '.join(CATEGORIES)}")
    work = plan(args.seed, args.messages, args.per_lead, skip)
    others = make_others(args.seed)
    print(
        f"reliability fuzz · {args.messages} hostile messages over {len(work)} leads "
        f"(+{5 * len(work)} opening messages) · {args.concurrency} leads at once · seed {args.seed}"
    )
    async with open_stack(args.seed, keep=args.keep) as stack:
        secrets = logscan.Secrets(
            tokens=[stack.lead_token, stack.team_token, stack.token_key],
            phones=[lead.identity.national_digits for lead, _ in work] + [o.national_digits for o in others],
            emails=[lead.identity.email for lead, _ in work] + [o.email for o in others],
        )
        secrets.save(stack.base / "secrets.json")
        replies = Replies(stack.api)
        bot = await start_realty(stack, "bot", ["bot", "--web-port", "0"], process_env(stack))
        await wait_polling(stack, bot)
        fuzz = Fuzz(
            stack, replies, bot, args.reply_timeout, time.monotonic() + args.max_minutes * 60, args.interval
        )
        gate = asyncio.Semaphore(args.concurrency)
        began = time.monotonic()
        total = args.messages + 5 * len(work)

        async def one(lead: FuzzLead, hostiles: list[Hostile]) -> None:
            async with gate:
                await fuzz.run_lead(lead, hostiles)

        async def show_progress() -> None:
            while True:
                progress(
                    "messages", fuzz.tally.sent, total, began, f"unanswered {len(fuzz.tally.unanswered)}"
                )
                await asyncio.sleep(2)

        ticker = asyncio.create_task(show_progress())
        try:
            await asyncio.gather(*(one(lead, hostiles) for lead, hostiles in work))
        finally:
            ticker.cancel()
        died = None if bot.alive else f"realty bot exited with {bot.process.returncode}"
        if died is None and fuzz.tally.not_sent:
            died = f"--max-minutes {args.max_minutes} reached"
        elapsed = time.monotonic() - began
        progress("messages", fuzz.tally.sent, total, began)
        print()
        alive_at_end = bot.alive
        not_stored, missing = await final_check(stack, work, fuzz.tally)
        corrupted = fuzz.tally.corrupted
        leaks = cross_lead_leaks(work, replies, fuzz.tally)
        exit_code = await bot.terminate()
        over = oversized(stack.api)
        scan = logscan.Scanner(secrets).scan(sorted(stack.logs.glob("*.log")))
        traces = tracebacks(bot.stderr) + tracebacks(bot.stdout)
        crashes = (0 if alive_at_end else 1) + traces
        targets = [
            Target("crashes (process exits + tracebacks in its output)", crashes),
            Target("unanswered messages", len(fuzz.tally.unanswered)),
            Target("replies over 4,096 UTF-16 units (captions 1,024)", len(over)),
            Target("cross-lead leaks", len(leaks)),
            Target("corrupted fields (changed, not meant)", len(corrupted)),
            Target("log lines with secrets or personal data", scan.lines_with_secrets()),
        ]
        info = {
            "messages sent (opening + hostile)": fuzz.tally.sent,
            "hostile messages sent": fuzz.tally.hostile_sent,
            "fuzz leads": len(work),
            "seconds": elapsed,
            "messages/s": fuzz.tally.sent / elapsed if elapsed else 0.0,
            "reply latency p50 s": _percentile(fuzz.tally.latencies, 0.5),
            "reply latency p95 s": _percentile(fuzz.tally.latencies, 0.95),
            "reply latency max s": max(fuzz.tally.latencies, default=0.0),
            "bot process alive at the end": alive_at_end,
            "bot exit code after SIGTERM": exit_code,
            "ERROR lines in the bot's output": error_lines(bot.stderr) + error_lines(bot.stdout),
            "messages not sent (bot exited or --max-minutes)": fuzz.tally.not_sent,
            "lead rows missing": missing,
            **{f"opening not stored as stated: {name}": n for name, n in sorted(not_stored.items())},
        }
        print_table("reliability fuzz", targets, info)
        print("  slowest answered:", [(s["category"], s["seconds"], s["at"]) for s in fuzz.tally.slowest[:5]])
        if fuzz.tally.unanswered_by_category:
            print("  unanswered by category:", dict(fuzz.tally.unanswered_by_category))
        if corrupted:
            print("  corrupted fields:", dict(Counter(c["field"] for c in corrupted)))
            print("  corrupted by category:", dict(Counter(c["category"] for c in corrupted)))
        logscan.report(scan)
        if died:
            print(f"  stopped early: {died}")
        write_results(
            "fuzz",
            vars(args) | {"reply_timeout": args.reply_timeout},
            {
                "targets": targets_json(targets),
                "info": info,
                "stopped_early": died,
                "messages_by_category": dict(fuzz.tally.by_category),
                "unanswered_by_category": dict(fuzz.tally.unanswered_by_category),
                "unanswered": fuzz.tally.unanswered[:200],
                "slowest_answered": fuzz.tally.slowest,
                "corrupted": corrupted[:500],
                "corrupted_by_field": dict(Counter(c["field"] for c in corrupted)),
                "corrupted_by_category": dict(Counter(c["category"] for c in corrupted)),
                "leaks": leaks[:200],
                "oversized_replies": over[:100],
                "logs": logscan.summary(scan),
            },
        )
        return 0 if all(t.met for t in targets) else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=10_000, help="Hostile messages in all.")
    parser.add_argument("--per-lead", type=int, default=50, help="Hostile messages per fuzz lead.")
    parser.add_argument("--concurrency", type=int, default=20, help="Fuzz leads talking at once.")
    parser.add_argument("--reply-timeout", type=float, default=60.0, help="Seconds to wait for each reply.")
    parser.add_argument(
        "--interval",
        type=float,
        default=2.1,
        help="Least seconds between two messages of one lead (the bot's flood guard allows 30 a minute; 0 "
        "floods it, and what it drops counts as unanswered).",
    )
    parser.add_argument("--max-minutes", type=float, default=90.0, help="Stop sending after this long.")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--skip",
        default="",
        help="Comma-separated categories to leave out (e.g. huge_100k, to isolate its cost).",
    )
    parser.add_argument("--quick", action="store_true", help="About two minutes: 300 messages, 12 leads.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder (logs, secrets.json).")
    arguments = parser.parse_args()
    if arguments.quick:
        arguments.messages, arguments.per_lead, arguments.concurrency = 300, 25, 12
    sys.exit(asyncio.run(main(arguments)))
