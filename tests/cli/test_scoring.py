"""`realty scoring train|status`: the runs of each agency, used or rejected, as the operator reads them."""

from __future__ import annotations

import json

from storage.db import Database
from tests.cli.conftest import Realty
from tests.conversion.support import add_outcomes, by_source_ads, make_agency


async def test_status_before_any_training_says_only_the_base_score_is_shown(
    realty: Realty, database: Database
) -> None:
    await make_agency(database)
    result = await realty("scoring", "status")
    assert result.exit_code == 0, result.output
    assert "base score only" in result.output


async def test_train_without_any_agency_says_how_to_make_one(realty: Realty) -> None:
    result = await realty("scoring", "train")
    assert result.exit_code == 0, result.output
    assert "No agency yet" in result.output and 'realty tenants create "Acme Realty"' in result.output


async def test_train_then_status_lists_the_runs_with_their_hold_out_figures(
    realty: Realty, database: Database
) -> None:
    tenant = await make_agency(database)
    await add_outcomes(database, tenant, 240, by_source_ads)
    await make_agency(database, "tiny")

    trained = await realty("scoring", "train", "--json")
    assert trained.exit_code == 0, trained.output
    runs = {row["agency"]: row for row in json.loads(trained.stdout)}
    assert runs["acme"]["status"] == "active" and runs["acme"]["model_auc"] > runs["acme"]["base_auc"]
    assert (runs["tiny"]["status"], runs["tiny"]["reason"], runs["tiny"]["outcomes"]) == (
        "rejected",
        "too_few_outcomes",
        0,
    )

    status = await realty("scoring", "status", "--tenant", "acme")
    assert status.exit_code == 0, status.output
    assert "active" in status.output and "240" in status.output

    missing = await realty("scoring", "train", "--tenant", "nobody")
    assert missing.exit_code == 1 and "no tenant 'nobody'" in missing.output


async def test_threshold_sets_the_agencys_likely_alert_level(realty: Realty, database: Database) -> None:
    from storage.models import Tenant

    tenant = await make_agency(database)
    result = await realty("scoring", "threshold", "0.65", "--tenant", "acme")
    assert result.exit_code == 0, result.output
    async with database.session() as session:
        stored = await session.get(Tenant, tenant.id)
        assert stored is not None and stored.likely_alert_threshold == 0.65
    assert (await realty("scoring", "threshold", "1.5", "--tenant", "acme")).exit_code == 2


async def test_status_shows_an_agency_whose_model_was_retired_by_a_rejected_run(
    realty: Realty, database: Database
) -> None:
    from sqlalchemy import update

    from storage.models import Lead

    tenant = await make_agency(database)
    await add_outcomes(database, tenant, 240, by_source_ads)
    assert (await realty("scoring", "train")).exit_code == 0
    async with database.session() as session:  # now almost every deal is won: the next run is rejected
        await session.execute(update(Lead).where(Lead.tenant_id == tenant.id).values(status="won"))
    assert (await realty("scoring", "train")).exit_code == 0

    status = await realty("scoring", "status", "--json")
    assert [(row["version"], row["status"]) for row in json.loads(status.stdout)] == [
        (2, "rejected"),
        (1, "retired"),
    ]
    shown = await realty("scoring", "status")
    assert "acme: no model in use" in shown.output and "base score only" in shown.output
