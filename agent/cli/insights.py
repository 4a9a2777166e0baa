"""`realty leads insight`: a lead's insight and next best action, in a reader's language; `--refresh` composes it
again first (offline; with a model configured, its summary too).

Registered onto the `leads` app by `add_commands` (agent.cli.leads).
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from agent.cli.common import fail, run


def show_insight(
    lead_id: Annotated[
        int, typer.Option("--lead-id", help="The lead's id, as `realty leads list` shows it.")
    ],
    tenant: Annotated[
        str, typer.Option("--tenant", "-t", help="Slug of the agency the lead belongs to.")
    ] = "demo",
    language: Annotated[str, typer.Option("--language", "-l", help="en, ru, fa or ar.")] = "en",
    refresh: Annotated[bool, typer.Option("--refresh", help="Compose the insight again first.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the stored insight as JSON.")] = False,
) -> None:
    """Print a lead's insight: what they want, urgency, objections, open questions and the next best action."""

    async def main() -> None:
        from agent.services.insights import insight_for, refresh_insight
        from agent.services.insights.refresh import full_refresh
        from agent.services.provider import open_services
        from storage.repositories.leads import LeadRepository
        from storage.repositories.tenants import TenantRepository

        async with open_services() as services:
            async with services.database.session() as session:
                agency = await TenantRepository(session).by_slug(tenant)
                if agency is None:
                    raise fail(f"no agency '{tenant}': `realty tenants list` shows them")
                lead = await LeadRepository(session).get(agency.id, lead_id)
                if lead is None:
                    raise fail(
                        f"no lead {lead_id} in '{tenant}': `realty leads list --tenant {tenant}` shows the leads"
                    )
                if refresh:
                    await refresh_insight(session, services, lead, services.clock.now())
            if refresh and services.settings.has_model_key:
                await full_refresh(services, lead_id, agency.id, services.clock.now())
            async with services.database.session() as session:
                lead = await LeadRepository(session).get(agency.id, lead_id)
                assert lead is not None
                shown = await insight_for(session, lead, language, agency.time_zone)
        if shown is None:
            raise fail(f"lead {lead_id} has no insight yet: add --refresh to compose it")
        if as_json:
            typer.echo(json.dumps({"source": shown.source, **shown.content}, ensure_ascii=False, indent=2))
        else:
            typer.echo(shown.text)

    run(main)


def add_commands(app: typer.Typer) -> None:
    app.command("insight")(show_insight)
