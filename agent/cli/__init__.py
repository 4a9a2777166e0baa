"""`realty`: the command line of realty-agent. Each command group lives in its own module."""

from __future__ import annotations

import typer

from agent.cli import (
    analytics,
    api_tokens,
    bot,
    calendar,
    chat,
    db,
    eval,
    leads,
    properties,
    reps,
    scoring,
    secrets,
    serve,
    tenants,
    webhooks,
    worker,
)

app = typer.Typer(
    name="realty",
    help="An agentic sales system for real-estate teams: lead chat, team bot, follow-ups and evals.\n\n"
    "Works with no API key and no server: without DATABASE_URL it runs an embedded PostgreSQL, "
    "without OPENAI_API_KEY an offline deterministic model.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
app.command("chat")(chat.chat)
app.add_typer(db.app, name="db")
app.add_typer(tenants.app, name="tenants")
app.add_typer(reps.app, name="reps")
app.add_typer(properties.app, name="properties")
app.add_typer(leads.app, name="leads")
app.add_typer(analytics.app, name="analytics")
app.add_typer(scoring.app, name="scoring")
app.add_typer(worker.jobs_app, name="jobs")
app.add_typer(bot.app, name="bot")
app.command("serve")(serve.serve)
app.add_typer(calendar.app, name="calendar")
app.add_typer(secrets.app, name="secrets")
app.add_typer(api_tokens.app, name="api-tokens")
app.add_typer(webhooks.app, name="webhooks")
app.command("worker")(worker.worker)
app.add_typer(eval.app, name="eval")
app.add_typer(eval.transcripts_app, name="transcripts")
