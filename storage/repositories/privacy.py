"""A lead's stored data, gathered for export and anonymised for erasure; and the erasure requests of the chat.

Every read and write is scoped by tenant and lead. Erasure keeps every row that is counted (interactions,
sends, viewings, questions, alerts, audit entries) and empties what describes or identifies the person:
names, numbers, addresses, handles, Telegram ids and free texts. `personal_strings` are the lead's own
values, so an audit note that quotes them can be cleaned too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, literal_column, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    AuditLog,
    ErasureRequest,
    ErasureStatus,
    FollowUpSend,
    Lead,
    LeadAlert,
    LeadInsight,
    LeadInteraction,
    LeadLikelihood,
    LeadQuestion,
    LeadScoreFactor,
    Prospect,
    QuestionStatus,
    RepTask,
    SalesRepresentative,
    SendStatus,
    TakeoverForward,
    Viewing,
    WebhookDelivery,
)

ERASED = "[erased]"
"""What replaces a personal value that cannot be empty (a NOT NULL text) or that sits inside a longer note."""
LIVE_SENDS = (SendStatus.PENDING, SendStatus.HELD, SendStatus.CLAIMED)


@dataclass(frozen=True)
class LeadRows:
    """Every stored row about one lead, of one tenant."""

    interactions: list[LeadInteraction]
    factors: list[LeadScoreFactor]
    alerts: list[LeadAlert]
    sends: list[FollowUpSend]
    tasks: list[RepTask]
    questions: list[LeadQuestion]
    viewings: list[Viewing]
    prospects: list[Prospect]
    erasure_requests: list[ErasureRequest]
    audit: list[AuditLog]


def audit_targets(lead_id: int, rows: LeadRows) -> list[str]:
    """The audit targets that name this lead or one of its questions, viewings, sends or requests."""
    return [
        f"lead:{lead_id}",
        *(f"question:{q.id}" for q in rows.questions),
        *(f"viewing:{v.id}" for v in rows.viewings),
        *(f"followup:{s.id}" for s in rows.sends),
        *(f"erasure:{r.id}" for r in rows.erasure_requests),
    ]


def telltale_strings(lead: Lead) -> list[str]:
    """The lead's values that identify them wherever they appear: contacts, handle, a full name (not a bare
    first name, which many people share)."""
    values = [lead.phone, lead.email, f"@{lead.telegram_username}" if lead.telegram_username else None]
    if lead.name and len(lead.name.split()) >= 2:
        values.append(lead.name)
    return [v for v in values if v]


def personal_strings(lead: Lead) -> list[str]:
    """The lead's identifying values as they could appear inside a text (longest first)."""
    values = [lead.name, lead.phone, lead.email, lead.telegram_username]
    values += [str(v) for v in (lead.telegram_user_id, lead.telegram_chat_id) if v is not None]
    if lead.phone:
        values.append(lead.phone.lstrip("+"))
    if lead.telegram_username:
        values.append(f"@{lead.telegram_username}")
    return sorted({v for v in values if v and len(v) >= 3}, key=len, reverse=True)


def _without(column: Any, secrets: Sequence[str]) -> Any:
    """SQL: the column's text with every secret replaced by ERASED."""
    cleaned = column
    for secret in secrets:
        cleaned = func.replace(cleaned, secret, ERASED)
    return cleaned


@dataclass
class LeadDataRepository:
    session: AsyncSession

    async def _all(self, query: Any) -> list[Any]:
        return list((await self.session.execute(query)).scalars())

    async def rows(self, lead: Lead) -> LeadRows:
        """Everything stored about the lead, oldest first within each kind."""
        tenant_id, lead_id = lead.tenant_id, lead.id
        interactions = await self._all(
            select(LeadInteraction)
            .where(LeadInteraction.tenant_id == tenant_id, LeadInteraction.lead_id == lead_id)
            .order_by(LeadInteraction.created_at, LeadInteraction.id)
        )
        factors = await self._all(
            select(LeadScoreFactor).where(LeadScoreFactor.lead_id == lead_id).order_by(LeadScoreFactor.id)
        )
        alerts = await self._all(
            select(LeadAlert)
            .where(LeadAlert.tenant_id == tenant_id, LeadAlert.lead_id == lead_id)
            .order_by(LeadAlert.id)
        )
        sends = await self._all(
            select(FollowUpSend)
            .where(FollowUpSend.tenant_id == tenant_id, FollowUpSend.lead_id == lead_id)
            .order_by(FollowUpSend.due_at, FollowUpSend.id)
        )
        tasks = await self._all(
            select(RepTask)
            .where(RepTask.tenant_id == tenant_id, RepTask.lead_id == lead_id)
            .order_by(RepTask.id)
        )
        questions = await self._all(
            select(LeadQuestion)
            .where(LeadQuestion.tenant_id == tenant_id, LeadQuestion.lead_id == lead_id)
            .order_by(LeadQuestion.asked_at, LeadQuestion.id)
        )
        viewings = await self._all(
            select(Viewing)
            .where(Viewing.tenant_id == tenant_id, Viewing.lead_id == lead_id)
            .order_by(Viewing.starts_at, Viewing.id)
        )
        prospects = await self._all(
            select(Prospect)
            .where(Prospect.tenant_id == tenant_id, Prospect.lead_id == lead_id)
            .order_by(Prospect.id)
        )
        requests = await self._all(
            select(ErasureRequest)
            .where(ErasureRequest.tenant_id == tenant_id, ErasureRequest.lead_id == lead_id)
            .order_by(ErasureRequest.id)
        )
        partial = LeadRows(
            interactions, factors, alerts, sends, tasks, questions, viewings, prospects, requests, []
        )
        audit = await self._all(
            select(AuditLog)
            .where(AuditLog.tenant_id == tenant_id, AuditLog.target.in_(audit_targets(lead_id, partial)))
            .order_by(AuditLog.created_at, AuditLog.id)
        )
        return LeadRows(
            interactions, factors, alerts, sends, tasks, questions, viewings, prospects, requests, audit
        )

    async def anonymise(self, lead: Lead, now: datetime) -> dict[str, int]:
        """Empty the lead's personal data in every table, keep every counted row; rows changed per table.

        The lead row keeps its status, source, preferences' kinds, counters and score; it loses its name,
        contacts, Telegram identity, notes and free texts (the outcome's note too), any takeover, is opted out
        (nothing automatic reaches it) and records `extra.erased_at`. Sends still planned are cancelled;
        forwards to a rep (sent or not) and the learned likelihood are deleted.
        """
        tenant_id, lead_id = lead.tenant_id, lead.id
        rows = await self.rows(lead)
        secrets = personal_strings(lead)
        changed: dict[str, int] = {}

        async def run(name: str, statement: Any) -> None:
            result = await self.session.execute(statement)
            changed[name] = changed.get(name, 0) + int(result.rowcount or 0)  # type: ignore[attr-defined]

        await run(
            "lead_interactions",
            update(LeadInteraction)
            .where(LeadInteraction.tenant_id == tenant_id, LeadInteraction.lead_id == lead_id)
            .values(text=None, meta={}),
        )
        await run(
            "lead_score_factors",
            update(LeadScoreFactor).where(LeadScoreFactor.lead_id == lead_id).values(explanation=""),
        )
        await run(
            "lead_alerts",
            update(LeadAlert)
            .where(LeadAlert.tenant_id == tenant_id, LeadAlert.lead_id == lead_id)
            .values(payload={}),
        )
        await run(  # an alert not sent yet is about no one now: it never goes out
            "lead_alerts.withdrawn",
            update(LeadAlert)
            .where(
                LeadAlert.tenant_id == tenant_id,
                LeadAlert.lead_id == lead_id,
                LeadAlert.delivered_at.is_(None),
            )
            .values(delivered_at=now),
        )
        await run(
            "followup_sends",
            update(FollowUpSend)
            .where(FollowUpSend.tenant_id == tenant_id, FollowUpSend.lead_id == lead_id)
            .values(text=None, error=None),
        )
        await run(
            "followup_sends.cancelled",
            update(FollowUpSend)
            .where(
                FollowUpSend.tenant_id == tenant_id,
                FollowUpSend.lead_id == lead_id,
                FollowUpSend.status.in_(LIVE_SENDS),
            )
            .values(status=SendStatus.CANCELLED, hold_reason=None),
        )
        await run(
            "rep_tasks",
            update(RepTask)
            .where(RepTask.tenant_id == tenant_id, RepTask.lead_id == lead_id)
            .values(note=None),
        )
        await run(
            "lead_questions",
            update(LeadQuestion)
            .where(LeadQuestion.tenant_id == tenant_id, LeadQuestion.lead_id == lead_id)
            .values(question=ERASED, answer=None),
        )
        await run(
            "lead_questions.closed",
            update(LeadQuestion)
            .where(
                LeadQuestion.tenant_id == tenant_id,
                LeadQuestion.lead_id == lead_id,
                LeadQuestion.status == QuestionStatus.OPEN,
            )
            .values(status=QuestionStatus.EXPIRED),
        )
        await run(  # the lead's name and phone in webhook events (sent or not): ids and statuses stay
            "webhook_deliveries",
            update(WebhookDelivery)
            .where(
                WebhookDelivery.tenant_id == tenant_id,
                WebhookDelivery.payload["data"]["lead_id"].as_integer() == lead_id,
            )
            .values(payload=literal_column("payload #- '{data,name}' #- '{data,phone}'")),
        )
        await run(  # quotes of what the lead said: the next refresh composes it again from what is left
            "lead_insights",
            delete(LeadInsight).where(LeadInsight.tenant_id == tenant_id, LeadInsight.lead_id == lead_id),
        )
        await run(  # the lead's words forwarded to a rep; one not sent yet must never go out
            "takeover_forwards",
            delete(TakeoverForward).where(
                TakeoverForward.tenant_id == tenant_id, TakeoverForward.lead_id == lead_id
            ),
        )
        await (
            run(  # its factors may quote a free-text source; the next rescore of what is left writes it again
                "lead_likelihoods",
                delete(LeadLikelihood).where(
                    LeadLikelihood.tenant_id == tenant_id, LeadLikelihood.lead_id == lead_id
                ),
            )
        )
        await run(
            "viewings",
            update(Viewing)
            .where(Viewing.tenant_id == tenant_id, Viewing.lead_id == lead_id)
            .values(notes=None),  # `extra` is calendar bookkeeping (kind, revision), nothing personal
        )
        await run(
            "prospects",
            update(Prospect)
            .where(Prospect.tenant_id == tenant_id, Prospect.lead_id == lead_id)
            .values(
                name=ERASED, telegram_id=ERASED, telegram_chat_id=None, email=None, context=None, notes=None
            ),
        )
        if secrets and rows.audit:
            await run(
                "audit_log",
                update(AuditLog)
                .where(AuditLog.id.in_([entry.id for entry in rows.audit]), AuditLog.detail.is_not(None))
                .values(detail=_without(AuditLog.detail, secrets)),
            )
        if secrets:
            # A note anywhere in the agency's audit that quotes the lead's number or e-mail (a refused command
            # typed about them) loses it too; names are too common to replace outside the lead's own entries.
            contacts = [s for s in secrets if any(ch.isdigit() for ch in s) or "@" in s]
            if contacts:
                await run(
                    "audit_log",
                    update(AuditLog)
                    .where(
                        AuditLog.tenant_id == tenant_id,
                        or_(*(AuditLog.detail.contains(secret, autoescape=True) for secret in contacts)),
                    )
                    .values(detail=_without(AuditLog.detail, contacts)),
                )
        if lead.telegram_user_id is not None:
            # The lead's own requests and refused links name them as the actor; a rep of the agency who also
            # wrote to the lead bot keeps their trail.
            is_rep = select(SalesRepresentative.id).where(
                SalesRepresentative.tenant_id == tenant_id,
                SalesRepresentative.telegram_id == lead.telegram_user_id,
            )
            await run(
                "audit_log.actor",
                update(AuditLog)
                .where(
                    AuditLog.tenant_id == tenant_id,
                    AuditLog.actor_telegram_id == lead.telegram_user_id,
                    ~is_rep.exists(),
                )
                .values(actor_telegram_id=None),
            )
        for column in (
            "telegram_user_id",
            "telegram_chat_id",
            "telegram_username",
            "name",
            "phone",
            "email",
            "notes",
            "timeline",
            "outcome_note",  # free text; the outcome itself (status, reason code, time) is counted and stays
            "taken_over_by",  # nobody talks to an erased lead: their messages are no one's to forward
            "taken_over_at",
        ):
            setattr(lead, column, None)
        lead.opted_out = True
        lead.extra = {"erased_at": now.isoformat()}
        await self.session.flush()
        changed["leads"] = 1
        return changed


CHECKPOINT_TABLES = ("checkpoints", "checkpoint_blobs", "checkpoint_writes")
"""LangGraph's tables (langgraph-checkpoint-postgres): a thread's state, its large values, its pending writes."""


def _like(value: str) -> str:
    """`value` matched literally by LIKE (its wildcards escaped)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def threads_mentioning(session: AsyncSession, needles: Sequence[str], prefix: str) -> list[str]:
    """Checkpoint threads whose id starts with `prefix` and whose stored state holds one of `needles` (as UTF-8,
    in the inline JSON or in a serialised blob); none before the checkpointer has made its tables."""
    if not needles or not await session.scalar(text("SELECT to_regclass('checkpoint_blobs') IS NOT NULL")):
        return []
    found: set[str] = set()
    for needle in needles:
        query = text(
            "SELECT thread_id FROM checkpoints WHERE thread_id LIKE :prefix AND checkpoint::text LIKE :like "
            "UNION SELECT thread_id FROM checkpoint_blobs WHERE thread_id LIKE :prefix "
            "AND position(convert_to(:needle, 'UTF8') in blob) > 0 "
            "UNION SELECT thread_id FROM checkpoint_writes WHERE thread_id LIKE :prefix "
            "AND position(convert_to(:needle, 'UTF8') in blob) > 0"
        ).bindparams(
            bindparam("prefix", prefix.replace("%", r"\%").replace("_", r"\_") + "%"),
            bindparam("needle", needle),
            bindparam("like", "%" + needle.replace("%", r"\%").replace("_", r"\_") + "%"),
        )
        found.update(str(row) for row in (await session.execute(query)).scalars())
    return sorted(found)


@dataclass
class ErasureRequestRepository:
    session: AsyncSession

    async def pending_for(self, tenant_id: int, lead_id: int) -> ErasureRequest | None:
        query = select(ErasureRequest).where(
            ErasureRequest.tenant_id == tenant_id,
            ErasureRequest.lead_id == lead_id,
            ErasureRequest.status == ErasureStatus.PENDING,
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def request(self, tenant_id: int, lead_id: int, now: datetime) -> tuple[ErasureRequest, bool]:
        """The lead's pending request, made now unless one already waits; (request, made now)."""
        waiting = await self.pending_for(tenant_id, lead_id)
        if waiting is not None:
            return waiting, False
        row = ErasureRequest(
            tenant_id=tenant_id, lead_id=lead_id, status=ErasureStatus.PENDING.value, requested_at=now
        )
        self.session.add(row)
        await self.session.flush()
        return row, True

    async def get(
        self, tenant_id: int, request_id: int, *, for_update: bool = False
    ) -> ErasureRequest | None:
        query = select(ErasureRequest).where(
            ErasureRequest.id == request_id, ErasureRequest.tenant_id == tenant_id
        )
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def uncarded_all_tenants(self, limit: int = 50) -> Sequence[ErasureRequest]:
        """Pending requests whose admins' cards have not gone out yet, oldest first, across tenants (the team
        bot serves every agency), locked so two processes do not card one request twice."""
        query = (
            select(ErasureRequest)
            .where(ErasureRequest.status == ErasureStatus.PENDING, ErasureRequest.carded_at.is_(None))
            .order_by(ErasureRequest.requested_at, ErasureRequest.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list((await self.session.execute(query)).scalars())

    async def decide(
        self, request: ErasureRequest, status: ErasureStatus, telegram_id: int | None, now: datetime
    ) -> None:
        request.status = status.value
        request.decided_at = now
        request.decided_by_telegram_id = telegram_id
        await self.session.flush()
