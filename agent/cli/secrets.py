"""`realty secrets`: stored secrets (lead-bot and calendar tokens) re-encrypted with the newest key."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from agent.cli.common import console, err_console, fail, run

if TYPE_CHECKING:
    from agent.services.secrets import RotationReport, UnreadableSecret

app = typer.Typer(
    help="Secrets at rest: re-encrypt stored tokens with the first TOKEN_ENCRYPTION_KEY.",
    no_args_is_help=True,
)


def _count(number: int, what: str) -> str:
    return f"{number} {what}" + ("" if number == 1 else "s")


def _counts(report: RotationReport) -> str:
    parts = [
        _count(report.lead_bot_tokens, "lead-bot token"),
        _count(report.calendar_tokens, "calendar token"),
    ]
    if report.webhook_secrets:
        parts.append(_count(report.webhook_secrets, "webhook secret"))
    return f"{', '.join(parts[:-1])} and {parts[-1]} with the first key"


def _whose(secret: UnreadableSecret) -> str:
    if secret.kind == "lead_bot":
        return f"agency {secret.tenant_slug}: its lead-bot token"
    if secret.kind == "webhook":
        return f"agency {secret.tenant_slug}: the secret of webhook {secret.webhook_url}"
    return f"agency {secret.tenant_slug}, rep {secret.rep_email}: their calendar token"


ROTATE_HELP = (
    "Re-encrypt every stored secret (lead-bot tokens, reps' Google Calendar tokens, webhook signing secrets) with the first key of "
    "TOKEN_ENCRYPTION_KEY, in one transaction, so older keys can be removed.\n\n"
    "To retire a key:\n\n"
    "1. generate a new key and put it first in TOKEN_ENCRYPTION_KEY, the old one after it, comma-separated "
    "(the first encrypts, all decrypt);\n\n"
    "2. run `realty secrets rotate` (`--dry-run` first to see what it would do);\n\n"
    "3. remove the old key from TOKEN_ENCRYPTION_KEY and restart `realty bot` and `realty worker`.\n\n"
    "A token no key can read is named (agency, rep; never the token) and left as it is, and the command exits "
    "non-zero: add the key it was stored with and run again, or store that token anew."
)


@app.command(help=ROTATE_HELP)
def rotate(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only count what would be re-encrypted; change nothing.")
    ] = False,
) -> None:
    """Re-encrypt stored secrets with the first key (see ROTATE_HELP)."""

    async def main() -> RotationReport:
        from agent.adapters.crypto import token_cipher
        from agent.services.provider import open_services
        from agent.services.secrets import rotate_secrets
        from agent.settings import get_settings

        token_cipher(get_settings())  # no key: one line on how to make one, before opening the database
        async with open_services() as services, services.database.session() as session:
            return await rotate_secrets(session, services.settings, dry_run=dry_run)

    report = run(main)
    for secret in report.unreadable:
        err_console.print(f"unreadable with every key: {_whose(secret)}", highlight=False, soft_wrap=True)
    if dry_run:
        console.print(
            f"dry run, nothing changed: would re-encrypt {_counts(report)}", highlight=False, soft_wrap=True
        )
    elif report.unreadable:
        console.print(f"re-encrypted {_counts(report)}", highlight=False, soft_wrap=True)
    if report.unreadable:
        raise fail(
            f"{_count(len(report.unreadable), 'stored token')} no key can read (listed above, left as they are): "
            "add the key they were stored with to TOKEN_ENCRYPTION_KEY and run `realty secrets rotate` again, "
            "or store them anew (`realty bot set-token SLUG TOKEN`; a rep connects their calendar again in "
            "the team bot); keep the old key until then"
        )
    if not dry_run:
        console.print(
            f"re-encrypted {_counts(report)}; you may now remove the old key", highlight=False, soft_wrap=True
        )
