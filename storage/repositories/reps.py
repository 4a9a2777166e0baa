"""Sales representatives: look up, register, change status, list by status; and each rep's book of clients."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import FollowUpSend, Lead, Prospect, RepStatus, RepTask, SalesRepresentative, SendStatus

LIVE_STATUSES = (RepStatus.PENDING, RepStatus.ACTIVE, RepStatus.SUSPENDED)
"""Statuses of a rep who still has a record the bot talks about; REMOVED reps may register again."""
OPEN_SEND_STATUSES = (SendStatus.PENDING, SendStatus.CLAIMED, SendStatus.HELD)
_LIVE_FIRST = case(
    (SalesRepresentative.status == RepStatus.ACTIVE, 0),
    (SalesRepresentative.status == RepStatus.PENDING, 1),
    (SalesRepresentative.status == RepStatus.SUSPENDED, 2),
    else_=3,
)
"""Orders one person's records: active, pending, suspended, then removed."""


@dataclass
class RepRepository:
    session: AsyncSession

    async def get(self, rep_id: uuid.UUID) -> SalesRepresentative | None:
        return await self.session.get(SalesRepresentative, rep_id)

    async def by_telegram_id(
        self, telegram_id: int, *, tenant_id: int, for_update: bool = False
    ) -> SalesRepresentative | None:
        """This Telegram user's newest record in this tenant, whatever its status."""
        query = (
            select(SalesRepresentative)
            .where(SalesRepresentative.telegram_id == telegram_id, SalesRepresentative.tenant_id == tenant_id)
            .order_by(SalesRepresentative.created_at.desc())
            .limit(1)
        )
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def current_across_tenants(
        self, telegram_id: int, *, for_update: bool = False
    ) -> SalesRepresentative | None:
        """The record the team bot speaks to this user about, whichever agency it is in.

        A Telegram update names a user, not an agency: the user's live record (active before pending before
        suspended, newest first) decides the tenant; without one, their newest record. Registration refuses a
        second live record, so a user works for one agency at a time.
        """
        query = (
            select(SalesRepresentative)
            .where(SalesRepresentative.telegram_id == telegram_id)
            .order_by(_LIVE_FIRST, SalesRepresentative.created_at.desc())
            .limit(1)
        )
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def by_email(self, email: str, *, tenant_id: int) -> SalesRepresentative | None:
        """The record with this e-mail (any letter case) in this tenant: a live one first, else the newest."""
        query = (
            select(SalesRepresentative)
            .where(
                func.lower(SalesRepresentative.email) == email.lower(),
                SalesRepresentative.tenant_id == tenant_id,
            )
            .order_by(_LIVE_FIRST, SalesRepresentative.created_at.desc())
            .limit(1)
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def by_email_across_tenants(self, email: str) -> SalesRepresentative | None:
        """An operator's look-up by e-mail in every agency: the live record first, else the newest."""
        query = (
            select(SalesRepresentative)
            .where(func.lower(SalesRepresentative.email) == email.lower())
            .order_by(_LIVE_FIRST, SalesRepresentative.created_at.desc())
            .limit(1)
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def active_for_tenant(self, tenant_id: int) -> list[SalesRepresentative]:
        return await self.list_by_status(tenant_id, RepStatus.ACTIVE)

    async def list_by_status(self, tenant_id: int, *statuses: str) -> list[SalesRepresentative]:
        """This tenant's reps in any of these statuses, oldest first."""
        return await self._list(statuses, SalesRepresentative.tenant_id == tenant_id)

    async def list_by_status_all_tenants(self, *statuses: str) -> list[SalesRepresentative]:
        """Every tenant's reps in these statuses, oldest first (for admins of every agency)."""
        return await self._list(statuses)

    async def _list(self, statuses: Sequence[str], *where: ColumnElement[bool]) -> list[SalesRepresentative]:
        query = (
            select(SalesRepresentative)
            .where(SalesRepresentative.status.in_(statuses), *where)
            .order_by(SalesRepresentative.created_at, SalesRepresentative.name)
        )
        return list((await self.session.execute(query)).scalars())

    async def admins(self, tenant_id: int) -> list[SalesRepresentative]:
        """This tenant's active reps an existing admin promoted to admin."""
        query = select(SalesRepresentative).where(
            SalesRepresentative.is_admin.is_(True),
            SalesRepresentative.status == RepStatus.ACTIVE,
            SalesRepresentative.tenant_id == tenant_id,
        )
        return list((await self.session.execute(query)).scalars())

    async def admin_records_across_tenants(self, telegram_id: int) -> list[SalesRepresentative]:
        """This user's active admin records, one per agency they administer."""
        query = (
            select(SalesRepresentative)
            .where(
                SalesRepresentative.telegram_id == telegram_id,
                SalesRepresentative.is_admin.is_(True),
                SalesRepresentative.status == RepStatus.ACTIVE,
            )
            .order_by(SalesRepresentative.tenant_id)
        )
        return list((await self.session.execute(query)).scalars())

    async def upsert_pending(
        self,
        *,
        tenant_id: int,
        telegram_id: int,
        chat_id: int | None,
        username: str | None,
        name: str,
        email: str,
        language: str,
        now: datetime,
    ) -> SalesRepresentative:
        """Create a PENDING application, or turn a removed/rejected record of the same user into one."""
        rep = await self.by_telegram_id(telegram_id, tenant_id=tenant_id, for_update=True)
        if rep is None:
            rep = SalesRepresentative(tenant_id=tenant_id, telegram_id=telegram_id)
            self.session.add(rep)
        rep.telegram_chat_id = chat_id
        rep.telegram_username = username
        rep.name = name
        rep.email = email
        rep.language = language
        rep.status = RepStatus.PENDING
        rep.registered_at = now
        rep.approved_at = None
        rep.approved_by = None
        rep.decided_by_telegram_id = None
        await self.session.flush()
        return rep


@dataclass
class RepBookRepository:
    """What one rep works on: their leads, prospects, own tasks and follow-ups due (the chat CRM)."""

    session: AsyncSession

    async def leads(self, rep: SalesRepresentative, limit: int = 50) -> list[Lead]:
        query = (
            select(Lead)
            .where(Lead.tenant_id == rep.tenant_id, Lead.assigned_rep_id == rep.id)
            .order_by(  # those who opted out last, so the limit never pushes a live lead off the list
                Lead.opted_out, Lead.lead_score.desc(), Lead.last_inbound_at.desc().nulls_last(), Lead.id
            )
            .limit(limit)
        )
        return list((await self.session.execute(query)).scalars())

    async def prospects(
        self, rep: SalesRepresentative, limit: int = 50
    ) -> list[tuple[Prospect, Lead | None]]:
        """The rep's prospects with the lead each became, if any."""
        query = (
            select(Prospect, Lead)
            .outerjoin(Lead, Lead.id == Prospect.lead_id)
            .where(Prospect.tenant_id == rep.tenant_id, Prospect.assigned_rep_id == rep.id)
            .order_by(Prospect.created_at, Prospect.id)
            .limit(limit)
        )
        return [(prospect, lead) for prospect, lead in (await self.session.execute(query)).tuples()]

    async def lead(self, rep: SalesRepresentative, lead_id: int, *, for_update: bool = False) -> Lead | None:
        """The lead only when it is assigned to this rep."""
        query = select(Lead).where(
            Lead.id == lead_id, Lead.tenant_id == rep.tenant_id, Lead.assigned_rep_id == rep.id
        )
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def prospect(
        self, rep: SalesRepresentative, prospect_id: str, *, for_update: bool = False
    ) -> Prospect | None:
        """The prospect only when it is assigned to this rep."""
        query = select(Prospect).where(
            Prospect.id == prospect_id,
            Prospect.tenant_id == rep.tenant_id,
            Prospect.assigned_rep_id == rep.id,
        )
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def open_tasks(self, rep: SalesRepresentative, until: datetime) -> list[RepTask]:
        query = (
            select(RepTask)
            .where(
                RepTask.tenant_id == rep.tenant_id,
                RepTask.rep_id == rep.id,
                RepTask.done_at.is_(None),
                RepTask.due_at < until,
            )
            .order_by(RepTask.due_at, RepTask.id)
        )
        return list((await self.session.execute(query)).scalars())

    async def due_sends(self, rep: SalesRepresentative, until: datetime) -> list[FollowUpSend]:
        """Follow-ups not sent yet, due before `until`, to the rep's leads and prospects or to the rep."""
        own_leads = select(Lead.id).where(Lead.tenant_id == rep.tenant_id, Lead.assigned_rep_id == rep.id)
        own_prospects = select(Prospect.id).where(
            Prospect.tenant_id == rep.tenant_id, Prospect.assigned_rep_id == rep.id
        )
        query = (
            select(FollowUpSend)
            .where(
                FollowUpSend.tenant_id == rep.tenant_id,
                FollowUpSend.status.in_(OPEN_SEND_STATUSES),
                FollowUpSend.due_at < until,
                or_(
                    FollowUpSend.lead_id.in_(own_leads),
                    FollowUpSend.prospect_id.in_(own_prospects),
                    FollowUpSend.recipient_rep_id == rep.id,
                ),
            )
            .order_by(FollowUpSend.due_at, FollowUpSend.id)
            .limit(50)
        )
        return list((await self.session.execute(query)).scalars())

    async def add_task(
        self,
        rep: SalesRepresentative,
        *,
        due_at: datetime,
        note: str | None,
        lead_id: int | None = None,
        prospect_id: str | None = None,
    ) -> RepTask:
        task = RepTask(
            tenant_id=rep.tenant_id,
            rep_id=rep.id,
            lead_id=lead_id,
            prospect_id=prospect_id,
            due_at=due_at,
            note=note,
        )
        self.session.add(task)
        await self.session.flush()
        return task

    async def names(
        self, rep: SalesRepresentative, lead_ids: set[int], prospect_ids: set[str]
    ) -> dict[str, str]:
        """Display names keyed "lead:<id>" / "prospect:<id>" for task lines, from the rep's own tenant only."""
        found: dict[str, str] = {}
        if lead_ids:
            rows = await self.session.execute(
                select(Lead.id, Lead.name, Lead.telegram_username).where(
                    Lead.tenant_id == rep.tenant_id, Lead.id.in_(lead_ids)
                )
            )
            for lead_id, name, username in rows:
                found[f"lead:{lead_id}"] = name or (f"@{username}" if username else f"#{lead_id}")
        if prospect_ids:
            prospect_rows = await self.session.execute(
                select(Prospect.id, Prospect.name).where(
                    Prospect.tenant_id == rep.tenant_id, Prospect.id.in_(prospect_ids)
                )
            )
            for prospect_id, prospect_name in prospect_rows.tuples():
                found[f"prospect:{prospect_id}"] = prospect_name
        return found
