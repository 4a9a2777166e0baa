"""`realty tenants`: an operator creates and configures an agency; every mistake is one line saying what to do."""

from __future__ import annotations

import json
from datetime import time

from sqlalchemy import select

from storage.db import Database
from storage.models import Tenant
from tests.cli.conftest import Realty
from tests.secrets_support import store_lead_bot_token


async def tenant(database: Database, slug: str) -> Tenant:
    async with database.session() as session:
        return (await session.execute(select(Tenant).where(Tenant.slug == slug))).scalar_one()


async def test_an_agency_is_created_with_every_setting_checked_and_normalised(
    realty: Realty, database: Database
) -> None:
    result = await realty(
        "tenants", "create", "Acme Realty, Bali",
        "--time-zone", "asia/makassar", "--currency", "idr", "--language", "RU", "--country", "id",
        "--email-domain", "@Acme.CO.ID", "--quiet-hours", "22:00-07:30", "--ghost-delay", "90",
        "--alert-chat", "-1001234567890", "--meeting-provider", "google-meet",
        "--rate", "USD=16200", "--rate", "eur=17600.5",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "created agency 'acme-realty-bali'" in result.output
    acme = await tenant(database, "acme-realty-bali")
    assert (acme.name, acme.time_zone, acme.default_currency, acme.default_language, acme.country_code) == (
        "Acme Realty, Bali",
        "Asia/Makassar",
        "IDR",
        "ru",
        "ID",
    )
    assert acme.corporate_email_domain == "acme.co.id"
    assert (acme.quiet_hours_start, acme.quiet_hours_end) == (time(22), time(7, 30))
    assert (acme.ghost_after_minutes, acme.alert_chat_id, acme.meeting_provider) == (
        90,
        -1001234567890,
        "google_meet",
    )
    assert acme.exchange_rates == {"USD": 16200.0, "EUR": 17600.5}


async def test_set_changes_only_what_is_given_and_rates_add_up_or_clear(
    realty: Realty, database: Database
) -> None:
    assert (
        await realty("tenants", "create", "Acme", "--rate", "USD=16200", "--currency", "IDR")
    ).exit_code == 0
    result = await realty("tenants", "set", "acme", "--rate", "EUR=17600", "--time-zone", "Europe/Moscow")
    assert result.exit_code == 0, result.output
    assert "acme: changed time zone, exchange rates" in result.output
    acme = await tenant(database, "acme")
    assert acme.exchange_rates == {"USD": 16200.0, "EUR": 17600.0}
    assert (acme.default_currency, acme.default_language) == ("IDR", "en")

    assert (await realty("tenants", "set", "acme", "--clear-rates", "--rate", "SGD=12000")).exit_code == 0
    assert (await tenant(database, "acme")).exchange_rates == {"SGD": 12000.0}
    assert (await realty("tenants", "set", "acme", "--clear-rates", "--ghost-delay", "none")).exit_code == 0
    acme = await tenant(database, "acme")
    assert acme.exchange_rates is None and acme.ghost_after_minutes is None


async def test_list_and_show_never_print_the_lead_bot_token(realty: Realty, database: Database) -> None:
    assert (await realty("tenants", "create", "Acme", "--email-domain", "acme.com")).exit_code == 0
    async with database.session() as session:
        acme = (await session.execute(select(Tenant).where(Tenant.slug == "acme"))).scalar_one()
        store_lead_bot_token(acme, "8380712345:AAH-secret-token-value")
        acme.lead_bot_username = "acme_leads_bot"
    listed = await realty("tenants", "list")
    shown = await realty("tenants", "show", "acme")
    as_json = await realty("tenants", "show", "acme", "--json")
    for result in (listed, shown, as_json):
        assert result.exit_code == 0, result.output
        assert "secret" not in result.output and "8380712345" not in result.output
    assert "acme" in listed.output and "@acme_leads_bot" in listed.output
    view = json.loads(as_json.stdout)
    assert view["lead_bot"] == "@acme_leads_bot" and view["corporate_email_domain"] == "acme.com"
    assert "lead_bot_token" not in view


async def test_mistakes_are_one_line_saying_what_to_do(realty: Realty, database: Database) -> None:
    assert (await realty("tenants", "create", "Acme", "--email-domain", "acme.com")).exit_code == 0
    cases = {
        ("tenants", "show", "acne"): "no agency 'acne': the agencies are acme",
        ("tenants", "create", "Acme"): "an agency with slug 'acme' exists: choose another with --slug",
        ("tenants", "set", "acme", "--time-zone", "Europe/Moskow"): "did you mean Europe/Moscow?",
        ("tenants", "set", "acme", "--currency", "DOLLARS"): "use an ISO 4217 code",
        ("tenants", "set", "acme", "--language", "de"): "use one of en, ru, fa, ar",
        ("tenants", "set", "acme", "--quiet-hours", "9pm-8am"): "use HH:MM-HH:MM",
        ("tenants", "set", "acme", "--rate", "EUR"): "use CODE=RATE",
        ("tenants", "set", "acme", "--rate", "USD=2"): "USD is the agency's own currency",
        ("tenants", "set", "acme", "--meeting-provider", "skype"): "use one of zoom, google_meet, none",
        ("tenants", "set", "acme"): "nothing to change",
        ("tenants", "create", "Other", "--email-domain", "ACME.com"): "already belongs to agency 'acme'",
    }
    for args, expected in cases.items():
        result = await realty(*args)
        assert result.exit_code == 1, (args, result.output)
        message = " ".join(result.output.split())
        assert message.startswith("error: ") and expected in message, (args, message)
        assert "Traceback" not in result.output
    assert [t.slug for t in [await tenant(database, "acme")]] == ["acme"]


async def test_the_help_explains_with_examples(realty: Realty) -> None:
    for group, command in (
        ("tenants", "create"),
        ("tenants", "set"),
        ("reps", "remove"),
        ("properties", "hide"),
    ):
        result = await realty(group, command, "--help")
        assert result.exit_code == 0 and "Example" in result.output, (group, command, result.output)
