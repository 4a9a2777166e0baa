"""`realty webhooks`: an agency's outgoing webhook endpoints (add, list, remove)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Annotated

import typer

from agent.cli.common import console, fail, run

if TYPE_CHECKING:
    from agent.services.integrations.endpoints import NewEndpoint
    from storage.models import WebhookEndpoint

EVENTS = "lead.created, lead.hot, lead.status_changed, viewing.booked, viewing.cancelled"

app = typer.Typer(
    help="Outgoing webhooks: URLs of an agency's own systems that hear about its leads and viewings, signed "
    "with a per-endpoint secret and retried by `realty worker`.\n\n"
    "Example: [bold]realty webhooks add https://crm.acme.example/realty --tenant acme --event lead.created "
    "--event lead.hot[/]",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

TenantOption = Annotated[str, typer.Option("--tenant", "-t", help="The agency's slug.")]


@app.command("add")
def add(
    url: Annotated[str, typer.Argument(help="https:// (plain http only for a loopback address).")],
    tenant: TenantOption,
    event: Annotated[
        list[str] | None,
        typer.Option("--event", "-e", help=f"An event to send (repeat; default all): {EVENTS}."),
    ] = None,
) -> None:
    """Add an endpoint; prints its signing secret once."""

    async def main() -> NewEndpoint:
        from agent.services.integrations.endpoints import InvalidEndpoint
        from agent.services.integrations.events import EVENT_KINDS
        from agent.services.integrations.operator import OperatorWebhooks
        from agent.services.provider import open_services
        from storage.repositories.tenants import TenantNotFound

        async with open_services() as services:
            try:
                return await OperatorWebhooks(services).add(
                    tenant, url, event or [kind.value for kind in EVENT_KINDS]
                )
            except (TenantNotFound, InvalidEndpoint) as exc:
                raise fail(str(exc)) from None

    new = run(main)
    console.print(f"added webhook {new.endpoint.id} for {', '.join(new.endpoint.events)}", highlight=False)
    console.print(
        f"secret (shown once; the receiver checks X-Realty-Signature with it): {new.secret}",
        highlight=False,
        soft_wrap=True,
    )


@app.command("list")
def list_(tenant: TenantOption) -> None:
    """The agency's endpoints with their last delivery (never their secrets)."""

    async def main() -> list[WebhookEndpoint]:
        from agent.services.integrations.operator import OperatorWebhooks
        from agent.services.provider import open_services
        from storage.repositories.tenants import TenantNotFound

        async with open_services() as services:
            try:
                return await OperatorWebhooks(services).list(tenant)
            except TenantNotFound as exc:
                raise fail(str(exc)) from None

    endpoints = run(main)
    if not endpoints:
        console.print(f"agency {tenant} has no webhooks", highlight=False)
    for endpoint in endpoints:
        last = (
            f"{endpoint.last_status} {endpoint.last_status_code or ''} at {endpoint.last_delivery_at:%Y-%m-%d %H:%M}"
            if endpoint.last_status and endpoint.last_delivery_at
            else "nothing sent yet"
        )
        console.print(
            f"{endpoint.id}  {endpoint.url}  [{', '.join(endpoint.events)}]  {last}",
            highlight=False,
            soft_wrap=True,
        )


@app.command("remove")
def remove(
    webhook_id: Annotated[str, typer.Argument(help="The id `realty webhooks list` shows.")],
    tenant: TenantOption,
) -> None:
    """Remove an endpoint and its delivery history."""
    try:
        endpoint_id = uuid.UUID(webhook_id)
    except ValueError:
        raise fail(
            f"{webhook_id} is not a webhook id (see `realty webhooks list --tenant {tenant}`)"
        ) from None

    async def main() -> bool:
        from agent.services.integrations.operator import OperatorWebhooks
        from agent.services.provider import open_services
        from storage.repositories.tenants import TenantNotFound

        async with open_services() as services:
            try:
                return await OperatorWebhooks(services).remove(tenant, endpoint_id)
            except TenantNotFound as exc:
                raise fail(str(exc)) from None

    if not run(main):
        raise fail(f"agency {tenant} has no webhook {webhook_id}")
    console.print(f"removed webhook {webhook_id}", highlight=False)
