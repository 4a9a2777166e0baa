"""Play a case through the same code path as the bots.

Every case runs on a fresh tenant (a unique slug, its own catalog, reps, other leads and prospects), with
its own frozen clock and Telegram user ids nobody else uses. Actors talk to the bots:

- the telegram path: real update JSON into the lead bot and the team bot Applications (`bot/`), which
  answer through the loopback Bot API stand-in; what the bots send is read back from its call log;
- the direct path, while a bot is not there yet: `run_lead_turn` for leads, exactly as the lead bot calls it.

Moving the clock runs the follow-up jobs (`run_due(now)`), whose messages also go through the stand-in.
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import logging
import re
import secrets
import time as wall
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from agent.core.clock import FrozenClock
from evals.results import TranscriptEvent
from evals.suite import Actor, CatalogSpec, RepSetup, ResolvedCase, Step
from evals.trajectory import ToolCall
from storage.models import Lead, Prospect, SalesRepresentative, Tenant

if TYPE_CHECKING:
    from agent.services.provider import Services

log = logging.getLogger(__name__)

DEFAULT_START = datetime(2026, 3, 2, 10, 0)
"""Where the clock starts when a case names no time: a Monday morning, tenant-local."""
_user_ids = itertools.count(7_000_000_000 + secrets.randbelow(10**6) * 1000)


class StepUnsupported(RuntimeError):
    """The step needs a part of the system that is not there (yet) on this path."""


# -- the world of one case ------------------------------------------------------------------------


@dataclass
class ActorIdentity:
    name: str
    spec: Actor
    user_id: int

    @property
    def role(self) -> str:
        return self.spec.role


@dataclass
class World:
    """Everything one case run owns."""

    case: ResolvedCase
    trial: int
    services: Services
    clock: FrozenClock
    tenant_id: int
    tenant_slug: str
    time_zone: str
    lead_bot_token: str
    team_bot_token: str
    actors: dict[str, ActorIdentity]
    api: Any
    """The loopback Bot API (tests/fakes/telegram_api.FakeTelegramAPI), shared by all cases of a run."""
    transcript: list[TranscriptEvent] = field(default_factory=list)
    tools: list[tuple[int | None, ToolCall]] = field(default_factory=list)
    seeded_leads: dict[int, dict[str, Any]] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    step: int | None = None
    api_cursor: int = 0
    choices: dict[str, list[Choice]] = field(default_factory=dict)
    """The buttons last offered to each actor, for `press` on the direct path."""
    other_chats: dict[int, str] = field(default_factory=dict)
    """Chats of people nobody plays (reps from the setup), named for the transcript."""

    @property
    def actor_ids(self) -> dict[str, int]:
        return {name: actor.user_id for name, actor in self.actors.items()}

    def now_text(self) -> str:
        return self.clock.now().astimezone(ZoneInfo(self.time_zone)).isoformat(timespec="minutes")

    def record(self, actor: str, direction: str, kind: str, text: str = "", **extra: Any) -> TranscriptEvent:
        event = TranscriptEvent(
            at=self.now_text(),
            actor=actor,
            direction=direction,
            kind=kind,
            text=text,
            step=self.step,
            **extra,
        )
        self.transcript.append(event)
        return event

    def events_of_step(self, step: int) -> list[TranscriptEvent]:
        return [event for event in self.transcript if event.step == step]

    def tools_of_step(self, step: int | None) -> list[ToolCall]:
        return [call for index, call in self.tools if step is None or index == step]

    def collect_sent(self) -> list[TranscriptEvent]:
        """Read what the bots sent since the last look from the Bot API stand-in's call log."""
        calls = self.api.calls
        new = calls[self.api_cursor :]
        self.api_cursor = len(calls)
        by_chat = {actor.user_id: name for name, actor in self.actors.items()}
        events = []
        for call in new:
            if call.token not in (self.lead_bot_token, self.team_bot_token):
                continue
            method = call.method.lower()
            if method not in (
                "sendmessage",
                "editmessagetext",
                "sendphoto",
                "senddocument",
                "sendmediagroup",
            ):
                continue
            if call.result is None and method in ("sendphoto", "sendmediagroup"):
                continue  # refused: the lead saw nothing
            chat = call.chat_id
            actor = by_chat.get(chat) if isinstance(chat, int) else None
            if actor is None:
                actor = self.other_chats.get(chat, "other chat") if isinstance(chat, int) else "?"
            text = call.text or str(call.params.get("caption") or "")
            photos = 1 if method == "sendphoto" else 0
            if method == "sendmediagroup":
                media = [item for item in call.params.get("media") or [] if isinstance(item, dict)]
                photos = sum(1 for item in media if item.get("type") == "photo")
                text = "\n".join(str(item["caption"]) for item in media if item.get("caption"))
            buttons = [str(b.get("text", "")) for b in call.buttons()]
            kind = {"editmessagetext": "edit", "sendphoto": "photo", "sendmediagroup": "photo"}.get(
                method, "message"
            )
            bot = "team" if call.token == self.team_bot_token else "lead"
            events.append(
                self.record(actor, "out", kind, text, buttons=buttons, phase=f"{bot} bot", photos=photos)
            )
        return events


@dataclass(frozen=True)
class Choice:
    label: str
    payload: Any


def load_fake_telegram() -> Any:
    """The loopback Bot API the eval cases run the bots against (imported on first use: it pulls in tornado)."""
    return importlib.import_module("evals.bot_api")


def _start_time(case: ResolvedCase, zone: ZoneInfo) -> datetime:
    start = case.clock or DEFAULT_START
    return start.replace(tzinfo=zone) if start.tzinfo is None else start


def _fake_token() -> str:
    return f"{secrets.randbelow(9 * 10**9) + 10**9}:eval{secrets.token_hex(12)}"


def case_settings(
    base: Any, case: ResolvedCase, actors: dict[str, ActorIdentity], api: Any, team_token: str
) -> Any:
    """The settings a case runs with: its admins, its domain, the stand-in Bot API, no real tokens."""
    from pydantic import SecretStr

    admins = [a.user_id for a in actors.values() if a.role == "admin" and a.spec.admin_scope == "global"]
    return base.model_copy(
        update={
            "admin_telegram_ids": admins,
            "corporate_email_domain": case.tenant.corporate_email_domain,
            "telegram_api_base_url": api.base_url,
            "telegram_file_base_url": api.file_base_url,
            "registry_bot_token": SecretStr(team_token),
            "webhook_secret": None,
            "public_base_url": None,
            "token_encryption_key": base.token_encryption_key or _eval_token_key(),
        }
    )


@cache
def _eval_token_key() -> Any:
    """A key for this process's eval tenants when none is configured (their lead-bot tokens are fakes, stored
    encrypted like real ones)."""
    from cryptography.fernet import Fernet
    from pydantic import SecretStr

    return SecretStr(Fernet.generate_key().decode())


@asynccontextmanager
async def open_world(
    services: Services, case: ResolvedCase, trial: int, api: Any, *, keep: bool = False
) -> AsyncIterator[World]:
    """Create the case's tenant and setup; delete the tenant afterwards unless `keep`."""
    from agent.adapters.crypto import LeadBotTokens
    from storage.repositories.tenants import TenantRepository

    zone = ZoneInfo(case.tenant.time_zone or "UTC")
    clock = FrozenClock(_start_time(case, zone))
    actors = {name: ActorIdentity(name, spec, next(_user_ids)) for name, spec in case.actors.items()}
    lead_token, team_token = _fake_token(), _fake_token()
    settings = case_settings(services.settings, case, actors, api, team_token)
    case_services = services.derive(settings, clock=clock, model=services.model, embedder=services.embedder)
    slug = f"eval-{uuid.uuid4().hex[:12]}"
    fields = case.tenant.model_dump(exclude_none=True, exclude={"sequences"})
    name = fields.pop("name", None) or f"Eval {case.suite[:60]} / {case.id[:60]}"
    async with services.database.session() as session:
        tenant = await TenantRepository(session).create(
            name=name,
            slug=slug,
            **LeadBotTokens(settings).columns(lead_token),
            lead_bot_username=f"eval_{slug[5:]}_bot",
            **fields,
        )
        tenant_id = tenant.id
    world = World(
        case=case,
        trial=trial,
        services=case_services,
        clock=clock,
        tenant_id=tenant_id,
        tenant_slug=slug,
        time_zone=str(zone),
        lead_bot_token=lead_token,
        team_bot_token=team_token,
        actors=actors,
        api=api,
    )
    world.api_cursor = len(api.calls)
    try:
        await _setup(world)
        yield world
    finally:
        await case_services.telegram.close()
        if not keep:
            await _forget_threads(world)
            async with services.database.session() as session:
                await session.execute(delete(Tenant).where(Tenant.id == tenant_id))


async def _forget_threads(world: World) -> None:
    """Delete the case's conversation checkpoints (the tenant's rows go with the tenant)."""
    try:
        from agent.adapters.checkpointer import conversation_store
        from bot.team import thread_id as team_thread
        from graphs.sales.conversation import thread_id as lead_thread
    except ImportError:
        return
    async with world.services.database.session() as session:
        leads = (await session.execute(select(Lead.id).where(Lead.tenant_id == world.tenant_id))).scalars()
        threads = [lead_thread(world.tenant_id, lead_id) for lead_id in leads]
    threads += [team_thread(actor.user_id) for actor in world.actors.values() if actor.role != "lead"]
    store = await conversation_store(world.services)
    if store.saver is not None:
        for thread in threads:
            await store.saver.adelete_thread(thread)


async def _setup(world: World) -> None:
    from evals.expectations import lead_snapshot

    case = world.case
    now = world.clock.now()
    if case.catalog is not None:
        await import_catalog(world, case.catalog)
    if case.tenant.sequences == "default":
        from agent.services.jobs.sequences import ensure_default_sequences

        async with world.services.database.session() as session:
            await ensure_default_sequences(session, world.tenant_id)
    async with world.services.database.session() as session:
        reps_by_actor: dict[str, SalesRepresentative] = {}
        declared = {rep.actor for rep in case.reps if rep.actor}
        tenant_admins = [
            RepSetup(
                actor=name,
                name=actor.spec.first_name,
                status="active",
                admin=True,
                language=actor.spec.language_code,
            )
            for name, actor in world.actors.items()
            if actor.role == "admin" and actor.spec.admin_scope == "tenant" and name not in declared
        ]
        for index, rep in enumerate([*case.reps, *tenant_admins]):
            actor = world.actors.get(rep.actor) if rep.actor else None
            user_id = actor.user_id if actor else next(_user_ids)
            if actor is None:
                world.other_chats[user_id] = f"rep {rep.name}"
            record = SalesRepresentative(
                tenant_id=world.tenant_id,
                telegram_id=user_id,
                telegram_chat_id=user_id,
                name=rep.name,
                email=rep.email or f"rep{index + 1}@{case.tenant.corporate_email_domain or 'agency.example'}",
                language=rep.language,
                status=rep.status,
                is_admin=rep.admin,
                working_hours=rep.working_hours or {},
                registered_at=now,
                approved_at=now if rep.status == "active" else None,
            )
            session.add(record)
            if rep.actor:
                reps_by_actor[rep.actor] = record
        for lead in case.case.leads:
            session.add(
                Lead(
                    tenant_id=world.tenant_id,
                    telegram_user_id=next(_user_ids),
                    name=lead.name,
                    phone=lead.phone,
                    email=lead.email,
                    language=lead.language,
                    location=lead.location,
                    budget_max=lead.budget_max,
                    notes=lead.notes,
                    status="qualified",
                    first_inbound_at=now - timedelta(days=1),
                    last_inbound_at=now - timedelta(days=1),
                )
            )
        await session.flush()
        for prospect in case.case.prospects:
            assigned = reps_by_actor.get(prospect.assigned_to) if prospect.assigned_to else None
            session.add(
                Prospect(
                    id=prospect.id or f"{world.tenant_slug}-{uuid.uuid4().hex[:8]}",
                    tenant_id=world.tenant_id,
                    telegram_id=prospect.telegram,
                    name=prospect.name,
                    context=prospect.context,
                    email=prospect.email,
                    notes=prospect.notes,
                    language=prospect.language,
                    status=prospect.status,
                    assigned_rep_id=assigned.id if assigned else None,
                )
            )
        await session.flush()
        rows = (await session.execute(select(Lead).where(Lead.tenant_id == world.tenant_id))).scalars()
        world.seeded_leads = {row.id: lead_snapshot(row) for row in rows}


async def import_catalog(world: World, spec: CatalogSpec) -> None:
    """Import the case's listings with the catalog importer; a rejected row fails the case's setup."""
    from agent.services.catalog.importer import import_listings, validate_catalog
    from agent.services.catalog.readers import RawCatalog, RawRow, read_catalog, sgd_listing_row

    embedder = world.services.embedder
    if spec.demo:
        from agent.services.catalog.demo import DEMO_LISTINGS

        raw = RawCatalog("json", [RawRow(i + 1, dict(row)) for i, row in enumerate(DEMO_LISTINGS)])
    elif spec.file is not None:
        path = (world.case.base_dir / spec.file).resolve()
        raw = read_catalog(path, spec.format)  # type: ignore[arg-type]
    else:
        listings = spec.listings or []
        if spec.format == "sgd":
            listings = [sgd_listing_row(listing) for listing in listings]
        raw = RawCatalog("json", [RawRow(i + 1, row) for i, row in enumerate(listings)])
    catalog = validate_catalog(raw, default_currency=world.case.tenant.default_currency)
    if catalog.errors:
        first = catalog.errors[0]
        raise ValueError(
            f"catalog: {catalog.rejected} listing(s) rejected, e.g. {first.label}: {first.reason}"
        )
    async with world.services.database.session() as session:
        await import_listings(session, world.tenant_id, catalog, embedder)


# -- playing steps --------------------------------------------------------------------------------


class Route(Protocol):
    """How actors reach the system: the Telegram Applications, or the direct call."""

    name: str

    async def act(self, world: World, actor: ActorIdentity, step: Step) -> None: ...

    async def after_jobs(self, world: World) -> None:
        """The follow-up jobs ran: deliver what the running system would deliver next."""

    async def finish(self, world: World) -> None:
        """The case is over: release what was made for it."""

    async def close(self) -> None:
        """The run is over."""


async def play(world: World, route: Route, index: int, step: Step, run_jobs: Callable[[World], Any]) -> None:
    """Play one step, then read back what the bots sent."""
    world.step = index
    if step.action in ("wait", "at"):
        before = world.clock.now()
        if step.action == "wait":
            assert step.by is not None
            world.clock.advance(step.by)
        else:
            assert step.to is not None
            target = step.to if step.to.tzinfo else step.to.replace(tzinfo=ZoneInfo(world.time_zone))
            if target < before:
                raise ValueError(f"step {index + 1}: the clock cannot go back ({target} < {before})")
            world.clock.set(target)
        world.record(
            "clock",
            "clock",
            step.action,
            f"{before.astimezone(ZoneInfo(world.time_zone)):%Y-%m-%d %H:%M} → {world.now_text()}",
        )
        if step.run_jobs:
            await run_jobs(world)
            await route.after_jobs(world)
        world.collect_sent()
        return
    assert step.actor is not None
    actor = world.actors[step.actor]
    inbound = world.record(actor.name, "in", step.action, _inbound_text(step))
    started = wall.perf_counter()
    await route.act(world, actor, step)
    inbound.latency_ms = (wall.perf_counter() - started) * 1000
    world.latencies_ms.append(inbound.latency_ms)
    sent = world.collect_sent()
    calls = world.tools_of_step(index)
    replies = [event for event in sent if event.actor == actor.name]
    if calls and replies and not any(event.tools for event in world.events_of_step(index)):
        replies[0].tools = [{"name": call.name, "args": dict(call.args)} for call in calls]


def _inbound_text(step: Step) -> str:
    if step.action in ("text", "reply"):
        text = step.message
        return text if len(text) <= 2000 else f"{text[:2000]}… ({len(text)} characters)"
    return step.summary().split(": ", 1)[-1]


class DirectPath:
    """Leads through `run_lead_turn`, as the lead bot calls it; reps and admins need the team bot."""

    name = "direct"

    async def act(self, world: World, actor: ActorIdentity, step: Step) -> None:
        if actor.role != "lead":
            raise StepUnsupported(
                f"{actor.name} is a {actor.role}: the team bot (bot/) is needed for this step"
            )
        from graphs.sales.conversation import Inbound, run_lead_turn  # type: ignore[import-not-found]

        lead_id = await self._lead_id(world, actor)
        if step.action == "press":
            offered = world.choices.get(actor.name, [])
            choice = find_choice(offered, step.label or "")
            inbound = Inbound(kind="button", payload=str(choice.payload))
        elif step.action == "contact":
            inbound = Inbound(kind="contact", phone=step.phone)
        elif step.action == "start":
            inbound = Inbound(kind="start", payload=step.code)
        elif step.action == "voice":
            inbound = Inbound(kind="voice")
        else:
            inbound = Inbound(kind="text", text=step.message)
        result = await run_lead_turn(
            world.services, tenant_id=world.tenant_id, lead_id=lead_id, inbound=inbound
        )
        choices = [_choice(c) for c in (result.choices or ())]
        world.choices[actor.name] = choices
        tools = [ToolCall(str(t["name"]), dict(t.get("args") or {})) for t in (result.tools or ())]
        world.tools.extend((world.step, call) for call in tools)
        if result.reply:
            world.record(
                actor.name,
                "out",
                "message",
                result.reply,
                buttons=[c.label for c in choices],
                tools=[{"name": t.name, "args": dict(t.args)} for t in tools],
                phase=getattr(result, "phase", None),
            )

    async def _lead_id(self, world: World, actor: ActorIdentity) -> int:
        from agent.services.leads import get_or_create_telegram_lead

        async with world.services.database.session() as session:
            tenant = await session.get(Tenant, world.tenant_id)
            assert tenant is not None
            lead = await get_or_create_telegram_lead(
                session,
                tenant,
                actor.user_id,
                chat_id=actor.user_id,
                username=actor.spec.username,
                name=" ".join(p for p in (actor.spec.first_name, actor.spec.last_name) if p),
                language=actor.spec.language_code,
            )
            await session.flush()
            return lead.id

    async def after_jobs(self, world: World) -> None:
        return None

    async def finish(self, world: World) -> None:
        return None

    async def close(self) -> None:
        return None


def _choice(raw: Any) -> Choice:
    if isinstance(raw, Choice):
        return raw
    if isinstance(raw, dict):
        label = str(raw.get("label") or raw.get("text") or "")
        return Choice(label, raw.get("value", raw.get("callback_data", label)))
    label = str(getattr(raw, "label", raw))
    return Choice(label, getattr(raw, "value", label))


def find_choice(offered: Sequence[Choice], label: str) -> Choice:
    """The offered button whose label is `label`, else the first containing it (any case); `#2` is the second."""
    position = re.fullmatch(r"#(\d+)", label.strip())
    if position:
        index = int(position.group(1)) - 1
        if 0 <= index < len(offered):
            return offered[index]
        raise LookupError(f"no button {label} among {[c.label for c in offered] or 'no buttons'}")
    wanted = label.casefold().strip()
    exact = [c for c in offered if c.label.casefold().strip() == wanted]
    partial = [c for c in offered if wanted in c.label.casefold()]
    if exact or partial:
        return (exact or partial)[0]
    raise LookupError(f"no button {label!r} among {[c.label for c in offered] or 'no buttons'}")


def tool_calls_of(world: World, step: int | None) -> Sequence[ToolCall]:
    return world.tools_of_step(step)


async def run_due_jobs(world: World) -> None:
    """Run what the follow-up jobs would do now, for this case's tenant only.

    Every stage is scoped to the case's tenant (the reconcile too): with each case on its own clock, a case
    far in the future must not touch another case's (or a real tenant's) in-flight sends.
    """
    from agent.services.jobs.run import run_due

    report = await run_due(world.services, world.clock.now(), tenant_id=world.tenant_id)
    world.record(
        "jobs",
        "note",
        "jobs",
        _describe_run(
            report.ghost_planned, report.sequence_planned, report.outreach_planned, report.dispatch
        ),
    )


def _describe_run(ghost: int, sequence: int, outreach: int, dispatch: Any) -> str:
    parts = [f"ghost planned {ghost}", f"sequence planned {sequence}", f"outreach planned {outreach}"]
    for name in ("sent", "held", "cancelled", "skipped", "failed", "unknown"):
        value = getattr(dispatch, name, 0)
        if isinstance(value, int) and value:
            parts.append(f"{name} {value}")
    return "follow-up jobs: " + ", ".join(parts)
