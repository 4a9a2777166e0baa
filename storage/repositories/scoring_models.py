"""Scoring models: an agency's training runs (one active at most), its outcomes, and each lead's likelihood."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.enums import LeadStatus
from storage.models import Lead, LeadLikelihood, ScoringModel

TRAINING_LOCK = 0x5C0_12E
"""Advisory lock key (with the tenant id): one training run of an agency at a time."""


@dataclass
class ScoringModelRepository:
    session: AsyncSession

    async def active(self, tenant_id: int) -> ScoringModel | None:
        query = select(ScoringModel).where(
            ScoringModel.tenant_id == tenant_id, ScoringModel.status == "active"
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def history(self, tenant_id: int, limit: int = 10) -> list[ScoringModel]:
        """The agency's latest runs, newest first."""
        query = (
            select(ScoringModel)
            .where(ScoringModel.tenant_id == tenant_id)
            .order_by(ScoringModel.version.desc())
            .limit(limit)
        )
        return list((await self.session.execute(query)).scalars())

    async def lock(self, tenant_id: int) -> None:
        """Hold the agency's training lock until the transaction ends."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(:key, :tenant)"), {"key": TRAINING_LOCK, "tenant": tenant_id}
        )

    async def record(self, tenant_id: int, run: ScoringModel) -> ScoringModel:
        """Store a run as the agency's next version; any run retires the previous active model.

        A rejected run retires it too: the model in use must have beaten the base score on the agency's
        latest history, and this run says no model does now. The retired model's likelihoods are deleted.
        """
        run.tenant_id = tenant_id
        latest = select(func.coalesce(func.max(ScoringModel.version), 0)).where(
            ScoringModel.tenant_id == tenant_id
        )
        run.version = int((await self.session.execute(latest)).scalar_one()) + 1
        retired = (
            (
                await self.session.execute(
                    update(ScoringModel)
                    .where(ScoringModel.tenant_id == tenant_id, ScoringModel.status == "active")
                    .values(status="retired")
                    .returning(ScoringModel.id)
                )
            )
            .scalars()
            .all()
        )
        if retired:
            await self.session.execute(
                delete(LeadLikelihood).where(
                    LeadLikelihood.tenant_id == tenant_id, LeadLikelihood.model_id.in_(retired)
                )
            )
        self.session.add(run)
        await self.session.flush()
        return run

    async def outcomes(self, tenant_id: int) -> list[Lead]:
        """The agency's won and lost leads with their outcome time, oldest outcome first."""
        query = (
            select(Lead)
            .where(
                Lead.tenant_id == tenant_id,
                Lead.status.in_((LeadStatus.WON.value, LeadStatus.LOST.value)),
                Lead.outcome_at.is_not(None),
            )
            .order_by(Lead.outcome_at, Lead.id)
        )
        return list((await self.session.execute(query)).scalars())

    async def open_leads(self, tenant_id: int, *, since: datetime, after_id: int, limit: int) -> list[Lead]:
        """The agency's leads without an outcome, heard from since `since`, by id after `after_id` (keyset)."""
        query = (
            select(Lead)
            .where(
                Lead.tenant_id == tenant_id,
                Lead.status.not_in((LeadStatus.WON.value, LeadStatus.LOST.value)),
                Lead.last_inbound_at >= since,
                Lead.id > after_id,
            )
            .order_by(Lead.id)
            .limit(limit)
        )
        return list((await self.session.execute(query)).scalars())

    async def set_likelihood(
        self, lead: Lead, model_id: int, probability: float, factors: list[dict[str, object]], now: datetime
    ) -> float | None:
        """Store the lead's likelihood; the one stored before under the same model (None if none), in one statement."""
        before = (
            select(LeadLikelihood.probability)
            .where(
                LeadLikelihood.tenant_id == lead.tenant_id,
                LeadLikelihood.lead_id == lead.id,
                LeadLikelihood.model_id == model_id,
            )
            .cte("before")
        )
        values = {"model_id": model_id, "probability": probability, "factors": factors, "computed_at": now}
        statement = (
            insert(LeadLikelihood)
            .values(lead_id=lead.id, tenant_id=lead.tenant_id, **values)
            .on_conflict_do_update(index_elements=["lead_id"], set_=values)
            .add_cte(before)
            .returning(select(before.c.probability).scalar_subquery())
        )
        previous: float | None = (await self.session.execute(statement)).scalar_one()
        return previous

    async def set_likelihoods(
        self,
        tenant_id: int,
        model_id: int,
        rows: list[tuple[int, float, list[dict[str, object]]]],
        now: datetime,
    ) -> None:
        """Store many leads' likelihoods at once: (lead id, probability, factors) of this agency's leads."""
        if not rows:
            return
        statement = insert(LeadLikelihood).values(
            [
                {
                    "lead_id": lead_id,
                    "tenant_id": tenant_id,
                    "model_id": model_id,
                    "probability": probability,
                    "factors": factors,
                    "computed_at": now,
                }
                for lead_id, probability, factors in rows
            ]
        )
        excluded = statement.excluded
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["lead_id"],
                set_={
                    "model_id": excluded.model_id,
                    "probability": excluded.probability,
                    "factors": excluded.factors,
                    "computed_at": excluded.computed_at,
                },
                where=LeadLikelihood.tenant_id == tenant_id,
            )
        )

    async def likelihood(self, lead: Lead) -> tuple[LeadLikelihood, ScoringModel] | None:
        """The lead's likelihood under its agency's active model (None without one, or before its first rescore)."""
        query = (
            select(LeadLikelihood, ScoringModel)
            .join(ScoringModel, ScoringModel.id == LeadLikelihood.model_id)
            .where(
                LeadLikelihood.tenant_id == lead.tenant_id,
                LeadLikelihood.lead_id == lead.id,
                ScoringModel.status == "active",
            )
        )
        row = (await self.session.execute(query)).one_or_none()
        return None if row is None else (row[0], row[1])
