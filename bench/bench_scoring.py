"""Learned-score bench: does a per-agency model beat the base score on SIMULATED agencies, and what does it cost?

    uv run python bench/bench_scoring.py [--sizes 200,1000,10000] [--train-sizes 10000,100000] [--latency-leads 2000]

Every figure comes from simulated data (no database, no real agency): each simulated agency's leads convert by
a hidden rule that the base formula only partly captures (see `AGENCIES` and `hidden_logit`); the README's
"Learned score bench" section says what the simulation assumes. For each agency and size it reports the base
score's ROC AUC and the model's on the time-ordered hold-out (the newest 25% of outcomes), the model's
expected calibration error (ECE, 10 bins), and whether the gate used the model; then training time for
10,000 and 100,000 outcomes, and the scoring latency per lead with a model against the base rescore alone:
in the pure core, and (`--rescore-leads`, on a private embedded PostgreSQL) the whole `rescore` of a stored
lead with its timeline, before the agency has a model and after.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent.core.conversion.features import ConversionFacts, Replies, feature_values  # noqa: E402
from agent.core.conversion.model import likelihood  # noqa: E402
from agent.core.scoring import LeadSignals, score_lead  # noqa: E402
from agent.services.conversion.fit import Example, FitResult, evaluate_and_fit  # noqa: E402
from agent.services.leads.scoring import rescore  # noqa: E402
from agent.services.leads.training import train_slug  # noqa: E402
from storage.db import Database, create_database  # noqa: E402
from storage.embedded import embedded_database_url, stop_embedded_server  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Lead, LeadInteraction, Tenant  # noqa: E402

START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
SOURCES = (
    ("referral", 0.10),
    ("expo_qr", 0.20),
    ("website", 0.25),
    ("catalog", 0.15),
    ("ads", 0.25),
    (None, 0.05),
)
OUTCOMES = ("attended", "interested", "not_interested", "no_show", "made_offer")


@dataclass(frozen=True)
class Agency:
    """A hidden rule: how much each thing moves a lead's log-odds of converting in this agency."""

    name: str
    seed: int
    intercept: float
    source: dict[str | None, float]
    reply: float
    """Per log1p(minutes) of the lead's median reply delay (negative: slow repliers convert less)."""
    no_reply: float
    voice: float
    phone: float
    messages: float
    viewing: dict[str, float] = field(default_factory=dict)
    over_budget: float = -0.8
    noise: float = 1.0
    """Standard deviation of what no feature sees (the lead's finances, a competitor's offer...)."""


AGENCIES = (
    Agency(
        "referrals-and-speed",
        seed=1,
        intercept=-0.6,
        source={"referral": 1.4, "expo_qr": 0.2, "website": 0.0, "catalog": -0.2, "ads": -0.4, None: -0.2},
        reply=-0.45,
        no_reply=-1.6,
        voice=0.05,
        phone=0.5,
        messages=0.2,
        viewing={"interested": 1.0, "made_offer": 2.2, "not_interested": -1.5, "no_show": -1.0},
    ),
    Agency(
        "ads-that-work",
        seed=2,
        intercept=-0.9,
        source={"referral": 0.3, "expo_qr": -0.3, "website": 0.1, "catalog": -0.5, "ads": 0.9, None: 0.0},
        reply=-0.35,
        no_reply=-1.2,
        voice=0.0,
        phone=0.3,
        messages=0.1,
        viewing={"interested": 0.8, "made_offer": 2.0, "not_interested": -1.2, "no_show": -0.8},
        over_budget=-1.5,
    ),
    Agency(
        "mostly-luck",
        seed=3,
        intercept=-0.3,
        source={"referral": 0.2, "expo_qr": 0.0, "website": 0.0, "catalog": 0.0, "ads": -0.1, None: 0.0},
        reply=-0.05,
        no_reply=-0.2,
        voice=0.0,
        phone=0.3,
        messages=0.3,
        viewing={"made_offer": 0.5},
        noise=2.5,
    ),
)


@dataclass(frozen=True)
class SimulatedLead:
    facts: ConversionFacts
    won: bool
    outcome_at: datetime


def simulate_lead(agency: Agency, rng: random.Random) -> SimulatedLead:
    """One lead seen some time in a year, with an outcome 1-60 days after its last message."""
    source = rng.choices([s for s, _ in SOURCES], weights=[w for _, w in SOURCES])[0]
    messages = min(int(rng.expovariate(1 / 6)) + 1, 40)
    engaged = min(messages / 10, 1.0)
    voice = rng.randint(1, 3) if rng.random() < 0.25 else 0
    first = START + timedelta(days=rng.uniform(0, 365))
    hour = min(max(int(rng.gauss(14, 4)), 0), 23)
    first = first.replace(hour=hour)
    last = first + timedelta(hours=rng.expovariate(1 / 48))
    replied = rng.random() > 0.15
    minutes = math.exp(rng.gauss(3.0, 1.5)) if replied else None
    viewings = 1 if rng.random() < 0.3 * (0.5 + engaged) else 0
    outcome = rng.choice(OUTCOMES) if viewings and rng.random() < 0.8 else None
    ratio = math.exp(rng.gauss(0.0, 0.25)) if rng.random() < 0.6 else None
    signals = LeadSignals(
        qr_scan_count=rng.randint(1, 3) if source == "expo_qr" else 0,
        catalog_views=rng.randint(0, 6),
        message_count=messages + voice,
        voice_message_count=voice,
        has_phone=rng.random() < 0.3 + 0.5 * engaged,
        has_budget=rng.random() < 0.4 + 0.4 * engaged,
        has_transaction_type=rng.random() < 0.7,
        has_property_type=rng.random() < 0.6,
        has_location=rng.random() < 0.6,
        has_payment_method=rng.random() < 0.2 + 0.3 * engaged,
        last_interaction_at=last,
        urgency_mentions=rng.choice((0, 0, 0, 1, 2)),
        specific_questions=rng.choice((0, 0, 1, 2, 3)),
        inquiry_local_hour=hour,
        source=source,
    )
    facts = ConversionFacts(
        signals=signals,
        inquiry_weekday=first.weekday(),
        replies=Replies(
            median_minutes=minutes,
            follow_up_replies=rng.choice((0, 0, 1)) if replied else 0,
            words_per_message=rng.uniform(2, 25),
        ),
        viewings=viewings,
        viewing_outcomes=frozenset({outcome}) if outcome else frozenset(),
        price_to_budget=ratio,
    )
    p = 1 / (1 + math.exp(-hidden_logit(agency, facts, rng)))
    return SimulatedLead(facts, rng.random() < p, last + timedelta(days=rng.uniform(1, 60)))


def hidden_logit(agency: Agency, facts: ConversionFacts, rng: random.Random) -> float:
    """The agency's true log-odds for a lead; the noise is what no feature can see."""
    s = facts.signals
    minutes = facts.replies.median_minutes
    logit = agency.intercept + agency.source[s.source]
    logit += agency.no_reply if minutes is None else agency.reply * math.log1p(minutes)
    logit += agency.voice * (s.voice_message_count > 0) + agency.phone * s.has_phone
    logit += (
        agency.messages * math.log1p(s.message_count) + 0.2 * s.has_budget + 0.25 * min(s.urgency_mentions, 3)
    )
    logit += sum(agency.viewing.get(outcome, 0.0) for outcome in facts.viewing_outcomes)
    if facts.price_to_budget is not None:
        logit += agency.over_budget * max(0.0, facts.price_to_budget - 1.1)
    return logit + rng.gauss(0, agency.noise)


def simulate(agency: Agency, outcomes: int, seed_offset: int = 0) -> list[SimulatedLead]:
    rng = random.Random(agency.seed * 1_000_003 + outcomes + seed_offset)
    return [simulate_lead(agency, rng) for _ in range(outcomes)]


def examples_of(leads: list[SimulatedLead]) -> list[Example]:
    """What training sees; the base score is read at the lead's last message (as the service does)."""
    return [
        Example(
            features=feature_values(lead.facts),
            won=lead.won,
            outcome_at=lead.outcome_at,
            base_score=score_lead(lead.facts.signals, lead.facts.signals.last_interaction_at or START).score,
        )
        for lead in leads
    ]


def describe(result: FitResult) -> dict[str, object]:
    return {
        "used": result.status.value == "active",
        "reason": result.reason.value if result.reason else None,
        "won_share": round(result.won / result.outcomes, 3) if result.outcomes else None,
        "holdout": result.holdout,
        "base_auc": None if result.base_auc is None else round(result.base_auc, 3),
        "model_auc": None if result.model_auc is None else round(result.model_auc, 3),
        "ece": None if result.calibration_error is None else round(result.calibration_error, 3),
    }


def bench_quality(sizes: list[int]) -> list[dict[str, object]]:
    rows = []
    print(f"{'agency':<22}{'outcomes':>9}{'won %':>7}{'base AUC':>10}{'model AUC':>11}{'ECE':>7}  used")
    for agency in AGENCIES:
        for size in sizes:
            found = describe(evaluate_and_fit(examples_of(simulate(agency, size))))
            rows.append({"agency": agency.name, "outcomes": size, **found})
            won = f"{100 * found['won_share']:.0f}" if found["won_share"] is not None else "-"  # type: ignore[operator]
            print(
                f"{agency.name:<22}{size:>9}{won:>7}{found['base_auc']!s:>10}{found['model_auc']!s:>11}"
                f"{found['ece']!s:>7}  {'yes' if found['used'] else 'no (' + str(found['reason']) + ')'}"
            )
    return rows


def bench_training(sizes: list[int]) -> dict[str, float]:
    timings = {}
    for size in sizes:
        examples = examples_of(simulate(AGENCIES[0], size, seed_offset=7))
        started = time.perf_counter()
        evaluate_and_fit(examples)
        seconds = time.perf_counter() - started
        timings[f"train_s_{size}"] = round(seconds, 3)
        print(f"training on {size:,} outcomes (hold-out fit + refit on all): {seconds:.2f} s")
    return timings


def bench_latency(leads: int) -> dict[str, float]:
    fit = evaluate_and_fit(examples_of(simulate(AGENCIES[0], 10_000, seed_offset=11)))
    assert fit.model is not None, "the latency bench needs a model the gate accepts"
    model = fit.model
    sample = simulate(AGENCIES[0], leads, seed_offset=13)
    now = START + timedelta(days=400)

    def per_lead_us(with_model: bool) -> float:
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            for lead in sample:
                score_lead(lead.facts.signals, now)
                if with_model:
                    found = likelihood(model, lead.facts)
                    found.top_for()
                    found.top_against()
            runs.append((time.perf_counter() - started) / len(sample) * 1e6)
        return statistics.median(runs)

    base_us, model_us = per_lead_us(False), per_lead_us(True)
    print(
        f"scoring per lead: base {base_us:.1f} µs, base + model {model_us:.1f} µs "
        f"(added {model_us - base_us:.1f} µs, x{model_us / base_us:.1f})"
    )
    return {
        "base_score_us": round(base_us, 2),
        "base_plus_model_us": round(model_us, 2),
        "added_us": round(model_us - base_us, 2),
        "ratio": round(model_us / base_us, 2),
    }


async def _store_agency(
    database: Database, leads: list[SimulatedLead], open_leads: int
) -> tuple[list[int], list[int]]:
    """The simulated agency in the database: open leads and outcome leads (won/lost), each with a short timeline.

    Returns the open leads' ids and as many won or lost leads' ids.
    """
    ids, closed = [], []
    async with database.session() as session:
        tenant = Tenant(name="Simulated Homes", slug="simulated", time_zone="UTC")
        session.add(tenant)
        await session.flush()
        for number, lead in enumerate(leads):
            s = lead.facts.signals
            last = s.last_interaction_at or START
            row = Lead(
                tenant_id=tenant.id,
                telegram_user_id=number + 1,
                telegram_chat_id=number + 1,
                source=s.source,
                phone="+14155550100" if s.has_phone else None,
                transaction="sale" if s.has_transaction_type else None,
                property_type="villa" if s.has_property_type else None,
                location="Canggu" if s.has_location else None,
                payment_method="cash" if s.has_payment_method else None,
                message_count=s.message_count,
                voice_message_count=s.voice_message_count,
                qr_scan_count=s.qr_scan_count,
                catalog_views=s.catalog_views,
                urgency_mentions=s.urgency_mentions,
                specific_questions=s.specific_questions,
                first_inbound_at=last - timedelta(hours=2),
                last_inbound_at=last,
            )
            if number >= open_leads:
                row.status, row.outcome_at = ("won" if lead.won else "lost"), lead.outcome_at
            session.add(row)
            await session.flush()
            minutes = lead.facts.replies.median_minutes or 600.0
            for step in range(4):  # /start, our answer, their reply after their usual delay, our answer
                at = last - timedelta(hours=2) + timedelta(minutes=step * minutes)
                inbound = step % 2 == 0
                session.add(
                    LeadInteraction(
                        tenant_id=tenant.id,
                        lead_id=row.id,
                        type="message" if inbound else "agent_answer",
                        direction="inbound" if inbound else "outbound",
                        text="a villa in Canggu please" if inbound else "Here are three.",
                        created_at=at,
                    )
                )
            if number < open_leads:
                ids.append(row.id)
            elif len(closed) < open_leads:
                closed.append(row.id)
    return ids, closed


async def _time_rescores(database: Database, ids: list[int], now: datetime) -> float:
    """Median milliseconds of one lead's `rescore` in its own unit of work (read, score, store, commit)."""
    samples = []
    for lead_id in ids:
        started = time.perf_counter()
        async with database.session() as session:
            lead = await session.get(Lead, lead_id)
            assert lead is not None
            await rescore(session, lead, now)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


async def _bench_rescore(url: str, open_leads: int) -> dict[str, float]:
    database = create_database(url, pool_size=2)
    try:
        await upgrade(database)
        leads = simulate(AGENCIES[0], 2000 + open_leads, seed_offset=17)
        ids, closed = await _store_agency(database, leads, open_leads)
        now = START + timedelta(days=400)
        await _time_rescores(database, ids[:20], now)  # warm up the pool and the caches
        without = await _time_rescores(database, ids, now)
        closed_without = await _time_rescores(database, closed, now)
        run = await train_slug(database, "simulated", now)
        assert run.status == "active", f"the stored agency's model was not used: {run.reason}"
        # The first rescore under the model announces the leads already above the threshold (a 'likely' alert
        # each: insert, NOTIFY, webhook event); the second is a lead's every later rescore.
        first = await _time_rescores(database, ids, now + timedelta(minutes=1))
        with_model = await _time_rescores(database, ids, now + timedelta(minutes=2))
        # A won or lost lead computes no likelihood: its rescore should cost what it did without a model.
        closed_with = await _time_rescores(database, closed, now + timedelta(minutes=2))
    finally:
        await database.dispose()
    print(
        f"rescore of a stored lead (median, own transaction): {without:.2f} ms without a model, "
        f"{with_model:.2f} ms with one (added {with_model - without:.2f} ms; "
        f"{first:.2f} ms for the first rescore under a new model, alerts included); "
        f"a won or lost lead: {closed_without:.2f} ms without a model, {closed_with:.2f} ms with one"
    )
    return {
        "rescore_ms_without_model": round(without, 3),
        "rescore_ms_with_model": round(with_model, 3),
        "rescore_ms_added": round(with_model - without, 3),
        "rescore_ms_first_under_model": round(first, 3),
        "closed_rescore_ms_without_model": round(closed_without, 3),
        "closed_rescore_ms_with_model": round(closed_with, 3),
        "rescored_leads": len(ids),
        "stored_outcomes": 2000,
    }


def bench_rescore(open_leads: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(
        prefix="realty-bench-", dir="/tmp"
    ) as tmp:  # short: the socket lives there
        try:
            return asyncio.run(_bench_rescore(embedded_database_url(Path(tmp)), open_leads))
        finally:
            stop_embedded_server(Path(tmp))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="200,1000,10000", help="outcomes per agency, comma-separated")
    parser.add_argument("--train-sizes", default="10000,100000", help="outcomes to time training on")
    parser.add_argument("--latency-leads", type=int, default=2000, help="leads scored per latency run")
    parser.add_argument(
        "--rescore-leads",
        type=int,
        default=300,
        help="stored leads rescored with and without a model (0: skip)",
    )
    args = parser.parse_args()
    import warnings

    warnings.filterwarnings("ignore")
    machine = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "load_average_at_start": os.getloadavg(),
        "data": "SIMULATED agencies (bench/bench_scoring.py AGENCIES), not real outcomes",
    }
    print("realty-agent learned-score benchmark (SIMULATED agencies; hold-out = newest 25% of outcomes)")
    quality = bench_quality([int(size) for size in args.sizes.split(",")])
    training = bench_training([int(size) for size in args.train_sizes.split(",")])
    latency = bench_latency(args.latency_leads)
    if args.rescore_leads:
        import logging

        logging.disable(logging.WARNING)
        latency.update(bench_rescore(args.rescore_leads))
    machine["load_average_at_end"] = os.getloadavg()
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"scoring-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    figures = {"quality": quality, "training": training, "latency": latency}
    path.write_text(json.dumps({"machine": machine, "figures": figures}, indent=2, default=str))
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
