"""Follow-ups: sequence templates, the exactly-once sends ledger, and what a rep sees of it.

The ledger's life: a planner inserts a row (`pending`, or `held` awaiting approval) under UNIQUE(lead, step) or
UNIQUE(prospect, step), so a message is planned at most once; a worker locks due rows with SKIP LOCKED and
turns one into `claimed` in its own short transaction; after the provider answers, `record_sent` stores the
provider's message id. A row still `claimed` after the lease was left by a dead worker: it becomes `unknown`
and is reported, never resent.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    FOLLOW_UP_ALLOWED,
    GHOST_ELIGIBLE,
    FollowUpSend,
    FollowUpSequence,
    FollowUpStep,
    Lead,
    SendStatus,
)

OPEN_STATUSES = (SendStatus.PENDING, SendStatus.HELD, SendStatus.CLAIMED)
"""A row in one of these may still be sent."""

PROBLEM_STATUSES = (SendStatus.UNKNOWN, SendStatus.FAILED)

HOLD_QUIET_HOURS = "quiet_hours"
HOLD_AWAITING_APPROVAL = "awaiting_approval"
HOLD_TAKEN_OVER = "taken_over"
"""A person talks to the lead: the row waits and is decided again after the hand-back (never cancelled for it)."""
OUTCOME_CANCEL_PREFIX = "outcome: "
"""The `error` of a row cancelled because the lead was won or lost. The planner ignores such rows when it asks
whether the lead's sequence was stopped, so a reopened lead's sequence may plan again."""
VIEWING_KEY_PREFIX = "reminder:"
"""Step keys of a viewing's reminders and outcome question (agent.services.calendars.reminders): not follow-ups."""


@dataclass(frozen=True)
class PlannedSend:
    """A message a planner wants in the ledger."""

    tenant_id: int
    step_key: str
    channel: str
    due_at: datetime
    text: str
    lead_id: int | None = None
    prospect_id: str | None = None
    recipient_rep_id: uuid.UUID | None = None
    awaiting_approval: bool = False


@dataclass(frozen=True)
class StepTemplate:
    position: int
    delay_minutes: int
    channel: str
    purpose: str
    requires_approval: bool = False


@dataclass(frozen=True)
class SequenceCandidate:
    """A lead whose next sequence step is due now."""

    lead_id: int
    step_id: int
    channel: str
    purpose: str
    requires_approval: bool
    due_at: datetime


def outcome_cancel_reason(status: str) -> str:
    """Why a send was cancelled by an outcome ("outcome: lead won"): see OUTCOME_CANCEL_PREFIX."""
    return f"{OUTCOME_CANCEL_PREFIX}lead {status}"


def follow_up_meta(send: FollowUpSend, detail: str | None = None) -> dict[str, object]:
    """What a follow-up's entry on the lead's timeline says about it: its ledger row and message id."""
    meta: dict[str, object] = {"send_id": send.id, "step_key": send.step_key}
    if send.external_message_id:
        meta["external_message_id"] = send.external_message_id
    if detail:
        meta["detail"] = detail
    return meta


@dataclass
class FollowUpRepository:
    session: AsyncSession

    # -- sequence templates ------------------------------------------------------------------------

    async def ensure_sequence(
        self, tenant_id: int, temperature: str, name: str, steps: Sequence[StepTemplate]
    ) -> FollowUpSequence:
        """Create the sequence and any missing step; existing ones (a tenant's edits) are left alone."""
        await self.session.execute(
            insert(FollowUpSequence)
            .values(tenant_id=tenant_id, temperature=temperature, name=name, active=True)
            .on_conflict_do_nothing(index_elements=["tenant_id", "temperature", "name"])
        )
        sequence = (
            await self.session.execute(
                select(FollowUpSequence).where(
                    FollowUpSequence.tenant_id == tenant_id,
                    FollowUpSequence.temperature == temperature,
                    FollowUpSequence.name == name,
                )
            )
        ).scalar_one()
        for step in steps:
            await self.session.execute(
                insert(FollowUpStep)
                .values(
                    sequence_id=sequence.id,
                    position=step.position,
                    delay_minutes=step.delay_minutes,
                    channel=step.channel,
                    purpose=step.purpose,
                    requires_approval=step.requires_approval,
                )
                .on_conflict_do_nothing(index_elements=["sequence_id", "position"])
            )
        return sequence

    async def steps_of(self, tenant_id: int) -> dict[str, list[FollowUpStep]]:
        """Active sequences' steps by temperature, in order."""
        rows = await self.session.execute(
            select(FollowUpSequence.temperature, FollowUpStep)
            .join(FollowUpStep, FollowUpStep.sequence_id == FollowUpSequence.id)
            .where(FollowUpSequence.tenant_id == tenant_id, FollowUpSequence.active.is_(True))
            .order_by(FollowUpSequence.temperature, FollowUpSequence.id, FollowUpStep.position)
        )
        result: dict[str, list[FollowUpStep]] = {}
        for temperature, step in rows.tuples():
            result.setdefault(temperature, []).append(step)
        return result

    async def sequence_candidates(
        self, tenant_id: int, now: datetime, *, min_gap: timedelta, horizon: timedelta, limit: int
    ) -> list[SequenceCandidate]:
        """Leads whose next unplanned step is due, with nothing else open and no recent follow-up.

        A sequence stops for good once the lead answered after one of its messages, or once one of its
        steps was cancelled (reply, booking, opt-out, handoff); a skipped step (no channel) lets the next one go,
        and so does a step cancelled by a won/lost outcome (the lead was reopened since: FOLLOW_UP_ALLOWED holds).
        """
        rows = await self.session.execute(
            text(
                f"""
                SELECT l.id AS lead_id, st.id AS step_id, st.channel, st.purpose, st.requires_approval,
                       l.last_inbound_at + make_interval(mins => st.delay_minutes) AS due_at
                FROM leads l
                JOIN followup_sequences sq
                  ON sq.tenant_id = l.tenant_id AND sq.active
                 AND sq.temperature = CASE WHEN l.temperature = 'burning' THEN 'hot' ELSE l.temperature END
                JOIN LATERAL (
                    SELECT st.id, st.channel, st.purpose, st.requires_approval, st.delay_minutes
                    FROM followup_steps st
                    WHERE st.sequence_id = sq.id
                      AND NOT EXISTS (
                          SELECT 1 FROM followup_sends s WHERE s.lead_id = l.id AND s.step_key = 'seq:' || st.id
                      )
                    ORDER BY st.position
                    LIMIT 1
                ) st ON true
                WHERE l.tenant_id = :tenant_id
                  AND {FOLLOW_UP_ALLOWED}
                  AND l.last_inbound_at > :horizon
                  AND l.last_inbound_at + make_interval(mins => st.delay_minutes) <= :now
                  AND NOT EXISTS (
                      SELECT 1 FROM followup_sends s
                      WHERE s.lead_id = l.id
                        AND (s.status IN ('pending', 'held', 'claimed') OR s.sent_at > :gap_start)
                  )
                  AND NOT EXISTS (
                      SELECT 1 FROM followup_sends s
                      WHERE s.lead_id = l.id AND s.step_key LIKE 'seq:%'
                        AND ((s.status = 'cancelled' AND coalesce(s.error, '') NOT LIKE :outcome_cancelled)
                             OR (s.status IN ('sent', 'unknown')
                                 AND l.last_inbound_at > coalesce(s.sent_at, s.claimed_at)))
                  )
                ORDER BY l.last_inbound_at
                LIMIT :limit
                """
            ),
            {
                "tenant_id": tenant_id,
                "now": now,
                "horizon": now - horizon,
                "gap_start": now - min_gap,
                "outcome_cancelled": OUTCOME_CANCEL_PREFIX + "%",
                "limit": limit,
            },
        )
        return [
            SequenceCandidate(
                lead_id=row.lead_id,
                step_id=row.step_id,
                channel=row.channel,
                purpose=row.purpose,
                requires_approval=row.requires_approval,
                due_at=row.due_at,
            )
            for row in rows
        ]

    # -- Ghost Protocol due-scan -------------------------------------------------------------------

    async def ghost_due_lead_ids(self, tenant_id: int, cutoff: datetime, *, limit: int) -> list[int]:
        """Leads silent since before `cutoff` who could get the nudge and have none planned for this silence.

        The WHERE clause is the predicate of the partial index ix_leads_ghost_due (GHOST_ELIGIBLE), so the scan
        only touches leads who can still be nudged.
        """
        rows = await self.session.execute(
            text(GHOST_DUE_SQL), {"tenant_id": tenant_id, "cutoff": cutoff, "limit": limit}
        )
        return [row[0] for row in rows]

    # -- planning ----------------------------------------------------------------------------------

    async def plan(self, sends: Sequence[PlannedSend], now: datetime) -> int:
        """Insert what is not planned yet; returns how many rows are new (conflicts are silently kept)."""
        if not sends:
            return 0
        values = [
            {
                "tenant_id": s.tenant_id,
                "lead_id": s.lead_id,
                "prospect_id": s.prospect_id,
                "recipient_rep_id": s.recipient_rep_id,
                "step_key": s.step_key,
                "channel": s.channel,
                "status": SendStatus.HELD if s.awaiting_approval else SendStatus.PENDING,
                "hold_reason": HOLD_AWAITING_APPROVAL if s.awaiting_approval else None,
                "due_at": s.due_at,
                "text": s.text,
                "created_at": now,
            }
            for s in sends
        ]
        result = await self.session.execute(
            insert(FollowUpSend).values(values).on_conflict_do_nothing().returning(FollowUpSend.id)
        )
        return len(result.all())

    # -- claiming and recording --------------------------------------------------------------------

    async def lock_due(
        self, now: datetime, *, limit: int, tenant_id: int | None = None
    ) -> list[FollowUpSend]:
        """Due rows nobody else holds, locked until this transaction ends (FOR UPDATE SKIP LOCKED)."""
        query = (
            select(FollowUpSend)
            .where(
                FollowUpSend.status.in_((SendStatus.PENDING, SendStatus.HELD)),
                FollowUpSend.due_at <= now,
                or_(FollowUpSend.hold_reason.is_(None), FollowUpSend.hold_reason != HOLD_AWAITING_APPROVAL),
            )
            .order_by(FollowUpSend.due_at, FollowUpSend.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if tenant_id is not None:
            query = query.where(FollowUpSend.tenant_id == tenant_id)
        return list((await self.session.execute(query)).scalars())

    async def skip_flush_wait(self) -> None:
        """Commit this transaction without waiting for the WAL flush (`synchronous_commit = off`).

        Only for what is written after a send: if the server crashed before the flush, the row would still
        read `claimed` and be reconciled as `unknown` — never sent twice. Claims themselves stay synchronous.
        """
        await self.session.execute(text("SET LOCAL synchronous_commit = off"))

    async def record_sent(
        self, send_id: int, worker: str, external_id: str, now: datetime
    ) -> FollowUpSend | None:
        """Mark a claimed row sent. Also accepted after a reconciler called it `unknown`: now it is known."""
        result = await self.session.execute(
            update(FollowUpSend)
            .where(
                FollowUpSend.id == send_id,
                FollowUpSend.claimed_by == worker,
                FollowUpSend.status.in_((SendStatus.CLAIMED, SendStatus.UNKNOWN)),
            )
            .values(status=SendStatus.SENT, sent_at=now, external_message_id=external_id, error=None)
            .returning(FollowUpSend)
        )
        return result.scalar_one_or_none()

    async def record_outcome(self, send_id: int, worker: str, status: str, error: str) -> bool:
        """failed / unknown / skipped for a row this worker claimed."""
        result = await self.session.execute(
            update(FollowUpSend)
            .where(
                FollowUpSend.id == send_id,
                FollowUpSend.claimed_by == worker,
                FollowUpSend.status == SendStatus.CLAIMED,
            )
            .values(status=status, error=error[:2000])
            .returning(FollowUpSend.id)
        )
        return result.scalar_one_or_none() is not None

    async def release(self, send_id: int, worker: str, due_at: datetime, reason: str) -> bool:
        """Give a claimed row back (the provider asked us to wait): it is certainly unsent."""
        result = await self.session.execute(
            update(FollowUpSend)
            .where(
                FollowUpSend.id == send_id,
                FollowUpSend.claimed_by == worker,
                FollowUpSend.status == SendStatus.CLAIMED,
            )
            .values(status=SendStatus.PENDING, due_at=due_at, claimed_by=None, claimed_at=None, error=reason)
            .returning(FollowUpSend.id)
        )
        return result.scalar_one_or_none() is not None

    async def reconcile_stale_claims(
        self, now: datetime, lease: timedelta, *, tenant_id: int | None = None
    ) -> list[FollowUpSend]:
        """Rows claimed longer ago than the lease: their worker died mid-send. Mark them `unknown`."""
        query = update(FollowUpSend).where(
            FollowUpSend.status == SendStatus.CLAIMED, FollowUpSend.claimed_at < now - lease
        )
        if tenant_id is not None:
            query = query.where(FollowUpSend.tenant_id == tenant_id)
        result = await self.session.execute(
            query.values(
                status=SendStatus.UNKNOWN,
                error=func.concat(
                    "worker ",
                    func.coalesce(FollowUpSend.claimed_by, "?"),
                    " stopped between claiming and recording; delivery unknown, not resent",
                ),
            ).returning(FollowUpSend)
        )
        return list(result.scalars())

    async def expire_approvals(
        self, now: datetime, older_than: timedelta, *, tenant_id: int | None = None
    ) -> int:
        query = update(FollowUpSend).where(
            FollowUpSend.status == SendStatus.HELD,
            FollowUpSend.hold_reason == HOLD_AWAITING_APPROVAL,
            FollowUpSend.due_at < now - older_than,
        )
        if tenant_id is not None:
            query = query.where(FollowUpSend.tenant_id == tenant_id)
        result = await self.session.execute(
            query.values(status=SendStatus.CANCELLED, error="approval expired").returning(FollowUpSend.id)
        )
        return len(result.all())

    # -- cancelling and approving ------------------------------------------------------------------

    async def cancel_open_for_lead(
        self, lead_id: int, reason: str, *, keep_viewing_messages: bool = False
    ) -> int:
        """Cancel whatever is planned or held for this lead (it wrote, opted out, booked...).

        With `keep_viewing_messages`, the reminders of their viewings stay planned (a reply does not
        make a viewing reminder stale).
        """
        query = update(FollowUpSend).where(
            FollowUpSend.lead_id == lead_id,
            FollowUpSend.status.in_((SendStatus.PENDING, SendStatus.HELD)),
        )
        if keep_viewing_messages:
            query = query.where(~FollowUpSend.step_key.startswith(VIEWING_KEY_PREFIX, autoescape=True))
        result = await self.session.execute(
            query.values(status=SendStatus.CANCELLED, error=reason, hold_reason=None).returning(
                FollowUpSend.id
            )
        )
        return len(result.all())

    async def cancel_open_by_key_prefix(self, lead_id: int, prefix: str, reason: str) -> int:
        """Cancel this lead's planned rows whose step key starts with `prefix` (a viewing's reminders)."""
        result = await self.session.execute(
            update(FollowUpSend)
            .where(
                FollowUpSend.lead_id == lead_id,
                FollowUpSend.step_key.startswith(prefix, autoescape=True),
                FollowUpSend.status.in_((SendStatus.PENDING, SendStatus.HELD)),
            )
            .values(status=SendStatus.CANCELLED, error=reason, hold_reason=None)
            .returning(FollowUpSend.id)
        )
        return len(result.all())

    async def cancel_open_for_prospect(
        self, tenant_id: int, prospect_id: str, reason: str, *, cards_too: bool = False
    ) -> int:
        """Cancel what is planned or held for this prospect of this tenant (prospect ids are per tenant)."""
        query = update(FollowUpSend).where(
            FollowUpSend.tenant_id == tenant_id,
            FollowUpSend.prospect_id == prospect_id,
            FollowUpSend.status.in_((SendStatus.PENDING, SendStatus.HELD)),
        )
        if not cards_too:
            query = query.where(FollowUpSend.recipient_rep_id.is_(None))
        result = await self.session.execute(
            query.values(status=SendStatus.CANCELLED, error=reason, hold_reason=None).returning(
                FollowUpSend.id
            )
        )
        return len(result.all())

    async def cancel_cards_to(self, rep_id: uuid.UUID, reason: str) -> int:
        result = await self.session.execute(
            update(FollowUpSend)
            .where(
                FollowUpSend.recipient_rep_id == rep_id,
                FollowUpSend.status.in_((SendStatus.PENDING, SendStatus.HELD)),
            )
            .values(status=SendStatus.CANCELLED, error=reason, hold_reason=None)
            .returning(FollowUpSend.id)
        )
        return len(result.all())

    async def get_for_update(self, send_id: int) -> FollowUpSend | None:
        query = select(FollowUpSend).where(FollowUpSend.id == send_id).with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def awaiting_approval(
        self, tenant_id: int, *, rep_id: uuid.UUID | None = None
    ) -> list[FollowUpSend]:
        """Drafts waiting for a rep's OK (for one rep: those of their leads, and of leads nobody owns)."""
        query = (
            select(FollowUpSend)
            .join(Lead, Lead.id == FollowUpSend.lead_id)
            .where(
                FollowUpSend.tenant_id == tenant_id,
                FollowUpSend.status == SendStatus.HELD,
                FollowUpSend.hold_reason == HOLD_AWAITING_APPROVAL,
            )
            .order_by(FollowUpSend.due_at)
        )
        if rep_id is not None:
            query = query.where(or_(Lead.assigned_rep_id == rep_id, Lead.assigned_rep_id.is_(None)))
        return list((await self.session.execute(query)).scalars())

    # -- reporting ---------------------------------------------------------------------------------

    async def counts_by_status(self, tenant_id: int | None = None) -> dict[str, int]:
        query = select(FollowUpSend.status, func.count()).group_by(FollowUpSend.status)
        if tenant_id is not None:
            query = query.where(FollowUpSend.tenant_id == tenant_id)
        return {status: count for status, count in (await self.session.execute(query)).tuples()}

    async def attention_needed(self, tenant_id: int | None = None, *, limit: int = 50) -> list[FollowUpSend]:
        """Held, unknown and failed rows, newest first: what `realty jobs status` lists."""
        query = (
            select(FollowUpSend)
            .where(FollowUpSend.status.in_((SendStatus.HELD, *PROBLEM_STATUSES)))
            .order_by(FollowUpSend.due_at.desc(), FollowUpSend.id.desc())
            .limit(limit)
        )
        if tenant_id is not None:
            query = query.where(FollowUpSend.tenant_id == tenant_id)
        return list((await self.session.execute(query)).scalars())


GHOST_DUE_SQL = f"""
SELECT id
FROM leads
WHERE {GHOST_ELIGIBLE}
  AND last_inbound_at <= :cutoff
  AND tenant_id = :tenant_id
  AND NOT EXISTS (
      SELECT 1 FROM followup_sends s
      WHERE s.lead_id = leads.id
        AND s.step_key = 'ghost:' || floor(extract(epoch FROM leads.last_inbound_at))::bigint
  )
ORDER BY last_inbound_at
LIMIT :limit
"""
"""The Ghost Protocol's due-scan, on the predicate of ix_leads_ghost_due (GHOST_ELIGIBLE), so it reads the index
alone. One ghost key per silence: `ghost:<epoch of the last inbound message>`."""


def ghost_step_key(last_inbound_at: datetime) -> str:
    """Must match GHOST_DUE_SQL's key expression."""
    return f"ghost:{int(last_inbound_at.timestamp())}"


def is_ghost_step(step_key: str) -> bool:
    """Whether a ledger row is a Ghost Protocol nudge."""
    return step_key.startswith("ghost")
