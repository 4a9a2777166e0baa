"""Sales agent benchmark: per-turn overhead as a conversation grows, throughput with many concurrent
conversations, and checkpoint storage, against a bare prebuilt ReAct agent as the peer baseline.

    uv run python bench/bench_agent.py [--long-turns 200] [--long-conversations 5] [--concurrent 200] [--turns-each 5]

Both agents run the offline model, the lead tools (LEAD_TOOLS), the same AsyncPostgresSaver and the
same turn harness (advisory lock, one unit of work for inbound/outbound recording, the tools and one
rescoring); only the graph differs: ours (phases, trimmed prompt, bounded checkpoint) versus
`langchain.agents.create_agent`. The database work of a standard turn (a new lead's "villa in Canggu",
as its first and as its second message) is counted too: SQLAlchemy statements and transactions, and the
statements of the checkpointer and the turn lock (psycopg).
Runs on a private embedded PostgreSQL in a fresh temporary folder (never your data); prints a table and
writes the figures as JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage  # noqa: E402
from pydantic import Field  # noqa: E402
from sqlalchemy import event  # noqa: E402

from agent.adapters.checkpointer import conversation_store  # noqa: E402
from agent.adapters.embeddings import HashingEmbedder  # noqa: E402
from agent.adapters.models import SalesModel  # noqa: E402
from agent.adapters.offline import OfflineChatModel  # noqa: E402
from agent.core.clock import FrozenClock  # noqa: E402
from agent.services.catalog.seed import seed_demo  # noqa: E402
from agent.services.leads import (  # noqa: E402
    create_lead,
    ensure_demo_rep,
    record_inbound,
    record_outbound,
    settle,
)
from agent.services.provider import Services  # noqa: E402
from agent.settings import Settings  # noqa: E402
from graphs.sales.conversation import Inbound, run_lead_turn, thread_id  # noqa: E402
from storage.db import Database, create_database  # noqa: E402
from storage.embedded import embedded_database_url, stop_embedded_server  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Tenant  # noqa: E402
from tools import LEAD_TOOLS  # noqa: E402
from tools.context import LeadContext, LeadWork  # noqa: E402

# A long conversation: qualification, listings, questions, changes of mind, a viewing, small talk.
SCRIPT = [
    "Hi!",
    "I want to buy a villa in Canggu",
    "My budget is up to 600k USD",
    "Is the first one furnished?",
    "Does the second one have a pool?",
    "Show me more options",
    "What about Seminyak?",
    "How big is the first one?",
    "And the price of the second?",
    "I'd like to see the first one",
    "My number is +62 812 3456 7890",
    "Tomorrow at 11am",
    "Thanks!",
    "Do you also have apartments for rent in Ubud?",
    "Up to 2000 USD a month",
    "Are pets allowed in the first one?",
    "ok, thank you",
    "Is the second one still available?",
    "Great, talk later",
    "Hello again",
]


@dataclass
class Results:
    figures: dict[str, Any] = field(default_factory=dict)

    def put(self, name: str, value: Any) -> None:
        self.figures[name] = value
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"  {name:<62} {shown}", flush=True)


def percentile(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


TurnFn = Callable[[Services, int, int, str], Awaitable[None]]


class MeasuredOfflineModel(OfflineChatModel):
    """The offline model, counting what an API model would have been sent: characters per call."""

    sent: list[int] = Field(default_factory=list)

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> Any:
        size = 0
        for message in messages:
            size += (
                len(message.content) if isinstance(message.content, str) else len(json.dumps(message.content))
            )
            if isinstance(message, AIMessage) and message.tool_calls:
                size += len(json.dumps(message.tool_calls, default=str))
        self.sent.append(size)
        return super()._generate(messages, stop, run_manager, **kwargs)


async def sales_turn(services: Services, tenant_id: int, lead_id: int, text: str) -> None:
    await run_lead_turn(services, tenant_id=tenant_id, lead_id=lead_id, inbound=Inbound(text=text))


def bare_agent_turn(system_prompt: str, model: OfflineChatModel) -> TurnFn:
    """The same turn harness around `langchain.agents.create_agent` (offline model, LEAD_TOOLS, same saver)."""

    async def turn(services: Services, tenant_id: int, lead_id: int, text: str) -> None:
        from langchain.agents import create_agent

        store = await conversation_store(services)
        agent = store.graphs.get("bare")
        if agent is None:
            agent = create_agent(
                model,
                LEAD_TOOLS,
                system_prompt=system_prompt,
                context_schema=LeadContext,
                checkpointer=store.saver,
            )
            store.graphs["bare"] = agent
        thread = f"bare:{tenant_id}:{lead_id}"
        async with store.turn_lock(thread), services.database.sessionmaker() as session:
            now = services.clock.now()
            work = await LeadWork.open(session, tenant_id, lead_id)
            await record_inbound(session, work.lead, text=text, kind="text", now=now)
            state = await agent.ainvoke(
                {"messages": [HumanMessage(text)]},
                config={"configurable": {"thread_id": thread}},
                context=LeadContext(services=services, tenant_id=tenant_id, lead_id=lead_id, work=work),
            )
            last = state["messages"][-1]
            reply = last.content if isinstance(last, AIMessage) else ""
            lead = await work.locked_lead()
            await record_outbound(session, lead, text=str(reply), now=now)
            await settle(session, lead, now)
            await session.commit()

    return turn


@dataclass
class SqlCount:
    statements: int = 0
    """Through SQLAlchemy (the turn's unit of work, the tools)."""
    transactions: int = 0
    checkpointer: int = 0
    """Through psycopg: the checkpointer's (a pipelined `executemany` counts one per row)."""
    turn_lock: int = 0
    """Through psycopg: taking the turn's advisory lock."""


@contextmanager
def counting_sql(database: Database) -> Iterator[SqlCount]:
    """Count the statements and transactions sent to PostgreSQL inside the block."""
    import psycopg

    count = SqlCount()
    engine = database.engine.sync_engine

    def on_statement(*_: Any) -> None:
        count.statements += 1

    def on_begin(*_: Any) -> None:
        count.transactions += 1

    def tally(query: Any, rows: int) -> None:
        if "pg_advisory" in str(query):
            count.turn_lock += rows
        else:
            count.checkpointer += rows

    execute, executemany = psycopg.AsyncCursor.execute, psycopg.AsyncCursor.executemany

    async def counted_execute(self: Any, query: Any, params: Any = None, **kwargs: Any) -> Any:
        tally(query, 1)
        return await execute(self, query, params, **kwargs)

    async def counted_executemany(self: Any, query: Any, params_seq: Any, **kwargs: Any) -> Any:
        params_seq = list(params_seq)
        tally(query, len(params_seq))
        return await executemany(self, query, params_seq, **kwargs)

    event.listen(engine, "before_cursor_execute", on_statement)
    event.listen(engine, "begin", on_begin)
    psycopg.AsyncCursor.execute = counted_execute  # type: ignore[method-assign]
    psycopg.AsyncCursor.executemany = counted_executemany  # type: ignore[method-assign]
    try:
        yield count
    finally:
        psycopg.AsyncCursor.execute = execute  # type: ignore[method-assign]
        psycopg.AsyncCursor.executemany = executemany  # type: ignore[method-assign]
        event.remove(engine, "begin", on_begin)
        event.remove(engine, "before_cursor_execute", on_statement)


STANDARD_TURN = "villa in Canggu"
"""A qualification message: the offline model saves the preferences and searches the listings."""


async def bench_sql(
    results: Results, label: str, services: Services, turn: TurnFn, tenant: Tenant, leads: int = 5
) -> None:
    """Statements and transactions of the standard turn, as a new lead's first and as its second message."""
    for name, before in (("first", []), ("second", ["Hi!"])):
        counts = []
        for lead in await new_leads(services, tenant, leads):
            for text in before:
                await turn(services, tenant.id, lead, text)
            with counting_sql(services.database) as count:
                await turn(services, tenant.id, lead, STANDARD_TURN)
            counts.append(count)
        per_turn = {
            figure: statistics.mean(getattr(count, figure) for count in counts)
            for figure in ("statements", "transactions", "checkpointer", "turn_lock")
        }
        results.put(f"{label}: SQL statements per standard turn ({name} message)", per_turn["statements"])
        results.put(f"{label}: SQL transactions per standard turn ({name} message)", per_turn["transactions"])
        results.put(
            f"{label}: checkpointer statements per standard turn ({name} message)", per_turn["checkpointer"]
        )
        results.put(
            f"{label}: turn-lock statements per standard turn ({name} message)", per_turn["turn_lock"]
        )


async def new_leads(services: Services, tenant: Tenant, count: int) -> list[int]:
    async with services.database.session() as session:
        return [(await create_lead(session, tenant.id)).id for _ in range(count)]


PROBES = [
    "Is the first one furnished?",
    "How big is the second one?",
    "And the price of the first?",
    "ok, thank you",
    "Does the second one have a pool?",
]
"""Sent around turn 5 and again at the last turns: the same messages, so the windows compare like with like."""


def message_at(turn: int, turns: int) -> str:
    """The lead's message at `turn` (1-based) of a `turns`-long conversation."""
    if 3 <= turn <= 7:
        return PROBES[turn - 3]
    if turns - 4 <= turn <= turns:
        return PROBES[turn - (turns - 4)]
    if turn == turns - 5:
        return "Show me villas in Canggu"
    return SCRIPT[(turn - 1) % len(SCRIPT)]


async def bench_long(
    results: Results,
    services: Services,
    agents: dict[str, tuple[TurnFn, Callable[[int], str]]],
    tenant: Tenant,
    turns: int,
    conversations: int,
    models: dict[str, MeasuredOfflineModel],
) -> None:
    """Latency around turn 5 (turns 3-7) and at the end (the last 5 turns), same messages in both windows.

    The agents take turns in lockstep, so a machine shared with other work slows them alike.
    """
    store = await conversation_store(services)
    leads = {label: await new_leads(services, tenant, conversations) for label in agents}
    early: dict[str, list[float]] = {label: [] for label in agents}
    late: dict[str, list[float]] = {label: [] for label in agents}
    sent_early: dict[str, list[int]] = {label: [] for label in agents}
    sent_late: dict[str, list[int]] = {label: [] for label in agents}
    for c in range(conversations):
        for turn in range(1, turns + 1):
            text = message_at(turn, turns)
            for label, (run_turn, _) in agents.items():
                calls = len(models[label].sent)
                started = time.perf_counter()
                await run_turn(services, tenant.id, leads[label][c], text)
                elapsed = time.perf_counter() - started
                largest = max(models[label].sent[calls:], default=0)
                if 3 <= turn <= 7:
                    early[label].append(elapsed)
                    sent_early[label].append(largest)
                elif turn > turns - 5:
                    late[label].append(elapsed)
                    sent_late[label].append(largest)
    for label, (_, thread_of) in agents.items():
        for name, samples in (("turn 5", early[label]), (f"turn {turns}", late[label])):
            results.put(f"{label}: {name} p50 ms", percentile(samples, 0.5) * 1000)
            results.put(f"{label}: {name} p95 ms", percentile(samples, 0.95) * 1000)
        ratio = percentile(late[label], 0.5) / percentile(early[label], 0.5)
        results.put(f"{label}: turn {turns} / turn 5 (p50)", ratio)
        results.put(
            f"{label}: model input chars per turn at turn 5 (p50)", percentile(sent_early[label], 0.5)
        )
        results.put(
            f"{label}: model input chars per turn at turn {turns} (p50)", percentile(sent_late[label], 0.5)
        )
        stored = await store.storage_bytes(thread_of(leads[label][0]))
        results.put(f"{label}: checkpoint bytes after {turns} turns (one conversation)", stored)


async def bench_concurrent(
    results: Results,
    label: str,
    services: Services,
    turn: TurnFn,
    tenant: Tenant,
    conversations: int,
    turns_each: int,
) -> float:
    leads = await new_leads(services, tenant, conversations)
    latencies: list[float] = []

    async def converse(lead: int) -> None:
        for i in range(turns_each):
            started = time.perf_counter()
            await turn(services, tenant.id, lead, SCRIPT[i % len(SCRIPT)])
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(converse(lead) for lead in leads))
    elapsed = time.perf_counter() - started
    rate = len(latencies) / elapsed
    results.put(f"{label}: {conversations} concurrent conversations, turns/s", rate)
    results.put(f"{label}: latency under load p50 ms", percentile(latencies, 0.5) * 1000)
    results.put(f"{label}: latency under load p95 ms", percentile(latencies, 0.95) * 1000)
    return rate


async def main(args: argparse.Namespace) -> None:
    results = Results()
    base = Path(tempfile.mkdtemp(prefix="realty-bench-", dir="/tmp"))
    try:
        url = await asyncio.to_thread(embedded_database_url, base)
        settings = Settings(_env_file=None, database_url=url, realty_data_dir=base, db_pool_size=args.pool)  # type: ignore[call-arg]
        database = create_database(url, pool_size=args.pool)
        await upgrade(database)
        clock = FrozenClock(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
        services = Services(settings=settings, database=database, clock=clock, embedder=HashingEmbedder())
        async with database.session() as session:
            report = await seed_demo(session, services.embedder)  # type: ignore[arg-type]
            tenant = await session.get(Tenant, report.tenant_id)
            assert tenant is not None
            await ensure_demo_rep(session, tenant)
        await conversation_store(services)
        from prompts import pack

        bare_prompt = pack("en").system.format(
            tenant_name=tenant.name, profile="-", areas="-", listings="-", phase="any", phase_prompt=""
        )
        print(
            f"realty-agent sales bench · {platform.machine()} · {platform.python_version()} · pool {args.pool}"
        )
        models = {"sales graph": MeasuredOfflineModel(), "bare create_agent": MeasuredOfflineModel()}
        services.model = SalesModel(models["sales graph"])
        bare_turn = bare_agent_turn(bare_prompt, models["bare create_agent"])
        for run_turn in (sales_turn, bare_turn):  # warm-up: imports, pools, compiled graphs
            for lead in await new_leads(services, tenant, 1):
                for turn in range(1, 6):
                    await run_turn(services, tenant.id, lead, message_at(turn, 20))
        for label, run_turn in (("sales graph", sales_turn), ("bare create_agent", bare_turn)):
            await bench_sql(results, label, services, run_turn, tenant)
        agents = {
            "sales graph": (sales_turn, lambda lead: thread_id(tenant.id, lead)),
            "bare create_agent": (bare_turn, lambda lead: f"bare:{tenant.id}:{lead}"),
        }
        await bench_long(results, services, agents, tenant, args.long_turns, args.long_conversations, models)
        rates: dict[str, list[float]] = {"sales graph": [], "bare create_agent": []}
        for _ in range(args.rounds):  # alternate, so both see the machine in the same state
            for label, run_turn in (("sales graph", sales_turn), ("bare create_agent", bare_turn)):
                clock.advance(timedelta(days=1))
                rates[label].append(
                    await bench_concurrent(
                        results, label, services, run_turn, tenant, args.concurrent, args.turns_each
                    )
                )
        ours, bare = statistics.mean(rates["sales graph"]), statistics.mean(rates["bare create_agent"])
        results.put("sales graph: turns/s (mean of rounds)", ours)
        results.put("bare create_agent: turns/s (mean of rounds)", bare)
        results.put("throughput ratio sales graph / bare create_agent", ours / bare)
        ours_bytes = results.figures[
            f"sales graph: checkpoint bytes after {args.long_turns} turns (one conversation)"
        ]
        bare_bytes = results.figures[
            f"bare create_agent: checkpoint bytes after {args.long_turns} turns (one conversation)"
        ]
        results.put("checkpoint storage ratio bare / sales graph", bare_bytes / max(1, ours_bytes))
        ours_sent = results.figures[
            f"sales graph: model input chars per turn at turn {args.long_turns} (p50)"
        ]
        bare_sent = results.figures[
            f"bare create_agent: model input chars per turn at turn {args.long_turns} (p50)"
        ]
        results.put(
            f"model input ratio bare / sales graph at turn {args.long_turns}", bare_sent / max(1, ours_sent)
        )
        fallbacks = services.model.fallbacks if services.model else 0
        results.put("offline fallbacks (should be 0: offline model is primary)", fallbacks)
        await services.resources.aclose()
        await database.dispose()
    finally:
        await asyncio.to_thread(stop_embedded_server, base)
    out = ROOT / "bench" / "results" / f"agent-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "machine": {"platform": platform.platform(), "python": platform.python_version()},
                "args": vars(args),
                "figures": results.figures,
            },
            indent=2,
        )
    )
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--long-turns", type=int, default=200)
    parser.add_argument("--long-conversations", type=int, default=3)
    parser.add_argument("--concurrent", type=int, default=200)
    parser.add_argument("--turns-each", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2, help="Alternating throughput rounds per agent.")
    parser.add_argument("--pool", type=int, default=10, help="Connections per pool (DB_POOL_SIZE).")
    asyncio.run(main(parser.parse_args()))
