"""Relayed questions: record one, find the one a rep answers, and claim the timeout messages exactly once.

A timeout message (the rep's reminder, the lead's "the agent will follow up") is claimed by setting its
column in a short transaction over rows locked with SKIP LOCKED: a second worker skips the locked rows and
no longer matches the claimed ones. A claim whose message certainly did not go out is given back (`release`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Lead, LeadQuestion, QuestionStatus, SalesRepresentative

TimeoutColumn = Literal["reminded_at", "lead_told_at"]


@dataclass
class QuestionRepository:
    session: AsyncSession

    async def add(
        self,
        *,
        tenant_id: int,
        lead_id: int,
        question: str,
        now: datetime,
        property_id: int | None = None,
        rep_id: uuid.UUID | None = None,
        recipients: Sequence[dict[str, object]] = (),
    ) -> LeadQuestion:
        row = LeadQuestion(
            tenant_id=tenant_id,
            lead_id=lead_id,
            property_id=property_id,
            rep_id=rep_id,
            question=question,
            status=QuestionStatus.OPEN.value,
            asked_at=now,
            recipients=list(recipients),
        )
        self.session.add(row)
        await self.session.flush()
        return row

    async def get(self, question_id: int, *, for_update: bool = False) -> LeadQuestion | None:
        query = select(LeadQuestion).where(LeadQuestion.id == question_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def note_card(self, question_id: int, chat_id: int, message_id: int) -> None:
        """Keep the first card's chat and message id (a reply to any card is matched by the card memory)."""
        await self.session.execute(
            update(LeadQuestion)
            .where(LeadQuestion.id == question_id, LeadQuestion.card_message_id.is_(None))
            .values(card_chat_id=chat_id, card_message_id=message_id)
        )

    async def open_for_rep(self, rep: SalesRepresentative) -> list[LeadQuestion]:
        """The rep's open questions, oldest first."""
        query = (
            select(LeadQuestion)
            .where(
                LeadQuestion.tenant_id == rep.tenant_id,
                LeadQuestion.rep_id == rep.id,
                LeadQuestion.status == QuestionStatus.OPEN.value,
            )
            .order_by(LeadQuestion.asked_at, LeadQuestion.id)
        )
        return list((await self.session.execute(query)).scalars())

    async def of_lead(self, lead: Lead) -> list[LeadQuestion]:
        query = (
            select(LeadQuestion)
            .where(LeadQuestion.tenant_id == lead.tenant_id, LeadQuestion.lead_id == lead.id)
            .order_by(LeadQuestion.id)
        )
        return list((await self.session.execute(query)).scalars())

    async def lock_due(
        self, column: TimeoutColumn, asked_before: datetime, *, tenant_id: int | None = None, limit: int = 50
    ) -> Sequence[LeadQuestion]:
        """Open questions asked before `asked_before` whose `column` is still unset, locked (SKIP LOCKED)."""
        field = getattr(LeadQuestion, column)
        query = (
            select(LeadQuestion)
            .where(
                LeadQuestion.status == QuestionStatus.OPEN.value,
                LeadQuestion.asked_at <= asked_before,
                field.is_(None),
            )
            .order_by(LeadQuestion.asked_at, LeadQuestion.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if tenant_id is not None:
            query = query.where(LeadQuestion.tenant_id == tenant_id)
        return list((await self.session.execute(query)).scalars())

    async def release(self, question_id: int, column: TimeoutColumn, claimed_at: datetime) -> None:
        """Give a claim back: its message certainly did not go out (flood control), the next round retries."""
        field = getattr(LeadQuestion, column)
        await self.session.execute(
            update(LeadQuestion)
            .where(LeadQuestion.id == question_id, field == claimed_at)
            .values({column: None})
        )

    async def expire(self, asked_before: datetime, *, tenant_id: int | None = None) -> int:
        """Open questions older than `asked_before` stop waiting (a plain message no longer answers them)."""
        statement = (
            update(LeadQuestion)
            .where(LeadQuestion.status == QuestionStatus.OPEN.value, LeadQuestion.asked_at <= asked_before)
            .values(status=QuestionStatus.EXPIRED.value)
            .returning(LeadQuestion.id)
        )
        if tenant_id is not None:
            statement = statement.where(LeadQuestion.tenant_id == tenant_id)
        return len((await self.session.execute(statement)).all())
