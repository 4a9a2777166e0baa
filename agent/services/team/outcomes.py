"""Won and lost: recording how a deal ended (with a reason from the agency's list and a note), and reopening it.

`record_outcome` and `reopen_lead` work on a lead the caller has loaded (locked) and authorised: the team bot
(`TeamOutcomes`: the lead's rep or an admin of its agency), the web app and the API (the viewer's scope,
agent.services.dashboard.lead_outcome) and the CLI (an operator). Both go through `change_lead`, so the
webhooks, the rep_action interaction and the notes are the same as for any status change, and that stops
every follow-up (agent.services.team.outcome_effects); each writes one audit row saying who and when.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz, process, utils
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.nlu.lexicon import flat_key
from agent.core.outcomes import OUTCOME_BUTTON, OUTCOMES, OutcomeKind, reasons_in
from agent.services.team.authority import Authority
from agent.services.team.cards import Actor
from agent.services.team.crm import NOTE_LIMIT, change_lead
from agent.services.team.errors import NotYourClient, TeamError
from agent.services.team.outcome_effects import OUTCOME_STATUSES, Stopped, stop_follow_ups
from storage.enums import LeadStatus, RepStatus
from storage.models import Lead, Tenant
from storage.repositories.audit import AuditRepository
from storage.repositories.followups import outcome_cancel_reason
from storage.repositories.reps import RepBookRepository, RepRepository

OUTCOME_ACTION = "lead.outcome"
REOPEN_ACTION = "lead.reopen"
BUTTON_ACTION = OUTCOME_BUTTON
REOPEN_STATUSES: tuple[str, ...] = tuple(s.value for s in LeadStatus if s.value not in OUTCOME_STATUSES)
"""Where a reopened lead may go; by default back to the status it had before won/lost."""
REOPEN_DEFAULT = LeadStatus.QUALIFIED.value
REASON_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_REASONS = 12
MATCH_SCORE = 75
"""How close (0-100) a name must be to a client's to count as them ("Марию" is Мария at 80)."""
BOOK_SIZE = 500


class OutcomeError(TeamError):
    """An outcome that cannot be recorded as asked; `code` names why."""

    code = "bad_value"


class UnknownReason(OutcomeError):
    """The reason is not in the agency's list for this outcome."""

    def __init__(self, reason: str, allowed: tuple[str, ...]) -> None:
        super().__init__(f"unknown reason {reason[:40]!r}; one of: {', '.join(allowed)}")
        self.reason = reason
        self.allowed = allowed


class NotAnOutcome(OutcomeError):
    def __init__(self, outcome: str) -> None:
        super().__init__(f"outcome must be won or lost, not {outcome[:20]!r}")


class NotClosed(OutcomeError):
    """Reopening a lead that is neither won nor lost."""

    code = "not_closed"


@dataclass(frozen=True)
class Recorder:
    """Who records an outcome, as the lead's interaction and the audit log show it."""

    by: str
    """The rep's id, "telegram:<id>" for an admin without a rep record, "api token <prefix>", "cli"."""
    telegram_id: int | None
    via: str
    """What it came through: "team bot", "web", "api token <prefix>", "cli"."""


@dataclass(frozen=True)
class OutcomeDone:
    """What was recorded (or reopened) on a lead."""

    lead_id: int
    tenant_id: int
    name: str
    previous: str
    status: str
    reason: str | None
    note: str | None
    stopped: Stopped


@dataclass(frozen=True)
class ClientMatch:
    lead_id: int
    name: str
    status: str


def lead_name(lead: Lead) -> str:
    return lead.name or (f"@{lead.telegram_username}" if lead.telegram_username else f"#{lead.id}")


def reasons_of(tenant: Tenant | None) -> dict[OutcomeKind, tuple[str, ...]]:
    """The agency's reason codes per outcome; the defaults for an outcome it has set none for."""
    return reasons_in(tenant.outcome_reasons if tenant is not None else None)


def checked_reasons(codes: list[str]) -> list[str]:
    """An agency's list as given (comma-separated codes), validated: lower-case codes, no repeats, at most 12."""
    cleaned = list(dict.fromkeys(code.strip().lower() for code in codes if code.strip()))
    bad = [code for code in cleaned if not REASON_CODE.match(code)]
    if bad:
        raise OutcomeError(
            f"a reason code is a-z, 0-9 and _, starting with a letter, up to 40: {bad[0][:40]!r}"
        )
    if not cleaned or len(cleaned) > MAX_REASONS:
        raise OutcomeError(f"give 1 to {MAX_REASONS} reason codes")
    return cleaned


async def set_reasons(
    session: AsyncSession,
    tenant: Tenant,
    outcome: OutcomeKind,
    codes: list[str] | None,
    *,
    by: str,
    now: datetime,
) -> dict[OutcomeKind, tuple[str, ...]]:
    """Set (None: back to the defaults) the agency's reason codes for one outcome; audited."""
    if outcome not in OUTCOMES:
        raise NotAnOutcome(outcome)
    stored = dict(tenant.outcome_reasons or {})
    if codes is None:
        stored.pop(outcome, None)
    else:
        stored[outcome] = checked_reasons(codes)
    tenant.outcome_reasons = stored or None
    await AuditRepository(session).record(
        action="tenant.outcome_reasons",
        now=now,
        actor_telegram_id=None,
        tenant_id=tenant.id,
        target=f"tenant:{tenant.id}",
        detail=f"{by}: {outcome}={','.join(stored.get(outcome, [])) or 'defaults'}",
    )
    return reasons_of(tenant)


async def record_outcome(
    session: AsyncSession,
    lead: Lead,
    *,
    outcome: str,
    reason: str | None,
    note: str | None,
    who: Recorder,
    now: datetime,
    channel: str = "team_bot",
) -> OutcomeDone:
    """Mark the (locked, authorised) lead won or lost with a reason from its agency's list and a note."""
    if outcome not in OUTCOMES:
        raise NotAnOutcome(outcome)
    allowed = reasons_of(await session.get(Tenant, lead.tenant_id))[outcome]  # type: ignore[index]
    code = (reason or "").strip().lower() or None
    if code is not None and code not in allowed:
        raise UnknownReason(code, allowed)
    cleaned = " ".join((note or "").split())[:NOTE_LIMIT] or None
    previous, before = lead.status, (lead.outcome_reason, lead.outcome_note)
    if previous == outcome and before == (code, cleaned):
        # An identical repeat (an API retry, a CLI re-run, a resubmitted form): nothing to change or audit.
        return OutcomeDone(
            lead.id, lead.tenant_id, lead_name(lead), previous, outcome, code, cleaned, Stopped()
        )
    if previous not in OUTCOME_STATUSES:
        lead.extra = {**(lead.extra or {}), "status_before_outcome": previous}
    line = f"{outcome}" + (f" ({code})" if code else "") + (f": {cleaned}" if cleaned else "")
    # Counted here (change_lead stops them too, but only on a real change: won -> won with a new reason is none).
    stopped = await stop_follow_ups(session, lead, now, outcome_cancel_reason(outcome))
    await change_lead(session, lead, by=who.by, now=now, status=outcome, note=line, channel=channel)
    if (
        previous != outcome or lead.outcome_at is None
    ):  # the deal ended once: a new reason or note keeps its time
        lead.outcome_at = now
    lead.outcome_reason, lead.outcome_note = code, cleaned
    if previous == outcome:
        change = f"{outcome} kept; reason={before[0]} → {code}" + (
            "; note changed" if before[1] != cleaned else ""
        )
    else:
        change = f"{previous} → {outcome}; reason={code}"
    await _audit(session, lead, who, now, OUTCOME_ACTION, change, stopped)
    await session.flush()
    return OutcomeDone(lead.id, lead.tenant_id, lead_name(lead), previous, outcome, code, cleaned, stopped)


async def reopen_lead(
    session: AsyncSession,
    lead: Lead,
    *,
    who: Recorder,
    now: datetime,
    status: str | None = None,
    channel: str = "team_bot",
) -> OutcomeDone:
    """Back from won/lost to an open status (by default the one it had before); the outcome fields are cleared."""
    if lead.status not in OUTCOME_STATUSES:
        raise NotClosed(f"lead {lead.id} is {lead.status}, neither won nor lost")
    before = str((lead.extra or {}).get("status_before_outcome") or REOPEN_DEFAULT)
    target = status or (before if before in REOPEN_STATUSES else REOPEN_DEFAULT)
    if target not in REOPEN_STATUSES:
        raise OutcomeError(f"reopen to one of: {', '.join(REOPEN_STATUSES)}")
    previous = lead.status
    await change_lead(
        session, lead, by=who.by, now=now, status=target, note=f"reopened ({previous})", channel=channel
    )
    await _audit(session, lead, who, now, REOPEN_ACTION, f"{previous} → {target}", Stopped())
    await session.flush()
    return OutcomeDone(lead.id, lead.tenant_id, lead_name(lead), previous, target, None, None, Stopped())


async def _audit(
    session: AsyncSession,
    lead: Lead,
    who: Recorder,
    now: datetime,
    action: str,
    change: str,
    stopped: Stopped,
) -> None:
    await AuditRepository(session).record(
        action=action,
        now=now,
        actor_telegram_id=who.telegram_id,
        tenant_id=lead.tenant_id,
        target=f"lead:{lead.id}",
        detail=f"{who.via}: {change}; by={who.by}; stopped sends={stopped.sends} tasks={stopped.tasks}",
    )


@dataclass(frozen=True)
class OutcomeChoice:
    """A lead the actor may close, with its agency's reasons."""

    lead_id: int
    name: str
    status: str
    reasons: dict[OutcomeKind, tuple[str, ...]]


class TeamOutcomes(Authority):
    """Outcomes from the team bot: only the lead's assigned active rep or an admin of its agency; refusals audited."""

    async def _authorised(
        self, session: AsyncSession, actor: Actor, lead_id: int, action: str
    ) -> tuple[Lead, Recorder]:
        lead = await session.get(Lead, lead_id, with_for_update=True)
        rep = await RepRepository(session).current_across_tenants(actor.telegram_id)
        if lead is not None:
            own = (
                rep is not None
                and rep.status == RepStatus.ACTIVE
                and rep.tenant_id == lead.tenant_id
                and lead.assigned_rep_id == rep.id
            )
            if own and rep is not None:
                return lead, Recorder(str(rep.id), actor.telegram_id, "team bot")
            if await self._is_admin(session, actor.telegram_id, lead.tenant_id):
                by = str(rep.id) if rep is not None and rep.tenant_id == lead.tenant_id else None
                return lead, Recorder(by or f"telegram:{actor.telegram_id}", actor.telegram_id, "team bot")
        tenant_id = lead.tenant_id if lead is not None else (rep.tenant_id if rep is not None else None)
        async with self.database.session() as refusal:  # its own transaction: the caller's rolls back
            await self._refuse(
                refusal, actor, action, tenant_id, f"lead:{lead_id}", reason="not_their_client"
            )
        raise NotYourClient(str(lead_id))

    async def choice(self, actor: Actor, lead_id: int) -> OutcomeChoice:
        """The lead and its agency's reasons, when the actor may close it (NotYourClient otherwise, audited)."""
        async with self.database.session() as session:
            lead, _ = await self._authorised(session, actor, lead_id, OUTCOME_ACTION)
            tenant = await session.get(Tenant, lead.tenant_id)
            return OutcomeChoice(lead.id, lead_name(lead), lead.status, reasons_of(tenant))

    async def record(
        self, actor: Actor, lead_id: int, outcome: str, reason: str | None, note: str | None = None
    ) -> OutcomeDone:
        async with self.database.session() as session:
            lead, who = await self._authorised(session, actor, lead_id, OUTCOME_ACTION)
            return await record_outcome(
                session, lead, outcome=outcome, reason=reason, note=note, who=who, now=self.clock.now()
            )

    async def reopen(self, actor: Actor, lead_id: int) -> OutcomeDone:
        async with self.database.session() as session:
            lead, who = await self._authorised(session, actor, lead_id, REOPEN_ACTION)
            return await reopen_lead(session, lead, who=who, now=self.clock.now())

    async def has_clients(self, actor: Actor) -> bool:
        """An active rep with at least one lead of their own (whose words may name a client)."""
        async with self.database.session() as session:
            rep = await RepRepository(session).current_across_tenants(actor.telegram_id)
            if rep is None or rep.status != RepStatus.ACTIVE:
                return False
            return bool(await RepBookRepository(session).leads(rep, limit=1))

    async def find_clients(self, actor: Actor, name: str) -> list[ClientMatch]:
        """The actor's own leads whose name is close to `name`, best first (none for someone with no clients)."""
        async with self.database.session() as session:
            rep = await RepRepository(session).current_across_tenants(actor.telegram_id)
            if rep is None or rep.status != RepStatus.ACTIVE:
                return []
            leads = await RepBookRepository(session).leads(rep, limit=BOOK_SIZE)
        return matching_clients(name, leads)


def matching_clients(name: str, leads: list[Lead]) -> list[ClientMatch]:
    """Leads named like `name`: the best scores within a few points of the best one, best first."""
    wanted = flat_key(name)
    names = {lead.id: flat_key(lead_name(lead).lstrip("@")) for lead in leads}
    found = process.extract(
        wanted,
        names,
        scorer=fuzz.token_set_ratio,
        processor=utils.default_process,
        limit=10,
        score_cutoff=MATCH_SCORE,
    )
    if not found:
        return []
    best = found[0][1]
    by_id = {lead.id: lead for lead in leads}
    close = [lead_id for _, score, lead_id in found if score >= best - 5]
    return [ClientMatch(lead_id, lead_name(by_id[lead_id]), by_id[lead_id].status) for lead_id in close]
