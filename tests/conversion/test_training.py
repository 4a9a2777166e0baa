"""Training an agency's model: used only with enough outcomes and when it beats the base score on the newest."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from agent.services.conversion.likelihood import stored_likelihood
from agent.services.leads.scoring import rescore
from agent.services.leads.training import train_slug
from storage.db import Database
from storage.models import Lead, LeadLikelihood, ScoringModel, Tenant
from storage.repositories.scoring_models import ScoringModelRepository
from tests.conversion.support import (
    NOW,
    add_open_lead,
    add_outcomes,
    by_base_score,
    by_source_ads,
    make_agency,
)


async def runs(database: Database) -> list[ScoringModel]:
    async with database.session() as session:
        return list((await session.execute(select(ScoringModel).order_by(ScoringModel.version))).scalars())


async def likelihoods(database: Database) -> dict[int, LeadLikelihood]:
    async with database.session() as session:
        return {row.lead_id: row for row in (await session.execute(select(LeadLikelihood))).scalars()}


async def test_a_model_that_does_not_beat_the_base_score_is_recorded_and_not_used(database: Database) -> None:
    tenant = await make_agency(database)
    await add_outcomes(database, tenant, 240, by_base_score)
    lead = await add_open_lead(database, tenant, source="ads")

    run = await train_slug(database, "acme", NOW)

    assert (run.status, run.reason, run.outcomes, run.holdout) == (
        "rejected",
        "not_better_than_base",
        240,
        60,
    )
    assert run.base_auc == 1.0 and run.model_auc is not None and run.model_auc <= run.base_auc
    assert run.model is None
    async with database.session() as session:
        assert await ScoringModelRepository(session).active(tenant.id) is None
        stored = await session.get(Lead, lead.id)
        assert stored is not None
        await rescore(session, stored, NOW)
    assert await likelihoods(database) == {}  # without a model, no likelihood anywhere


async def test_too_few_outcomes_or_too_few_of_a_class_train_nothing(database: Database) -> None:
    tenant = await make_agency(database)
    await add_outcomes(database, tenant, 150, by_source_ads)
    assert (await train_slug(database, "acme", NOW)).reason == "too_few_outcomes"

    await add_outcomes(
        database, await make_agency(database, "solo"), 260, lambda lead: lead.message_count > 9
    )
    run = await train_slug(database, "solo", NOW)
    assert (run.status, run.reason) == ("rejected", "too_few_of_a_class")
    assert run.won < 30 <= run.lost


async def test_a_model_that_beats_the_base_score_is_used_and_explains_each_lead(database: Database) -> None:
    tenant = await make_agency(database)
    await add_outcomes(database, tenant, 240, by_source_ads)
    ads = await add_open_lead(database, tenant, source="ads")

    run = await train_slug(database, "acme", NOW)

    assert (run.status, run.version, run.won + run.lost) == ("active", 1, 240)
    assert run.model_auc is not None and run.base_auc is not None and run.model_auc > run.base_auc
    assert run.calibration_error is not None and 0 <= run.calibration_error < 0.5
    refreshed = (await likelihoods(database))[ads.id]  # open leads get a likelihood when the model starts
    assert refreshed.model_id == run.id and refreshed.probability > 0.8
    assert refreshed.factors[0]["group"] == "source" and refreshed.factors[0]["weight"] > 0  # type: ignore[operator]

    async with database.session() as session:  # a rescore moves the likelihood with the lead
        lead = await session.get(Lead, ads.id)
        assert lead is not None
        lead.source = "referral"
        await rescore(session, lead, NOW + timedelta(minutes=1))
    moved = (await likelihoods(database))[ads.id]
    assert moved.probability < 0.2 and moved.computed_at == NOW + timedelta(minutes=1)
    assert next(f["group"] for f in moved.factors if f["weight"] < 0) == "source"  # type: ignore[operator]


async def test_a_rejected_run_retires_the_active_model_and_only_the_base_score_shows(
    database: Database,
) -> None:
    tenant = await make_agency(database)
    await add_outcomes(database, tenant, 240, by_source_ads)
    ads = await add_open_lead(database, tenant, source="ads")
    first = await train_slug(database, "acme", NOW)
    assert ads.id in await likelihoods(database)
    async with database.session() as session:  # the agency's history changes: now almost every deal is won
        await session.execute(
            update(Lead).where(Lead.tenant_id == tenant.id, Lead.id != ads.id).values(status="won")
        )

    second = await train_slug(database, "acme", NOW + timedelta(days=1))

    assert (second.version, second.status, second.reason) == (2, "rejected", "too_few_of_a_class")
    assert [(r.version, r.status) for r in await runs(database)] == [(1, "retired"), (2, "rejected")]
    assert await likelihoods(database) == {}  # the retired model's likelihoods are gone
    async with database.session() as session:
        assert await ScoringModelRepository(session).active(tenant.id) is None
        agency = await session.get(Tenant, tenant.id)
        lead = await session.get(Lead, ads.id)
        assert agency is not None and agency.scoring_model_id is None and lead is not None
        assert await stored_likelihood(session, lead, agency) is None
        assert await stored_likelihood(session, lead) is None
        await rescore(session, lead, NOW + timedelta(days=1, minutes=1))
    assert await likelihoods(database) == {}  # a rescore computes none either
    assert first.id != second.id


async def test_a_better_model_retires_the_previous_one(database: Database) -> None:
    tenant = await make_agency(database)
    await add_outcomes(database, tenant, 240, by_source_ads)
    await train_slug(database, "acme", NOW)
    await train_slug(database, "acme", NOW + timedelta(days=1))
    assert [(r.version, r.status) for r in await runs(database)] == [(1, "retired"), (2, "active")]


async def test_a_new_model_refreshes_only_open_leads_heard_from_lately(database: Database) -> None:
    tenant = await make_agency(database)
    await add_outcomes(database, tenant, 240, by_source_ads)
    recent = await add_open_lead(database, tenant, telegram_user_id=1)
    dormant = await add_open_lead(
        database, tenant, telegram_user_id=2, last_inbound_at=NOW - timedelta(days=200)
    )

    await train_slug(database, "acme", NOW)

    stored = await likelihoods(database)
    assert recent.id in stored and dormant.id not in stored  # the dormant lead gets one on its next rescore
    assert not any(lead_id < recent.id for lead_id in stored)  # won and lost leads get none
