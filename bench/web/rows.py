"""The generated agency group, row by row: who the reps are, and every table's rows for a range of leads.

Pure and seeded (the same shape and seed give the same rows), so a chunk can be made anywhere. Lead `i`
(0-based) belongs to rep `i % reps` unless it is one of the unassigned ones; its id is `first_lead_id + i`.
Scores and factors come from the real scoring (`agent.core.scoring.score_lead`, `prompts.scoring.reason`),
memoised per distinct signals, so every lead's factors add up to its score.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from agent.core.scoring import LeadSignals, ScoreFactor, score_lead
from prompts.scoring import reason

UNASSIGNED_EVERY = 41
"""Lead i with i % 41 == 40 has no rep (about 2.4%): the agency's pool."""
SUSPENDED_EVERY = 50
"""Rep r with r % 50 == 49 is suspended (no session); the first rep of each agency is its admin."""

ZONES = ("Asia/Makassar", "Europe/Moscow", "Asia/Dubai", "Asia/Tehran", "Europe/London", "Asia/Riyadh")
AGENCY_LANGUAGES = ("en", "ru", "en", "fa", "en", "ar")
FIRST = {
    "en": ("Anna", "James", "Olivia", "Liam", "Emma", "Noah", "Mia", "Lucas", "Sophie", "Jack"),
    "ru": ("Анна", "Борис", "Ольга", "Иван", "Мария", "Дмитрий", "Елена", "Сергей"),
    "fa": ("سارا", "علی", "مریم", "رضا", "نگار", "حسین"),
    "ar": ("فاطمة", "محمد", "ليلى", "أحمد", "نور", "يوسف"),
}
LAST = {
    "en": ("Smith", "Brown", "Wilson", "Taylor", "Clark", "Walker", "Young", "King"),
    "ru": ("Иванова", "Петров", "Смирнова", "Кузнецов", "Попова", "Волков"),
    "fa": ("احمدی", "محمدی", "حسینی", "رضایی", "کریمی"),
    "ar": ("الحسن", "العلي", "الخطيب", "النجار", "السيد"),
}
PHONE_PREFIX = {"en": "+1415", "ru": "+7916", "fa": "+98912", "ar": "+97150"}
LANGUAGES = ("en",) * 10 + ("ru",) * 5 + ("fa",) * 2 + ("ar",) * 3
SOURCES = (
    ("expo_qr",) * 25
    + ("catalog",) * 25
    + ("website",) * 20
    + ("referral",) * 10
    + ("ads",) * 15
    + (None,) * 5
)
EXPO_CODES = tuple(
    f"expo_{city}_2026_b{booth}" for city in ("dubai", "moscow", "bali") for booth in range(1, 8)
)
OTHER_CODES = {"catalog": ("cat_villas", "cat_rent"), "ads": ("fb_spring", "ig_reels", "google_brand")}
STATUSES = (
    ("new",) * 28 + ("qualifying",) * 30 + ("qualified",) * 12 + ("contact_captured",) * 10
    + ("viewing_scheduled",) * 6 + ("handed_off",) * 3 + ("won",) * 4 + ("lost",) * 7
)  # fmt: skip
NEEDS_PHONE = frozenset({"contact_captured", "viewing_scheduled", "handed_off", "won"})
CHANNELS = ("telegram",) * 17 + ("whatsapp",) * 2 + ("email",)
LOCATIONS = ("Canggu", "Seminyak", "Ubud", "Dubai Marina", "JVC", "Moscow City", "Uluwatu")
TYPES = ("villa", "apartment", "townhouse", "house")
PAYMENTS = ("cash", "mortgage", "installments", "crypto")
BUDGETS = tuple(Decimal(amount) for amount in (150_000, 250_000, 400_000, 600_000, 900_000, 1_500_000))
MESSAGES = (
    (0,) * 15 + (1,) * 35 + (2,) * 20 + (3,) * 12 + (4,) * 5 + (5,) * 4 + (6,) * 3 + (9,) * 4 + (14,) * 2
)
INBOUND_TEXT = ("Hi! Looking for a villa", "What is the price?", "Is it furnished?", "Can I see it tomorrow?")
OUTBOUND_TEXT = ("Here are three villas that fit", "It is 450,000 USD", "Yes, fully furnished", "Booked!")
SEQUENCE_TEMPERATURES = ("hot", "warm", "cold")
STEPS_PER_SEQUENCE = 3
FACTOR_COLUMNS = ("lead_id", "factor", "value", "weight", "explanation", "computed_at")


@dataclass(frozen=True)
class Shape:
    """How big the group is: agencies × reps each, and leads spread over the reps."""

    agencies: int
    reps_per_agency: int
    leads: int
    seed: int = 14

    @classmethod
    def at_scale(cls, scale: float, agencies: int | None = None, seed: int = 14) -> Shape:
        """Scale 1 is 10 agencies of 100 reps and 1,000,000 leads (about 1,000 a rep)."""
        reps = max(2, round(1000 * scale))
        count = agencies or max(1, min(10, reps // 10))
        return cls(count, max(2, reps // count), max(10, round(1_000_000 * scale)), seed)

    @property
    def reps(self) -> int:
        return self.agencies * self.reps_per_agency

    def agency_of_rep(self, rep: int) -> int:
        return rep // self.reps_per_agency

    def rep_of_lead(self, i: int) -> int | None:
        return None if i % UNASSIGNED_EVERY == UNASSIGNED_EVERY - 1 else i % self.reps

    def agency_of_lead(self, i: int) -> int:
        return self.agency_of_rep(i % self.reps)


@dataclass(frozen=True)
class RepRow:
    id: uuid.UUID
    index: int
    agency: int
    telegram_id: int
    name: str
    language: str
    is_admin: bool
    active: bool


def rep_rows(shape: Shape) -> list[RepRow]:
    rng = random.Random(shape.seed)
    reps = []
    for r in range(shape.reps):
        language = AGENCY_LANGUAGES[shape.agency_of_rep(r) % len(AGENCY_LANGUAGES)]
        reps.append(
            RepRow(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                index=r,
                agency=shape.agency_of_rep(r),
                telegram_id=5_000_000 + r,
                name=f"{rng.choice(FIRST[language])} {rng.choice(LAST[language])}",
                language=language,
                is_admin=r % shape.reps_per_agency == 0,
                active=r % SUSPENDED_EVERY != SUSPENDED_EVERY - 1,
            )
        )
    return reps


@dataclass
class Context:
    """What the rows refer to: ids made before the leads (agencies, reps, listings, sequence steps)."""

    shape: Shape
    now: datetime
    first_lead_id: int
    tenant_ids: list[int]
    zones: list[str]
    rep_ids: list[uuid.UUID]
    property_ids: list[list[int]]
    """Per agency."""
    step_ids: list[dict[str, list[int]]]
    """Per agency: temperature of the sequence -> its steps' ids in order."""


@dataclass
class Chunk:
    """Every table's rows for a range of leads, in COPY column order (see COLUMNS)."""

    rows: dict[str, list[tuple[object, ...]]] = field(
        default_factory=lambda: {table: [] for table in COLUMNS}
    )

    def add(self, table: str, row: tuple[object, ...]) -> None:
        self.rows[table].append(row)


COLUMNS: dict[str, tuple[str, ...]] = {
    "leads": tuple(
        (
            "id tenant_id telegram_user_id telegram_chat_id name phone email language time_zone source source_code "
            "status budget_min budget_max budget_currency bedrooms property_type location transaction "
            "payment_method message_count voice_message_count qr_scan_count catalog_views total_interactions "
            "urgency_mentions specific_questions lead_score temperature score_confidence scored_at urgency_score "
            "fomo_messages_sent ghost_reminder_sent opted_out first_inbound_at last_inbound_at last_outbound_at "
            "assigned_rep_id extra created_at updated_at"
        ).split()
    ),
    "lead_interactions": tuple(
        "tenant_id lead_id type channel direction status text metadata created_at".split()
    ),
    "lead_score_factors": FACTOR_COLUMNS,
    "viewings": tuple(
        (
            "tenant_id lead_id property_id rep_id starts_at ends_at time_zone status online meeting_provider "
            "outcome extra created_at updated_at"
        ).split()
    ),
    "followup_sends": tuple(
        "tenant_id lead_id step_key channel status due_at text sent_at external_message_id created_at".split()
    ),
    "rep_tasks": tuple("tenant_id rep_id lead_id due_at note done_at created_at updated_at".split()),
    "lead_alerts": tuple("tenant_id lead_id kind payload created_at delivered_at".split()),
}
CHILD_TABLES = tuple(table for table in COLUMNS if table != "leads")


@lru_cache(maxsize=200_000)
def scored(
    signals: LeadSignals, at: datetime, language: str
) -> tuple[int, str, float, tuple[tuple[object, ...], ...]]:
    """score, temperature, confidence, and the factor rows (without lead id and time) of these signals."""
    score = score_lead(signals, at)
    return (
        score.score,
        score.temperature.value,
        score.confidence,
        tuple((f.key, f.points, f.max_points, _reason(f, language)) for f in score.factors),
    )


@lru_cache(maxsize=20_000)
def _reason(factor: ScoreFactor, language: str) -> str:
    return reason(factor, language)


SCORE_AT = datetime(2026, 1, 1, 12, tzinfo=UTC)
"""Scores are memoised relative to this moment (recency depends only on the age at scoring time)."""
RECENCY_AGES: tuple[timedelta, ...] = (
    (timedelta(minutes=5),) * 8 + (timedelta(hours=3),) * 2 + (timedelta(hours=12),) * 2
    + (timedelta(days=2),) * 3 + (timedelta(days=9),) * 5
)  # fmt: skip


PROFILES_PER_POOL = 300


@lru_cache(maxsize=64)
def _profiles(seed: int, group: int, source: str | None) -> tuple[tuple[LeadSignals, timedelta], ...]:
    """Signals leads of a status group (0 new, 1 talking, 2 phone given) and source are drawn from, with the
    age of their last interaction when they were scored: a pool keeps the distinct scorings few."""
    rng = random.Random(f"{seed}:{group}:{source}")
    pool = []
    for _ in range(PROFILES_PER_POOL):
        engaged = group > 0
        messages = rng.choice(MESSAGES) + (2 if group == 2 else 0)
        knows = [rng.random() < p for p in (0.5, 0.6, 0.55, 0.6, 0.2)] if engaged else [False] * 5
        recency_age = rng.choice(RECENCY_AGES)
        signals = LeadSignals(
            qr_scan_count=(1 + int(rng.expovariate(1.0))) if source == "expo_qr" else 0,
            catalog_views=int(rng.expovariate(0.5)) if engaged else 0,
            message_count=messages,
            voice_message_count=1 if messages and rng.random() < 0.08 else 0,
            has_phone=group == 2 or rng.random() < 0.35,
            has_budget=knows[0],
            has_transaction_type=knows[1],
            has_property_type=knows[2],
            has_location=knows[3],
            has_payment_method=knows[4],
            last_interaction_at=SCORE_AT - recency_age,
            urgency_mentions=1 if rng.random() < 0.1 else 0,
            specific_questions=int(rng.expovariate(1.2)) if messages else 0,
            inquiry_local_hour=rng.randrange(8, 23),
            source=source,
        )
        pool.append((signals, recency_age))
    return tuple(pool)


def lead_chunk(context: Context, start: int, stop: int) -> Chunk:
    """Rows of leads start..stop-1 and of everything that hangs off them."""
    shape, now = context.shape, context.now
    rng = random.Random(shape.seed * 1_000_003 + start)
    chunk = Chunk()
    for i in range(start, stop):
        _lead(context, chunk, rng, i, now)
    return chunk


def _lead(context: Context, chunk: Chunk, rng: random.Random, i: int, now: datetime) -> None:
    shape = context.shape
    lead_id = context.first_lead_id + i
    agency = shape.agency_of_lead(i)
    tenant_id = context.tenant_ids[agency]
    rep = shape.rep_of_lead(i)
    rep_id = context.rep_ids[rep] if rep is not None else None
    language = rng.choice(LANGUAGES)
    status = rng.choice(STATUSES)
    source = rng.choice(SOURCES)
    code = None
    if source == "expo_qr":
        code = EXPO_CODES[min(len(EXPO_CODES) - 1, int(rng.expovariate(0.25)))]  # a few booths bring most
    elif source in OTHER_CODES:
        code = rng.choice(OTHER_CODES[source])
    group = 2 if status in NEEDS_PHONE else 0 if status == "new" else 1
    signals, recency_age = rng.choice(_profiles(shape.seed, group, source))
    has_phone = signals.has_phone
    budget, kind, location = signals.has_budget, signals.has_property_type, signals.has_location
    transaction, payment = signals.has_transaction_type, signals.has_payment_method
    messages, voice = signals.message_count, signals.voice_message_count
    qr, views, urgency, questions = (
        signals.qr_scan_count, signals.catalog_views, signals.urgency_mentions, signals.specific_questions
    )  # fmt: skip
    age = timedelta(minutes=int(rng.expovariate(1 / (20 * 1440))))
    if rng.random() < 0.03:
        age = timedelta(minutes=rng.randrange(0, 600))  # today's activity
    last_in = now - age
    first_in = last_in - timedelta(minutes=int(rng.expovariate(1 / (3 * 1440))) if messages > 1 else 0)
    score, temperature, confidence, factors = scored(signals, SCORE_AT, language)
    scored_at = min(now, last_in + recency_age)
    first = rng.choice(FIRST[language])
    opted_out = rng.random() < 0.02
    ghosted = has_phone and rng.random() < 0.2
    channel = rng.choice(CHANNELS)
    chunk.add(
        "leads",
        (
            lead_id, tenant_id, 100_000_000 + i, 100_000_000 + i,
            f"{first} {rng.choice(LAST[language])}",
            f"{PHONE_PREFIX[language]}{i:07d}" if has_phone else None,
            f"lead{i}@mail.example" if rng.random() < 0.2 else None,
            language, None, source, code, status,
            BUDGETS[i % 3] if budget else None, BUDGETS[3 + i % 3] if budget else None, "USD" if budget else None,
            rng.choice((1, 2, 3, 4)) if kind else None, rng.choice(TYPES) if kind else None,
            rng.choice(LOCATIONS) if location else None, ("sale", "rent")[i % 2] if transaction else None,
            rng.choice(PAYMENTS) if payment else None,
            messages, voice, qr, views, messages + qr + views + 1, urgency, questions,
            score, temperature, confidence, scored_at, urgency * 30,
            1 if ghosted else 0, ghosted, opted_out, first_in, last_in, last_in + timedelta(seconds=40),
            rep_id, "{}", first_in, max(last_in, scored_at),
        ),
    )  # fmt: skip
    chunk.rows["lead_score_factors"].extend([(lead_id, *factor, scored_at) for factor in factors])
    _timeline(chunk, rng, tenant_id, lead_id, channel, messages, first_in, last_in, rep_id)
    _viewing(context, chunk, rng, agency, tenant_id, lead_id, rep_id, status, last_in)
    _sends(context, chunk, rng, agency, tenant_id, lead_id, channel, temperature, ghosted, opted_out, last_in)
    if rep_id is not None and rng.random() < 0.02:
        _task(chunk, rng, now, tenant_id, rep_id, lead_id)
    _alerts(chunk, rng, tenant_id, lead_id, temperature, score, has_phone, status, first, last_in)


def _timeline(
    chunk: Chunk,
    rng: random.Random,
    tenant_id: int,
    lead_id: int,
    channel: str,
    messages: int,
    first_in: datetime,
    last_in: datetime,
    rep_id: uuid.UUID | None,
) -> None:
    """/start, then each inbound message with the agent's reply (most of them), sometimes a rep's action."""
    chunk.add(
        "lead_interactions",
        (
            tenant_id,
            lead_id,
            "start",
            channel,
            "inbound",
            "done",
            None,
            "{}",
            first_in - timedelta(seconds=5),
        ),
    )
    shown = min(messages, 6)
    span = (last_in - first_in) / max(shown, 1)
    for n in range(shown):
        at = first_in + span * n if n < shown - 1 else last_in
        chunk.add(
            "lead_interactions",
            (tenant_id, lead_id, "message", channel, "inbound", "done", INBOUND_TEXT[n % 4], "{}", at),
        )
        if rng.random() < 0.85:
            reply = at + timedelta(seconds=rng.randrange(3, 90))
            chunk.add(
                "lead_interactions",
                (
                    tenant_id,
                    lead_id,
                    "agent_answer",
                    channel,
                    "outbound",
                    "done",
                    OUTBOUND_TEXT[n % 4],
                    "{}",
                    reply,
                ),
            )
    if rep_id is not None and rng.random() < 0.15:
        meta = json.dumps({"rep_id": str(rep_id), "marked_hot": False, "status": None})
        at = last_in + timedelta(minutes=rng.randrange(5, 600))
        chunk.add(
            "lead_interactions",
            (tenant_id, lead_id, "rep_action", "team_bot", "internal", "done", "Called", meta, at),
        )


def _viewing(
    context: Context,
    chunk: Chunk,
    rng: random.Random,
    agency: int,
    tenant_id: int,
    lead_id: int,
    rep_id: uuid.UUID | None,
    status: str,
    last_in: datetime,
) -> None:
    if status == "viewing_scheduled":
        starts, state, outcome = context.now + timedelta(hours=rng.randrange(2, 24 * 14)), "scheduled", None
    elif status in ("won", "handed_off") or (status == "lost" and rng.random() < 0.3):
        starts = last_in - timedelta(hours=rng.randrange(24, 24 * 20))
        state = "no_show" if rng.random() < 0.1 else "completed"
        outcome = None if state == "no_show" else rng.choice(("attended", "interested", "not_interested"))
    elif rng.random() < 0.01:
        starts, state, outcome = last_in + timedelta(days=2), "cancelled", None
    else:
        return
    starts = starts.replace(minute=0, second=0, microsecond=0)
    online = rng.random() < 0.2
    chunk.add(
        "viewings",
        (
            tenant_id, lead_id, rng.choice(context.property_ids[agency]), rep_id, starts, starts + timedelta(hours=1),
            context.zones[agency], state, online, "zoom" if online else None, outcome, "{}",
            min(last_in, starts), min(last_in, starts),
        ),
    )  # fmt: skip


def _sends(
    context: Context,
    chunk: Chunk,
    rng: random.Random,
    agency: int,
    tenant_id: int,
    lead_id: int,
    channel: str,
    temperature: str,
    ghosted: bool,
    opted_out: bool,
    last_in: datetime,
) -> None:
    """The ghost nudge for a ghosted lead; some sequence steps (sent, pending, cancelled, failed)."""
    if ghosted:
        due = last_in + timedelta(hours=2)
        key = f"ghost:{int(last_in.timestamp())}"
        chunk.add(
            "followup_sends",
            (tenant_id, lead_id, key, channel, "sent", due, "Still looking?", due, f"tg:{lead_id}", last_in),
        )
    if opted_out or rng.random() > 0.3:
        return
    steps = context.step_ids[agency]["hot" if temperature == "burning" else temperature]
    for position, step_id in enumerate(steps[: 1 + int(rng.expovariate(1.2))]):
        due = last_in + timedelta(days=1 + 2 * position)
        roll = rng.random()
        if due > context.now or roll < 0.15:
            status, sent = "pending", None
        elif roll < 0.25:
            status, sent = "cancelled", None
        elif roll < 0.3:
            status, sent = "failed", None
        else:
            status, sent = "sent", due
        row = (tenant_id, lead_id, f"seq:{step_id}", channel, status, due, "A new listing for you", sent,
               f"tg:{lead_id}:{step_id}" if sent else None, last_in)  # fmt: skip
        chunk.add("followup_sends", row)


def _task(
    chunk: Chunk, rng: random.Random, now: datetime, tenant_id: int, rep_id: uuid.UUID, lead_id: int
) -> None:
    """A follow-up a rep owes: overdue, today, later, or done (about 20 per rep)."""
    roll = rng.random()
    day = now.replace(hour=9, minute=0, second=0, microsecond=0)
    if roll < 0.25:
        due, done = day - timedelta(days=rng.randrange(1, 10)), None
    elif roll < 0.5:
        due, done = day + timedelta(hours=rng.randrange(0, 10)), None
    elif roll < 0.75:
        due, done = day + timedelta(days=rng.randrange(1, 14)), None
    else:
        due = day - timedelta(days=rng.randrange(1, 30))
        done = due + timedelta(hours=2)
    chunk.add("rep_tasks", (tenant_id, rep_id, lead_id, due, "Call back about the villa", done, due, due))


def _alerts(
    chunk: Chunk,
    rng: random.Random,
    tenant_id: int,
    lead_id: int,
    temperature: str,
    score: int,
    has_phone: bool,
    status: str,
    name: str,
    last_in: datetime,
) -> None:
    kinds = []
    if temperature == "burning":
        kinds.append("burning")
    if has_phone and status in NEEDS_PHONE:
        kinds.append("phone_captured")
    for kind in kinds:
        payload = json.dumps(
            {"kind": kind, "lead_id": lead_id, "name": name, "score": score, "temperature": temperature}
        )
        delivered = last_in + timedelta(seconds=rng.randrange(1, 30)) if rng.random() < 0.97 else None
        chunk.add("lead_alerts", (tenant_id, lead_id, kind, payload, last_in, delivered))
