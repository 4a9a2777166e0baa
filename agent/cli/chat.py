"""`realty chat`: talk to the sales agent as a lead, in the terminal, through the same turn API as the bots."""

from __future__ import annotations

import json
import re
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from agent.cli.common import console, err_console, fail, realty_command, run

if TYPE_CHECKING:
    from agent.services.provider import Services
    from graphs.sales.conversation import Choice, Inbound, TurnResult
    from storage.models import Tenant

QUIT = frozenset({"/quit", "/exit", "/q", ":q"})


async def _tenant(services: Services, slug: str) -> Tenant:
    """The agency by slug; the demo agency (catalog and a bookable agent) is created when missing."""
    from agent.services.catalog.demo import DEMO_TENANT_SLUG
    from agent.services.catalog.seed import seed_demo
    from storage.repositories.properties import count_listings
    from storage.repositories.tenants import TenantNotFound, TenantRepository

    async with services.database.session() as session:
        tenants = TenantRepository(session)
        tenant = await tenants.by_slug(slug)
        if slug == DEMO_TENANT_SLUG and (tenant is None or await count_listings(session, tenant.id) == 0):
            err_console.print("[dim]Setting up the demo agency and its Bali catalog (first run only)…[/]")
            await seed_demo(session, services.embedder, settings=services.settings)
            tenant = await tenants.by_slug(slug)
        if tenant is None:
            raise fail(str(TenantNotFound(slug)))
        return tenant


async def _lead(services: Services, tenant: Tenant, lead_id: int | None) -> int:
    from agent.services.leads import create_lead
    from storage.repositories.leads import LeadRepository

    async with services.database.session() as session:
        if lead_id is not None:
            if await LeadRepository(session).get(tenant.id, lead_id) is None:
                raise fail(
                    f"no lead {lead_id} at '{tenant.slug}': see `realty leads list --tenant {tenant.slug}`"
                )
            return lead_id
        lead = await create_lead(session, tenant.id, language=tenant.default_language)
        return lead.id


def _inbound(line: str, choices: tuple[Choice, ...]) -> Inbound:
    """A typed line; a bare number picks one of the buttons just offered."""
    from graphs.sales.conversation import Inbound

    stripped = line.strip()
    if stripped.isdigit() and choices and 1 <= int(stripped) <= len(choices):
        choice = choices[int(stripped) - 1]
        return Inbound(kind="button", text=choice.label, payload=choice.value)
    return Inbound(kind="text", text=line)


_SURROGATE = re.compile(r"[\ud800-\udfff]")
"""What undecodable input bytes become in Python text (surrogateescape): never valid UTF-8 on the way out."""


def _tolerant_stdin() -> None:
    """Read piped lines whatever their bytes: an undecodable byte is kept as a surrogate, not an error."""
    reconfigure = getattr(sys.stdin, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="surrogateescape")


def _emit_json(line: str) -> None:
    """One JSON line on stdout as UTF-8, whatever the terminal's encoding; any surrogate left is U+FFFD."""
    data = (_SURROGATE.sub("\ufffd", line) + "\n").encode("utf-8")
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        print(data.decode("utf-8"), end="", flush=True)
        return
    sys.stdout.flush()
    buffer.write(data)
    buffer.flush()


def _turn_json(user: str, result: TurnResult) -> str:
    record: dict[str, Any] = {
        "user": user,
        "reply": result.reply,
        "tools": list(result.tools),
        "phase": result.phase,
        "lead": result.lead,
        "choices": [{"label": c.label, "value": c.value} for c in result.choices],
        "language": result.language,
    }
    return json.dumps(record, ensure_ascii=False, default=str)


def _show(result: TurnResult, *, interactive: bool) -> None:
    from rich.markup import escape

    if interactive:
        console.print(f"[bold green]agent ›[/] {escape(result.reply)}", highlight=False)
        for n, choice in enumerate(result.choices, start=1):
            console.print(f"   [cyan]{n}[/] {escape(choice.label)}", highlight=False)
        badge = f"{result.lead.get('score', 0)} {result.lead.get('temperature', '')}"
        tools = ", ".join(call["name"] for call in result.tools) or "no tools"
        console.print(f"[dim]   {result.phase or '-'} · {tools} · score {badge}[/]", highlight=False)
    else:
        print(f"agent: {result.reply}")
        for n, choice in enumerate(result.choices, start=1):
            print(f"  [{n}] {choice.label}")


def chat(
    tenant: Annotated[str, typer.Option("--tenant", "-t", help="Slug of the agency to talk to.")] = "demo",
    lead_id: Annotated[
        int | None,
        typer.Option("--lead-id", help="Continue the conversation of this lead (printed at the end)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object per turn on stdout.")
    ] = False,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            help="'offline', or a model name at OPENAI_BASE_URL. Default: REALTY_MODEL when OPENAI_API_KEY is set, else offline.",
        ),
    ] = None,
) -> None:
    """Chat with the sales agent as a lead would: it qualifies you, shows listings and books a viewing.

    Interactive in a terminal (a number picks a button; /quit or Ctrl-D ends). With stdin from a pipe or
    file, each line is one message. Works with no setup: an embedded PostgreSQL, the demo agency and,
    without an API key, the offline model.
    """

    async def main() -> None:
        from agent.adapters.models import ModelConfigError, SalesModel, build_chat_model
        from agent.services.provider import open_services
        from agent.settings import get_settings
        from graphs.sales.conversation import run_lead_turn

        settings = get_settings()
        try:
            chosen = SalesModel(build_chat_model(settings, model))
        except ModelConfigError as exc:
            raise fail(str(exc)) from None
        async with open_services(settings, model=chosen) as services:
            agency = await _tenant(services, tenant)
            lead = await _lead(services, agency, lead_id)
            interactive = sys.stdin.isatty() and not as_json
            resume = f"{realty_command()} chat --tenant {agency.slug} --lead-id {lead}"
            if interactive:
                console.print(
                    f"[bold]{agency.name}[/] · lead #{lead} · model: {services.model.name} · /quit to leave",
                    highlight=False,
                )
            choices: tuple[Choice, ...] = ()
            if as_json:
                _tolerant_stdin()
            try:
                while True:
                    try:
                        line = console.input("[bold blue]you ›[/] ") if interactive else sys.stdin.readline()
                    except EOFError:
                        break
                    if not interactive and line == "":
                        break  # end of input
                    line = line.rstrip("\r\n")
                    if line.strip() in QUIT:
                        break
                    if not line.strip() and not interactive:
                        continue
                    result = await run_lead_turn(
                        services, tenant_id=agency.id, lead_id=lead, inbound=_inbound(line, choices)
                    )
                    choices = result.choices
                    if as_json:
                        _emit_json(_turn_json(line, result))
                    else:
                        _show(result, interactive=interactive)
            finally:
                (err_console if as_json else console).print(
                    f"[dim]Continue this conversation: {resume}[/]", highlight=False
                )

    run(main)
