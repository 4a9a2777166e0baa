"""Send what the ledger says is due, each message exactly once, across any number of workers.

One message at a time per coroutine:
1. claim: in a short transaction, lock the next due row (FOR UPDATE SKIP LOCKED), check the recipient may
   still get it (opted out? wrote first? booked? quiet hours? reachable?) and mark it `claimed`; commit.
2. send: outside any transaction, through the channel (Telegram paced by the bot's one limiter, RetryAfter
   honoured).
3. record: store the provider's message id (`sent`) and the side effects in one transaction: the message
   on the lead's timeline through `record_outbound` (as every message to a lead), ghost flags, prospect status.
A crash between 2 and 3 leaves the row `claimed`; `reconcile_stale_claims` turns it into `unknown` once the
lease has passed and reports it. Nothing ever moves a `claimed` or `unknown` row back to `pending`.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from agent.adapters.channels import (
    Channels,
    ChannelUnavailable,
    DeliveryFailed,
    DeliveryUnknown,
    Outbound,
    RetryLater,
)
from agent.core.policies.quiet_hours import QuietHours, is_quiet, next_send_time
from agent.core.zones import zone_of
from agent.services.calendars.reminders import Dropped, is_viewing_message
from agent.services.calendars.reminders import route as route_viewing_message
from agent.services.leads import record_outbound
from agent.services.provider import Services
from prompts import catalogue
from storage.enums import LeadStatus
from storage.models import (
    LEAD_STOP_STATUSES,
    FollowUpSend,
    Lead,
    ProspectStatus,
    RepStatus,
    SalesRepresentative,
    SendStatus,
    Tenant,
)
from storage.repositories.followups import (
    HOLD_QUIET_HOURS,
    HOLD_TAKEN_OVER,
    FollowUpRepository,
    follow_up_meta,
    is_ghost_step,
    outcome_cancel_reason,
)
from storage.repositories.prospects import OPEN_PROSPECT_STATUSES, ProspectRepository

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
"""Longer than any one send can take (HTTP timeouts, a few inline RetryAfter waits)."""
MAX_INLINE_RETRY_SECONDS = 10.0
"""A RetryAfter up to this long is waited out in place; a longer one gives the row back with a later due_at."""
MAX_SEND_ATTEMPTS = 3
MAX_DECISIONS_PER_CLAIM = 200
TAKEOVER_RECHECK = timedelta(minutes=15)
"""How long a send held for a takeover waits before it is decided again (the hand-back is not signalled)."""


@dataclass(frozen=True)
class Claim:
    send_id: int
    step_key: str
    outbound: Outbound


@dataclass
class DispatchReport:
    sent: int = 0
    held: int = 0
    cancelled: int = 0
    skipped: int = 0
    failed: int = 0
    unknown: int = 0
    retried: int = 0
    reconciled_unknown: list[int] = field(default_factory=list)

    def merge(self, other: DispatchReport) -> None:
        for name in ("sent", "held", "cancelled", "skipped", "failed", "unknown", "retried"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.reconciled_unknown.extend(other.reconciled_unknown)


@dataclass(frozen=True)
class _Cancel:
    reason: str


@dataclass(frozen=True)
class _Hold:
    until: datetime
    reason: str = HOLD_QUIET_HOURS


@dataclass(frozen=True)
class _Skip:
    reason: str


@dataclass(frozen=True)
class _Send:
    outbound: Outbound


_Decision = _Cancel | _Hold | _Skip | _Send


async def reconcile(services: Services, now: datetime, *, tenant_id: int | None = None) -> list[FollowUpSend]:
    """Rows a dead worker left `claimed`: mark them `unknown`, note it on the lead, and log each one.

    Approvals nobody gave in time expire here too. With `tenant_id`, only that tenant's rows.
    """
    async with services.database.session() as session:
        repo = FollowUpRepository(session)
        stale = await repo.reconcile_stale_claims(now, LEASE, tenant_id=tenant_id)
        for send in stale:
            log.warning(
                "follow-up %s (%s, lead %s, prospect %s) was claimed by %s and never recorded: "
                "delivery unknown, it will not be resent",
                send.id,
                send.step_key,
                send.lead_id,
                send.prospect_id,
                send.claimed_by,
            )
            await _on_timeline(session, send, now, status="unknown", detail=send.error)
            if send.lead_id is not None and is_ghost_step(send.step_key):
                # It may have reached them: never risk a second nudge.
                await _mark_ghost_done(session, send.lead_id, count=False)
        await repo.expire_approvals(now, timedelta(days=2), tenant_id=tenant_id)
    return stale


async def dispatch_due(
    services: Services,
    now: datetime | None = None,
    *,
    concurrency: int = 4,
    tenant_id: int | None = None,
    limit: int | None = None,
) -> DispatchReport:
    """Send everything due at `now` (the clock's time by default) with `concurrency` senders."""
    report = DispatchReport()
    budget = [limit if limit is not None else -1]

    async def sender() -> None:
        while budget[0] != 0:
            if budget[0] > 0:
                budget[0] -= 1  # taken before claiming, so concurrent senders never overshoot the limit
            claim = await claim_next(
                services, now or services.clock.now(), tenant_id=tenant_id, report=report
            )
            if claim is None:
                return
            await deliver(services, claim, report=report)

    await asyncio.gather(*(sender() for _ in range(max(1, concurrency))))
    return report


async def claim_next(
    services: Services, now: datetime, *, tenant_id: int | None = None, report: DispatchReport | None = None
) -> Claim | None:
    """Lock due rows one by one, settle those that must not go (cancel, hold, skip), claim the first that may."""
    report = report if report is not None else DispatchReport()
    while True:  # settled rows are committed every MAX_DECISIONS_PER_CLAIM, so locks stay short
        async with services.database.session() as session:
            repo = FollowUpRepository(session)
            for _ in range(MAX_DECISIONS_PER_CLAIM):
                rows = await repo.lock_due(now, limit=1, tenant_id=tenant_id)
                if not rows:
                    return None
                send = rows[0]
                decision = await _decide(session, send, services.channels, now)
                if isinstance(decision, _Send):
                    send.status, send.hold_reason = SendStatus.CLAIMED, None
                    send.claimed_by, send.claimed_at = services.worker_id, now
                    return Claim(send_id=send.id, step_key=send.step_key, outbound=decision.outbound)
                _settle(send, decision, report)


def _settle(send: FollowUpSend, decision: _Cancel | _Hold | _Skip, report: DispatchReport) -> None:
    """A row that must not go now: cancelled for good, held until later, or skipped (no way to reach them)."""
    if isinstance(decision, _Hold):
        send.status, send.hold_reason, send.due_at = SendStatus.HELD, decision.reason, decision.until
        report.held += 1
    elif isinstance(decision, _Cancel):
        send.status, send.error, send.hold_reason = SendStatus.CANCELLED, decision.reason, None
        report.cancelled += 1
    else:
        send.status, send.error, send.hold_reason = SendStatus.SKIPPED, decision.reason, None
        report.skipped += 1


async def deliver(services: Services, claim: Claim, *, report: DispatchReport | None = None) -> str:
    """Send one claimed message and record what happened; returns the final status."""
    report = report if report is not None else DispatchReport()
    worker = services.worker_id
    for attempt in range(1, MAX_SEND_ATTEMPTS + 1):
        try:
            external_id = await services.channels.send(claim.outbound)
        except RetryLater as exc:
            if exc.seconds <= MAX_INLINE_RETRY_SECONDS and attempt < MAX_SEND_ATTEMPTS:
                await asyncio.sleep(exc.seconds)
                continue
            async with services.database.session() as session:
                later = services.clock.now() + timedelta(seconds=max(exc.seconds, 1))
                await FollowUpRepository(session).release(
                    claim.send_id, worker, later, f"flood control: {exc}"
                )
            report.retried += 1
            return SendStatus.PENDING
        except ChannelUnavailable as exc:
            return await _record_problem(services, claim, SendStatus.SKIPPED, str(exc), report)
        except DeliveryFailed as exc:
            log.warning("follow-up %s failed: %s", claim.send_id, exc)
            return await _record_problem(services, claim, SendStatus.FAILED, str(exc), report)
        except DeliveryUnknown as exc:
            log.warning("follow-up %s: delivery unknown, will not resend: %s", claim.send_id, exc)
            return await _record_problem(services, claim, SendStatus.UNKNOWN, str(exc), report)
        except Exception as exc:  # an adapter bug must not turn into a resend loop
            log.exception("follow-up %s: unexpected error while sending", claim.send_id)
            return await _record_problem(
                services, claim, SendStatus.UNKNOWN, f"{type(exc).__name__}: {exc}", report
            )
        await _record_sent(services, claim, external_id)
        report.sent += 1
        return SendStatus.SENT
    raise AssertionError("unreachable: the last attempt always returns")


async def _record_sent(services: Services, claim: Claim, external_id: str) -> None:
    now = services.clock.now()
    async with services.database.session() as session:
        repo = FollowUpRepository(session)
        await repo.skip_flush_wait()
        send = await repo.record_sent(claim.send_id, services.worker_id, external_id, now)
        if send is None:
            log.error(
                "follow-up %s was sent (%s) but its row changed hands; check it", claim.send_id, external_id
            )
            return
        await _on_timeline(session, send, now)
        if send.lead_id is not None and send.recipient_rep_id is None and is_ghost_step(send.step_key):
            await _mark_ghost_done(session, send.lead_id, count=True)
        if send.prospect_id is not None:
            await ProspectRepository(session).mark_contacted(send.tenant_id, send.prospect_id, now)


async def _on_timeline(
    session: AsyncSession,
    send: FollowUpSend,
    now: datetime,
    *,
    status: str = "done",
    detail: str | None = None,
) -> None:
    """Every follow-up about a lead goes on its timeline (`record_outbound`); only one the lead surely received
    counts as contact: a rep's reminder about the lead, or a send whose delivery is unknown, does not."""
    lead = await session.get(Lead, send.lead_id) if send.lead_id is not None else None
    if lead is None:
        return
    await record_outbound(
        session,
        lead,
        text=send.text,
        now=now,
        type="follow_up",
        channel=send.channel,
        meta=follow_up_meta(send, detail),
        status=status,
        contact=status == "done" and send.recipient_rep_id is None,
    )


async def _record_problem(
    services: Services, claim: Claim, status: str, error: str, report: DispatchReport
) -> str:
    now = services.clock.now()
    async with services.database.session() as session:
        repo = FollowUpRepository(session)
        await repo.skip_flush_wait()
        if (
            await repo.record_outcome(claim.send_id, services.worker_id, status, error)
            and status == SendStatus.UNKNOWN
        ):
            send = await session.get(FollowUpSend, claim.send_id)
            if send is not None:
                await _on_timeline(session, send, now, status="unknown", detail=error)
                if send.lead_id is not None and is_ghost_step(send.step_key):
                    await _mark_ghost_done(session, send.lead_id, count=False)
    if status == SendStatus.SKIPPED:
        report.skipped += 1
    elif status == SendStatus.FAILED:
        report.failed += 1
    else:
        report.unknown += 1
    return status


async def _mark_ghost_done(session: AsyncSession, lead_id: int, *, count: bool) -> None:
    values: dict[str, object] = {"ghost_reminder_sent": True}
    if count:
        values["fomo_messages_sent"] = Lead.fomo_messages_sent + 1
    await session.execute(update(Lead).where(Lead.id == lead_id).values(**values))


async def _decide(session: AsyncSession, send: FollowUpSend, channels: Channels, now: datetime) -> _Decision:
    """Whether this row may go now, and as what."""
    tenant = await session.get(Tenant, send.tenant_id)
    if tenant is None:
        return _Cancel("tenant deleted")
    hours = QuietHours(tenant.quiet_hours_start, tenant.quiet_hours_end)
    if is_viewing_message(send.step_key):
        routed = await route_viewing_message(session, send, tenant, channels, now)
        if isinstance(routed, Dropped):
            return _Cancel(routed.reason) if routed.cancel else _Skip(routed.reason)
        return _quiet_or_send(routed.outbound, routed.zone, hours, now)
    if send.lead_id is not None:
        lead = await session.get(Lead, send.lead_id)
        if lead is None:
            return _Cancel("lead deleted")
        return _decide_for_lead(send, lead, tenant, channels, hours, now)
    if send.prospect_id is None:
        return _Cancel("no recipient")
    prospect = await ProspectRepository(session).get(send.tenant_id, send.prospect_id)
    if prospect is None or prospect.status not in OPEN_PROSPECT_STATUSES:
        return _Cancel("prospect closed")
    if send.recipient_rep_id is not None:
        rep = await session.get(SalesRepresentative, send.recipient_rep_id)
        if rep is None or rep.status != RepStatus.ACTIVE or prospect.assigned_rep_id != rep.id:
            return _Cancel("rep no longer holds this prospect")
        if not channels.team_bot_token:
            return _Skip("team bot not configured (REGISTRY_BOT_TOKEN)")
        outbound = Outbound(
            channel="team",
            text=send.text or "",
            bot_token=channels.team_bot_token,
            chat_id=rep.telegram_chat_id or rep.telegram_id,
        )
        return _quiet_or_send(outbound, zone_of(rep.time_zone, tenant.time_zone), hours, now)
    if prospect.status == ProspectStatus.IN_CONVERSATION:
        return _Cancel("prospect already talks to us")
    outbound_or_skip = _address(
        send,
        channels,
        tenant,
        chat_id=prospect.telegram_chat_id,
        email=prospect.email,
        phone=None,
        language=prospect.language,
    )
    if isinstance(outbound_or_skip, _Skip):
        return outbound_or_skip
    return _quiet_or_send(outbound_or_skip, zone_of(tenant.time_zone), hours, now)


def _decide_for_lead(
    send: FollowUpSend, lead: Lead, tenant: Tenant, channels: Channels, hours: QuietHours, now: datetime
) -> _Decision:
    if not lead.opted_out and lead.status not in LEAD_STOP_STATUSES and lead.taken_over_by is not None:
        # A takeover pauses follow-ups: the row waits and is decided again (by the usual rules) after the
        # hand-back; cancelling it would stop the lead's sequence for good.
        return _Hold(now + TAKEOVER_RECHECK, HOLD_TAKEN_OVER)
    if (stop := lead.follow_up_stop()) is not None:
        if not lead.opted_out and lead.status in (LeadStatus.WON, LeadStatus.LOST):
            return _Cancel(outcome_cancel_reason(lead.status))  # reopening lets the sequence plan again
        return _Cancel(stop)
    if lead.last_inbound_at is not None and lead.last_inbound_at > send.created_at:
        return _Cancel("lead wrote first")
    if is_ghost_step(send.step_key) and (stop := lead.ghost_stop()) is not None:
        return _Cancel(stop)
    outbound_or_skip = _address(
        send,
        channels,
        tenant,
        chat_id=lead.telegram_chat_id,
        email=lead.email,
        phone=lead.phone,
        language=lead.language,
    )
    if isinstance(outbound_or_skip, _Skip):
        return outbound_or_skip
    return _quiet_or_send(outbound_or_skip, zone_of(lead.time_zone, tenant.time_zone), hours, now)


def _address(
    send: FollowUpSend,
    channels: Channels,
    tenant: Tenant,
    *,
    chat_id: int | None,
    email: str | None,
    phone: str | None,
    language: str | None,
) -> Outbound | _Skip:
    """The message on the row's channel, or why it cannot go there (recorded as skipped, never faked)."""
    text = send.text or ""
    if send.channel == "telegram":
        token = channels.lead_bot_token(tenant)
        if not token:
            return _Skip("tenant has no lead bot")
        if chat_id is None:
            return _Skip("no Telegram chat: the bot cannot write first")
        return Outbound(channel="telegram", text=text, bot_token=token, chat_id=chat_id)
    if send.channel == "email":
        if channels.email is None:
            return _Skip("SMTP is not configured")
        if not email:
            return _Skip("no e-mail address")
        subject = catalogue.text(language, "followups", "email_subject")
        return Outbound(channel="email", text=text, email=email, subject=f"{subject} — {tenant.name}")
    if send.channel == "whatsapp":
        if channels.whatsapp is None:
            return _Skip("WhatsApp is not configured")
        if not phone:
            return _Skip("no phone number")
        return Outbound(channel="whatsapp", text=text, phone=phone)
    return _Skip(f"unknown channel {send.channel}")


def _quiet_or_send(outbound: Outbound, zone: ZoneInfo, hours: QuietHours, now: datetime) -> _Decision:
    if is_quiet(now, zone, hours):
        return _Hold(next_send_time(now, zone, hours))
    return _Send(outbound)
