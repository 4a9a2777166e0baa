"""`realty scoring`: train each agency's conversion model from its won and lost leads, and show the runs."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from agent.cli.common import console, fail, run

if TYPE_CHECKING:
    from storage.models import ScoringModel

app = typer.Typer(
    help="The learned conversion score: train it from won/lost outcomes, and see which model is in use.",
    no_args_is_help=True,
)

TenantOption = Annotated[
    str | None, typer.Option("--tenant", "-t", help="Slug of one agency (default: every agency).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON on stdout.")]


def _row(run_: ScoringModel) -> dict[str, object]:
    return {
        "version": run_.version,
        "status": run_.status,
        "reason": run_.reason,
        "trained_at": run_.trained_at.isoformat(timespec="seconds"),
        "outcomes": run_.outcomes,
        "won": run_.won,
        "lost": run_.lost,
        "holdout": run_.holdout,
        "model_auc": None if run_.model_auc is None else round(run_.model_auc, 4),
        "base_auc": None if run_.base_auc is None else round(run_.base_auc, 4),
        "calibration_error": None if run_.calibration_error is None else round(run_.calibration_error, 4),
    }


def _print(title: str, rows: list[tuple[str, dict[str, object]]]) -> None:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for column in ("agency", "v", "status", "reason", "trained", "outcomes", "won", "AUC", "base AUC", "ECE"):
        table.add_column(column, overflow="fold")
    for slug, row in rows:
        table.add_row(
            slug,
            str(row["version"]),
            str(row["status"]),
            str(row["reason"] or "-"),
            str(row["trained_at"])[:10],
            str(row["outcomes"]),
            str(row["won"]),
            "-" if row["model_auc"] is None else f"{row['model_auc']:.3f}",
            "-" if row["base_auc"] is None else f"{row['base_auc']:.3f}",
            "-" if row["calibration_error"] is None else f"{row['calibration_error']:.3f}",
        )
    console.print(table)


@app.command("train")
def train(tenant: TenantOption = None, as_json: JsonOption = False) -> None:
    """Train a model per agency; it is used only if it beats the base score on the newest outcomes."""

    async def main() -> None:
        from agent.services.leads.training import train_all, train_slug
        from agent.services.provider import open_services
        from agent.settings import get_settings
        from storage.repositories.tenants import TenantRepository

        async with open_services(get_settings()) as services:
            now = services.clock.now()
            if tenant is not None:
                async with services.database.session() as session:
                    if await TenantRepository(session).by_slug(tenant) is None:
                        raise fail(f"no tenant '{tenant}': see `realty tenants list`")
                runs = [(tenant, await train_slug(services.database, tenant, now))]
            else:
                runs = await train_all(services.database, now)
        rows = [(slug, _row(run_)) for slug, run_ in runs]
        if as_json:
            print(json.dumps([{"agency": slug, **row} for slug, row in rows], indent=2))
        elif not rows:
            console.print(
                'No agency yet: `realty tenants create "Acme Realty"` makes one '
                "(`realty chat` sets up the demo agency)."
            )
        else:
            _print("Training runs", rows)

    run(main)


@app.command("status")
def status(tenant: TenantOption = None, as_json: JsonOption = False) -> None:
    """Each agency's model in use (if any) and its latest training runs."""

    async def main() -> None:
        from sqlalchemy import select

        from agent.services.provider import open_services
        from agent.settings import get_settings
        from storage.models import Tenant
        from storage.repositories.scoring_models import ScoringModelRepository

        rows: list[tuple[str, dict[str, object]]] = []
        base_only: list[str] = []
        async with open_services(get_settings()) as services, services.database.session() as session:
            query = select(Tenant).order_by(Tenant.id)
            if tenant is not None:
                query = query.where(Tenant.slug == tenant)
            agencies = list((await session.execute(query)).scalars())
            if tenant is not None and not agencies:
                raise fail(f"no tenant '{tenant}': see `realty tenants list`")
            for agency in agencies:
                history = await ScoringModelRepository(session).history(agency.id)
                rows.extend((agency.slug, _row(run_)) for run_ in history)
                if history and agency.scoring_model_id is None:
                    base_only.append(agency.slug)
        if as_json:
            print(json.dumps([{"agency": slug, **row} for slug, row in rows], indent=2))
        elif not rows:
            console.print(
                "No model trained yet: every lead shows the base score only. Run `realty scoring train`."
            )
        else:
            _print("Scoring models (active = in use)", rows)
            for slug in base_only:
                console.print(f"{slug}: no model in use (the latest run was rejected): base score only.")

    run(main)


@app.command("threshold")
def threshold(
    value: Annotated[float, typer.Argument(min=0.0, max=1.0, help="Likelihood from 0 to 1, e.g. 0.6.")],
    tenant: Annotated[str, typer.Option("--tenant", "-t", help="Slug of the agency.")],
) -> None:
    """Announce a lead to the team when its learned likelihood rises across VALUE (default 0.5)."""

    async def main() -> None:
        from agent.services.provider import open_services
        from agent.settings import get_settings
        from storage.repositories.tenants import TenantRepository

        async with open_services(get_settings()) as services, services.database.session() as session:
            agency = await TenantRepository(session).by_slug(tenant)
            if agency is None:
                raise fail(f"no tenant '{tenant}': see `realty tenants list`")
            agency.likely_alert_threshold = value
        console.print(f"{tenant}: a lead is announced when its likelihood rises across {value:.0%}.")

    run(main)
