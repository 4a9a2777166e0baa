"""`realty leads`: the tenant's leads by score, and one lead's profile, score breakdown and history."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from agent.cli.common import console, fail, run, runnable
from agent.cli.insights import add_commands as add_insight_commands
from agent.cli.outcomes import add_commands as add_outcome_commands
from agent.cli.privacy import add_commands as add_privacy_commands

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from sqlalchemy.ext.asyncio import AsyncSession

    from storage.models import Lead, Tenant

app = typer.Typer(help="Leads: ranked by score, with the reasons behind every point.", no_args_is_help=True)
add_privacy_commands(app)  # export, erase (agent.cli.privacy)
add_outcome_commands(app)  # outcome, outcome-reasons (agent.cli.outcomes)
add_insight_commands(app)  # insight (agent.cli.insights)

TenantOption = Annotated[str, typer.Option("--tenant", "-t", help="Slug of the agency whose leads to show.")]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print machine-readable JSON on stdout instead of tables.")
]


def _badge(temperature: str, opted_out: bool = False) -> str:
    from agent.core.scoring import TEMPERATURE_BADGES, Temperature
    from agent.services.team.cards import OPTED_OUT_BADGE

    if opted_out:
        return OPTED_OUT_BADGE
    try:
        return TEMPERATURE_BADGES[Temperature(temperature)]
    except ValueError:
        return "?"


def _local(moment: datetime | None, zone: ZoneInfo) -> str | None:
    """`moment` in `zone` as ISO 8601 with that zone's offset (JSON)."""
    return moment.astimezone(zone).isoformat(timespec="seconds") if moment is not None else None


def _shown(moment: datetime | None, zone: ZoneInfo, pattern: str = "%Y-%m-%d %H:%M %Z") -> str:
    """`moment` in `zone` as a person reads it, with the zone's abbreviation (or offset)."""
    return moment.astimezone(zone).strftime(pattern) if moment is not None else "-"


async def _opted_out_at(session: AsyncSession, lead: Lead) -> datetime | None:
    """When the lead last asked us to stop: the time of our confirmation (None when they have not, or resumed)."""
    from sqlalchemy import func, select

    from storage.models import LeadInteraction

    if not lead.opted_out:
        return None
    query = select(func.max(LeadInteraction.created_at)).where(
        LeadInteraction.tenant_id == lead.tenant_id,
        LeadInteraction.lead_id == lead.id,
        LeadInteraction.direction == "outbound",
        LeadInteraction.meta["phase"].astext == "opted_out",
    )
    return (await session.execute(query)).scalar_one_or_none()


async def _rep_name(session: AsyncSession, lead: Lead) -> str | None:
    from storage.models import SalesRepresentative

    if lead.assigned_rep_id is None:
        return None
    rep = await session.get(SalesRepresentative, lead.assigned_rep_id)
    return rep.name if rep is not None and rep.tenant_id == lead.tenant_id else None


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
    """List the agency's leads, highest score first, with temperature badges 🔥 🌶️ ☀️ ❄️.

    Leads who opted out (🔕) come last, whatever their score: they asked us not to write.
    """

    async def main() -> None:
        from agent.services.leads import lead_profile, zone_of
        from agent.services.provider import open_services
        from storage.repositories.leads import LeadRepository

        async with open_services() as services, services.database.session() as session:
            agency = await _tenant(session, tenant)
            leads = await LeadRepository(session).by_score(agency.id, limit)
            if as_json:
                rows = [
                    {
                        **lead_profile(lead),
                        "last_inbound_at": _local(
                            lead.last_inbound_at, zone_of(lead.time_zone, agency.time_zone)
                        ),
                        "opted_out": lead.opted_out,
                        "opted_out_at": _local(
                            await _opted_out_at(session, lead), zone_of(lead.time_zone, agency.time_zone)
                        ),
                        "badge": _badge(lead.temperature, lead.opted_out),
                    }
                    for lead in leads
                ]
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
            for column in ("", "score", "id", "name", "phone", "status", "wants", "last seen (lead's time)"):
                table.add_column(
                    column,
                    justify="right" if column in ("score", "id") else "left",
                    no_wrap=column in ("score", "id", "phone", "status"),
                )
            for lead in leads:
                table.add_row(
                    _badge(lead.temperature, lead.opted_out),
                    str(lead.lead_score),
                    str(lead.id),
                    lead.name or "-",
                    lead.phone or "-",
                    "opted out" if lead.opted_out else lead.status,
                    _goal(lead),
                    _shown(lead.last_inbound_at, zone_of(lead.time_zone, agency.time_zone), "%m-%d %H:%M %Z"),
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
        from agent.services.leads import lead_profile, zone_of
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
            zone = zone_of(lead.time_zone, agency.time_zone)
            profile = lead_profile(lead)
            profile["last_inbound_at"] = _local(lead.last_inbound_at, zone)
            report: dict[str, Any] = {
                "profile": {
                    **profile,
                    "assigned_rep": await _rep_name(session, lead),
                    "opted_out": lead.opted_out,
                    "opted_out_at": _local(await _opted_out_at(session, lead), zone),
                },
                "time_zone": zone.key,
                "score": {
                    "score": lead.lead_score,
                    "temperature": lead.temperature,
                    "badge": _badge(lead.temperature, lead.opted_out),
                    "confidence": lead.score_confidence,
                    "scored_at": _local(lead.scored_at, zone),
                    "factors": [
                        {"key": f.key, "points": f.points, "max_points": f.max_points, "reason": f.reason}
                        for f in factors
                    ],
                },
                "interactions": [
                    {
                        "at": _local(i.created_at, zone),
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
                        "starts_at": _local(v.starts_at, zone_of(v.time_zone, zone.key)),
                        "time_zone": zone_of(v.time_zone, zone.key).key,
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


def _readable(iso: str | None, zone_name: str) -> str:
    """An ISO time of the report as a person reads it, in the lead's zone."""
    from zoneinfo import ZoneInfo

    return _shown(datetime.fromisoformat(iso), ZoneInfo(zone_name)) if iso else "-"


def _print_report(report: dict[str, Any]) -> None:
    from rich.table import Table

    profile, score, zone = report["profile"], report["score"], report["time_zone"]
    console.print(
        f"[bold]{profile['name'] or 'Lead'} #{profile['id']}[/]  {score['badge']} {score['score']}/100 "
        f"{score['temperature']} (confidence {score['confidence']:.0%})  status: {profile['status']}",
        highlight=False,
    )
    if profile["opted_out"]:
        from agent.services.team.cards import OPTED_OUT_BADGE

        since = f" on {_readable(profile['opted_out_at'], zone)}" if profile["opted_out_at"] else ""
        console.print(
            f"{OPTED_OUT_BADGE} opted out{since}: they asked us to stop writing; no follow-ups, and do not call "
            "unless they write again",
            highlight=False,
        )
    hidden = {"id", "name", "status", "score", "temperature", "confidence", "assigned_rep_id", "opted_out"}
    hidden |= {"opted_out_at", "last_inbound_at"}
    known = {k: v for k, v in profile.items() if v not in (None, "", 0, False) and k not in hidden}
    if profile["last_inbound_at"]:
        known["last seen"] = _readable(profile["last_inbound_at"], zone)
    console.print("  ".join(f"[dim]{k}[/] {v}" for k, v in known.items()), highlight=False)

    factors = Table(title="Score", title_justify="left")
    for column in ("factor", "points", "reason"):
        factors.add_column(column)
    for f in score["factors"]:
        factors.add_row(f["key"], f"{f['points']}/{f['max_points']}", f["reason"])
    console.print(factors)

    history = Table(title=f"Interactions ({zone})", title_justify="left")
    for column in ("at", "", "type", "text"):
        history.add_column(column)
    for i in report["interactions"]:
        text = (i["text"] or json.dumps(i["meta"], ensure_ascii=False))[:100]
        history.add_row(
            _readable(i["at"], zone), "→" if i["direction"] == "outbound" else "←", i["type"], text
        )
    console.print(history)
    for v in report["viewings"]:
        console.print(
            f"viewing #{v['id']}: {_readable(v['starts_at'], v['time_zone'])} ({v['time_zone']}) {v['status']}",
            highlight=False,
        )
