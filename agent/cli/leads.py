"""`realty leads`: the tenant's leads by score, and one lead's profile, score breakdown and history."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from agent.cli.common import console, fail, run, runnable

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from storage.models import Lead, Tenant

app = typer.Typer(help="Leads: ranked by score, with the reasons behind every point.", no_args_is_help=True)

TenantOption = Annotated[str, typer.Option("--tenant", "-t", help="Slug of the agency whose leads to show.")]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print machine-readable JSON on stdout instead of tables.")
]


def _badge(temperature: str) -> str:
    from agent.core.scoring import TEMPERATURE_BADGES, Temperature

    try:
        return TEMPERATURE_BADGES[Temperature(temperature)]
    except ValueError:
        return "?"


def _goal(lead: Lead) -> str:
    from prompts.vocabulary import budget_phrase, describe_goal

    parts = [
        describe_goal(lead.transaction, lead.property_type, lead.location, "en"),
        budget_phrase(lead.budget_min, lead.budget_max, lead.budget_currency, "en"),
    ]
    return " · ".join(part for part in parts if part) or "-"


async def _tenant(session: AsyncSession, slug: str) -> Tenant:
    from storage.repositories.tenants import TenantNotFound, TenantRepository

    try:
        return await TenantRepository(session).require(slug)
    except TenantNotFound as exc:
        raise fail(str(exc)) from None


@app.command("list")
def list_leads(
    tenant: TenantOption = "demo",
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option(help="At most this many leads.", min=1, max=10_000)] = 100,
) -> None:
    """List the agency's leads, highest score first, with temperature badges 🔥 🌶️ ☀️ ❄️."""

    async def main() -> None:
        from agent.services.leads import lead_profile
        from agent.services.provider import open_services
        from storage.repositories.leads import LeadRepository

        async with open_services() as services, services.database.session() as session:
            agency = await _tenant(session, tenant)
            leads = await LeadRepository(session).by_score(agency.id, limit)
            if as_json:
                rows = [{**lead_profile(lead), "badge": _badge(lead.temperature)} for lead in leads]
                typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
                return
            if not leads:
                console.print(
                    runnable(
                        f"no leads yet in '{agency.slug}': start one with `realty chat --tenant {agency.slug}`"
                    ),
                    highlight=False,
                )
                return
            from rich.table import Table

            table = Table(title=f"Leads of {agency.name}", title_justify="left")
            for column in ("", "score", "id", "name", "phone", "status", "wants", "last seen (UTC)"):
                table.add_column(
                    column,
                    justify="right" if column in ("score", "id") else "left",
                    no_wrap=column in ("score", "id", "phone", "status"),
                )
            for lead in leads:
                table.add_row(
                    _badge(lead.temperature),
                    str(lead.lead_score),
                    str(lead.id),
                    lead.name or "-",
                    lead.phone or "-",
                    lead.status,
                    _goal(lead),
                    lead.last_inbound_at.strftime("%m-%d %H:%M") if lead.last_inbound_at else "-",
                )
            console.print(table)

    run(main)


@app.command("show")
def show_lead(
    lead_id: Annotated[int, typer.Argument(help="The lead's id, as `realty leads list` shows it.")],
    tenant: TenantOption = "demo",
    as_json: JsonOption = False,
) -> None:
    """Show one lead: profile, score with the reason for every point, and their interactions."""

    async def main() -> None:
        from agent.services.leads import lead_profile
        from agent.services.provider import open_services
        from storage.repositories.leads import LeadRepository
        from storage.repositories.viewings import ViewingRepository

        async with open_services() as services, services.database.session() as session:
            agency = await _tenant(session, tenant)
            leads = LeadRepository(session)
            lead = await leads.get(agency.id, lead_id)
            if lead is None:
                raise fail(
                    f"no lead {lead_id} in '{agency.slug}': `realty leads list --tenant {agency.slug}` shows the leads"
                )
            factors = await leads.factors(lead)
            interactions = await leads.interactions(lead, limit=50)
            viewings = await ViewingRepository(session).for_lead(agency.id, lead.id)
            report: dict[str, Any] = {
                "profile": lead_profile(lead),
                "score": {
                    "score": lead.lead_score,
                    "temperature": lead.temperature,
                    "badge": _badge(lead.temperature),
                    "confidence": lead.score_confidence,
                    "scored_at": lead.scored_at.isoformat() if lead.scored_at else None,
                    "factors": [
                        {"key": f.key, "points": f.points, "max_points": f.max_points, "reason": f.reason}
                        for f in factors
                    ],
                },
                "interactions": [
                    {
                        "at": i.created_at.isoformat(),
                        "direction": i.direction,
                        "type": i.type,
                        "text": i.text,
                        "meta": i.meta,
                    }
                    for i in interactions
                ],
                "viewings": [
                    {
                        "id": v.id,
                        "property_id": v.property_id,
                        "starts_at": v.starts_at.isoformat(),
                        "time_zone": v.time_zone,
                        "status": v.status,
                    }
                    for v in viewings
                ],
            }
            if as_json:
                typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
                return
            _print_report(report)

    run(main)


def _print_report(report: dict[str, Any]) -> None:
    from rich.table import Table

    profile, score = report["profile"], report["score"]
    console.print(
        f"[bold]{profile['name'] or 'Lead'} #{profile['id']}[/]  {score['badge']} {score['score']}/100 "
        f"{score['temperature']} (confidence {score['confidence']:.0%})  status: {profile['status']}"
    )
    shown = ("id", "name", "status", "score", "temperature", "confidence")
    known = {k: v for k, v in profile.items() if v not in (None, "", 0, False) and k not in shown}
    console.print("  ".join(f"[dim]{k}[/] {v}" for k, v in known.items()), highlight=False)

    factors = Table(title="Score", title_justify="left")
    for column in ("factor", "points", "reason"):
        factors.add_column(column)
    for f in score["factors"]:
        factors.add_row(f["key"], f"{f['points']}/{f['max_points']}", f["reason"])
    console.print(factors)

    history = Table(title="Interactions", title_justify="left")
    for column in ("at", "", "type", "text"):
        history.add_column(column)
    for i in report["interactions"]:
        text = (i["text"] or json.dumps(i["meta"], ensure_ascii=False))[:100]
        history.add_row(
            i["at"][:16].replace("T", " "), "→" if i["direction"] == "outbound" else "←", i["type"], text
        )
    console.print(history)
    for v in report["viewings"]:
        console.print(f"viewing #{v['id']}: {v['starts_at']} ({v['time_zone']}) {v['status']}")
