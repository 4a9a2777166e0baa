"""`realty leads outcome` (a deal won or lost, with a reason and a note; or reopened) and `realty leads
outcome-reasons` (the agency's reason codes: show, set, reset).

Registered onto the `leads` app by `add_commands` (agent.cli.leads). Every change is audited as the operator's.
"""

from __future__ import annotations

import json
import os
from typing import Annotated

import typer

from agent.cli.common import console, fail, run

TenantOption = Annotated[str, typer.Option("--tenant", "-t", help="Slug of the agency the lead belongs to.")]
REASON_HELP = (
    "A reason code from the agency's list (`realty leads outcome-reasons --tenant T` shows it). Defaults: won: "
    "bought, signed (rented or signed a contract); lost: price, mismatch (location or property), financing, "
    "other_agency (chose another agency), no_response (stopped responding), timing (postponed), other."
)


def _operator() -> str:
    """Who ran the command, for the audit entry (the OS user)."""
    return f"cli operator {os.environ.get('USER') or os.environ.get('USERNAME') or 'unknown'}"


def outcome(
    lead_id: Annotated[
        int, typer.Option("--lead-id", help="The lead's id, as `realty leads list` shows it.")
    ],
    tenant: TenantOption = "demo",
    won: Annotated[bool, typer.Option("--won", help="The deal is won (bought, rented, signed).")] = False,
    lost: Annotated[bool, typer.Option("--lost", help="The deal is lost.")] = False,
    reopen: Annotated[
        bool, typer.Option("--reopen", help="Take a won or lost lead back to the status it had before.")
    ] = False,
    reason: Annotated[str | None, typer.Option("--reason", help=REASON_HELP)] = None,
    note: Annotated[str | None, typer.Option("--note", help="Free text kept with the outcome.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Record how a lead's deal ended (won or lost, with a reason and a note): every follow-up of the lead stops
    (planned messages cancelled, reps' open tasks closed). Audited."""
    if [won, lost, reopen].count(True) != 1:
        raise fail("say one of --won, --lost or --reopen")

    async def main() -> None:
        from agent.services.provider import open_services
        from agent.services.team.outcomes import OutcomeError, Recorder, record_outcome, reopen_lead
        from storage.repositories.leads import LeadRepository
        from storage.repositories.tenants import TenantNotFound, TenantRepository

        who = Recorder(_operator(), None, "cli")
        async with open_services() as services:
            async with services.database.session() as session:
                try:
                    agency = await TenantRepository(session).require(tenant)
                except TenantNotFound as exc:
                    raise fail(f"{exc}: `realty tenants list` shows the agencies") from None
                lead = await LeadRepository(session).get(agency.id, lead_id, for_update=True)
                if lead is None:
                    raise fail(
                        f"no lead {lead_id} in '{tenant}': `realty leads list --tenant {tenant}` shows the leads"
                    )
                now = services.clock.now()
                try:
                    if reopen:
                        done = await reopen_lead(session, lead, who=who, now=now, channel="cli")
                    else:
                        done = await record_outcome(
                            session,
                            lead,
                            outcome="won" if won else "lost",
                            reason=reason,
                            note=note,
                            who=who,
                            now=now,
                            channel="cli",
                        )
                except OutcomeError as exc:
                    raise fail(f"{exc} (see `realty leads outcome --help`)") from None
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        "lead_id": done.lead_id,
                        "status": done.status,
                        "previous_status": done.previous,
                        "reason": done.reason,
                        "note": done.note,
                        "stopped_sends": done.stopped.sends,
                        "stopped_tasks": done.stopped.tasks,
                    },
                    ensure_ascii=False,
                )
            )
            return
        console.print(
            f"lead {done.lead_id} ({done.name}): {done.previous} → {done.status}"
            + (f", reason {done.reason}" if done.reason else "")
            + f"; follow-ups stopped: {done.stopped.sends} planned message(s), {done.stopped.tasks} task(s)",
            highlight=False,
        )

    run(main)


def outcome_reasons(
    tenant: TenantOption = "demo",
    won: Annotated[
        str | None, typer.Option("--won", help="Set the reason codes of a won deal, comma-separated.")
    ] = None,
    lost: Annotated[
        str | None, typer.Option("--lost", help="Set the reason codes of a lost deal, comma-separated.")
    ] = None,
    reset: Annotated[bool, typer.Option("--reset", help="Back to the default reasons.")] = False,
) -> None:
    """Show (or set) the agency's short lists of reasons a deal is won or lost. Codes are lower-case letters,
    digits and _, up to 12 per list; the defaults have names in every language, an agency's own codes show as
    written."""

    async def main() -> None:
        from agent.services.provider import open_services
        from agent.services.team.outcomes import OUTCOMES, OutcomeError, reasons_of, set_reasons
        from storage.repositories.tenants import TenantNotFound, TenantRepository

        async with open_services() as services:
            async with services.database.session() as session:
                try:
                    agency = await TenantRepository(session).require(tenant)
                except TenantNotFound as exc:
                    raise fail(f"{exc}: `realty tenants list` shows the agencies") from None
                now = services.clock.now()
                try:
                    if reset:
                        for kind in OUTCOMES:
                            await set_reasons(session, agency, kind, None, by=_operator(), now=now)
                    if won is not None:
                        await set_reasons(session, agency, "won", won.split(","), by=_operator(), now=now)
                    if lost is not None:
                        await set_reasons(session, agency, "lost", lost.split(","), by=_operator(), now=now)
                except OutcomeError as exc:
                    raise fail(str(exc)) from None
                reasons = reasons_of(agency)
        for kind, codes in reasons.items():
            console.print(f"{kind}: {', '.join(codes)}", highlight=False)

    run(main)


def add_commands(app: typer.Typer) -> None:
    """`outcome` and `outcome-reasons` on the leads app."""
    app.command("outcome")(outcome)
    app.command("outcome-reasons")(outcome_reasons)
