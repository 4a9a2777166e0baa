"""Leads, their interactions, score breakdowns and alerts. Every read is scoped by tenant."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Lead, LeadAlert, LeadInteraction, LeadScoreFactor, Tenant


class LeadNotFound(LookupError):
    def __init__(self, tenant_id: int, lead_id: int) -> None:
        super().__init__(f"no lead {lead_id} in tenant {tenant_id}: `realty leads list` shows the leads")
        self.tenant_id = tenant_id
        self.lead_id = lead_id


@dataclass(frozen=True)
class FactorRow:
    """One factor of a score breakdown, as stored."""

    key: str
    points: int
    max_points: int
    reason: str


@dataclass
class LeadRepository:
    session: AsyncSession

    async def get(self, tenant_id: int, lead_id: int, *, for_update: bool = False) -> Lead | None:
        """The lead with this id in this tenant; a lead of another tenant is not found."""
        query = select(Lead).where(Lead.id == lead_id, Lead.tenant_id == tenant_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def require(self, tenant_id: int, lead_id: int, *, for_update: bool = False) -> Lead:
        lead = await self.get(tenant_id, lead_id, for_update=for_update)
        if lead is None:
            raise LeadNotFound(tenant_id, lead_id)
        return lead

    async def require_with_tenant(
        self, tenant_id: int, lead_id: int, *, for_update: bool = False, refresh: bool = False
    ) -> tuple[Lead, Tenant]:
        """The lead (only its row locked by `for_update`) and its tenant, in one round trip; LeadNotFound otherwise.

        `refresh` overwrites what this session holds of both with what is stored now.
        """
        query = (
            select(Lead, Tenant)
            .join(Tenant, Tenant.id == Lead.tenant_id)
            .where(Lead.id == lead_id, Lead.tenant_id == tenant_id)
        )
        if for_update:
            query = query.with_for_update(of=Lead)
        if refresh:
            query = query.execution_options(populate_existing=True)
        row = (await self.session.execute(query)).one_or_none()
        if row is None:
            raise LeadNotFound(tenant_id, lead_id)
        return row[0], row[1]

    async def by_telegram_user(self, tenant_id: int, telegram_user_id: int) -> Lead | None:
        query = select(Lead).where(Lead.tenant_id == tenant_id, Lead.telegram_user_id == telegram_user_id)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def get_or_create_by_telegram(
        self, tenant_id: int, telegram_user_id: int, **fields: object
    ) -> tuple[Lead, bool]:
        """The lead of this Telegram user in this tenant, and whether this call made it; two first messages at
        once still make one lead (and one of them is told it made it)."""
        statement = (
            insert(Lead)
            .values(tenant_id=tenant_id, telegram_user_id=telegram_user_id, **_defaults(fields))
            .on_conflict_do_nothing(index_elements=["tenant_id", "telegram_user_id"])
            .returning(Lead.id)
        )
        created = (await self.session.execute(statement)).scalar_one_or_none() is not None
        lead = await self.by_telegram_user(tenant_id, telegram_user_id)
        assert lead is not None  # inserted now or by the racing transaction, which we waited for
        return lead, created

    async def create(self, tenant_id: int, **fields: object) -> Lead:
        lead = Lead(tenant_id=tenant_id, **_defaults(fields))
        self.session.add(lead)
        await self.session.flush()
        return lead

    async def by_score(self, tenant_id: int, limit: int = 100) -> list[Lead]:
        """The tenant's leads, highest score first, newest first among equals; those who opted out last."""
        query = (
            select(Lead)
            .where(Lead.tenant_id == tenant_id)
            .order_by(Lead.opted_out, Lead.lead_score.desc(), Lead.created_at.desc(), Lead.id.desc())
            .limit(limit)
        )
        return list((await self.session.execute(query)).scalars())

    async def add_interaction(
        self,
        lead: Lead,
        *,
        type: str,
        direction: str,
        now: datetime,
        text: str | None = None,
        channel: str = "telegram",
        status: str = "done",
        meta: dict[str, object] | None = None,
    ) -> LeadInteraction:
        """A new entry on the lead's timeline; it is written with the rest of the unit of work (the session's
        next flush), so the entries of one turn go to the database together."""
        interaction = LeadInteraction(
            tenant_id=lead.tenant_id,
            lead_id=lead.id,
            type=type,
            channel=channel,
            direction=direction,
            status=status,
            text=text,
            meta=meta or {},
            created_at=now,
        )
        self.session.add(interaction)
        return interaction

    async def interactions(self, lead: Lead, limit: int = 50) -> list[LeadInteraction]:
        """The lead's latest interactions, oldest first."""
        query = (
            select(LeadInteraction)
            .where(LeadInteraction.tenant_id == lead.tenant_id, LeadInteraction.lead_id == lead.id)
            .order_by(LeadInteraction.created_at.desc(), LeadInteraction.id.desc())
            .limit(limit)
        )
        rows = list((await self.session.execute(query)).scalars())
        return rows[::-1]

    async def last_interaction(self, lead: Lead, type: str) -> LeadInteraction | None:
        query = (
            select(LeadInteraction)
            .where(
                LeadInteraction.tenant_id == lead.tenant_id,
                LeadInteraction.lead_id == lead.id,
                LeadInteraction.type == type,
            )
            .order_by(LeadInteraction.created_at.desc(), LeadInteraction.id.desc())
            .limit(1)
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def replace_factors(self, lead: Lead, factors: Sequence[FactorRow], computed_at: datetime) -> None:
        """The lead's breakdown becomes exactly these factors, in one statement.

        A factor the lead already has is updated in place (so the breakdown keeps its order); one it no
        longer has is deleted in the same statement.
        """
        gone = delete(LeadScoreFactor).where(
            LeadScoreFactor.lead_id == lead.id, LeadScoreFactor.factor.not_in([f.key for f in factors])
        )
        if not factors:
            await self.session.execute(gone)
            return
        rows = [
            {
                "lead_id": lead.id,
                "factor": factor.key,
                "value": factor.points,
                "weight": factor.max_points,
                "explanation": factor.reason,
                "computed_at": computed_at,
            }
            for factor in factors
        ]
        upsert = insert(LeadScoreFactor).values(rows)
        statement = upsert.on_conflict_do_update(
            index_elements=["lead_id", "factor"],
            set_={
                "value": upsert.excluded.value,
                "weight": upsert.excluded.weight,
                "explanation": upsert.excluded.explanation,
                "computed_at": upsert.excluded.computed_at,
            },
        ).add_cte(gone.cte("gone"))
        await self.session.execute(statement)

    async def factors(self, lead: Lead) -> list[FactorRow]:
        query = select(LeadScoreFactor).where(LeadScoreFactor.lead_id == lead.id).order_by(LeadScoreFactor.id)
        return [
            FactorRow(row.factor, row.value, row.weight, row.explanation)
            for row in (await self.session.execute(query)).scalars()
        ]

    async def add_alert(
        self, lead: Lead, *, kind: str, payload: dict[str, object], now: datetime, channel: str
    ) -> int | None:
        """Record an alert once per (lead, kind) and NOTIFY `channel` with its id; None if it existed.

        The notification is delivered when this transaction commits, so the team bot never sees an
        alert that was rolled back.
        """
        statement = (
            insert(LeadAlert)
            .values(tenant_id=lead.tenant_id, lead_id=lead.id, kind=kind, payload=payload, created_at=now)
            .on_conflict_do_nothing(index_elements=["lead_id", "kind"])
            .returning(LeadAlert.id)
        )
        alert_id = (await self.session.execute(statement)).scalar_one_or_none()
        if alert_id is not None:
            await self.session.execute(
                text("SELECT pg_notify(:channel, :id)"), {"channel": channel, "id": str(alert_id)}
            )
        return alert_id

    async def alerts(self, lead: Lead) -> list[LeadAlert]:
        query = (
            select(LeadAlert)
            .where(LeadAlert.tenant_id == lead.tenant_id, LeadAlert.lead_id == lead.id)
            .order_by(LeadAlert.id)
        )
        return list((await self.session.execute(query)).scalars())

    async def count(self, tenant_id: int) -> int:
        query = select(func.count()).select_from(Lead).where(Lead.tenant_id == tenant_id)
        return int((await self.session.execute(query)).scalar_one())


def _defaults(fields: dict[str, object]) -> dict[str, object]:
    """Leave unknown fields out, so the column defaults apply instead of NULL."""
    return {key: value for key, value in fields.items() if value is not None}
