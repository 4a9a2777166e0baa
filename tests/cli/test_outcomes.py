"""`realty leads outcome` and `realty leads outcome-reasons`: an operator records won/lost with the agency's
reasons (follow-ups stop, audited), is told what to do on a mistake, and sets the agency's own list."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select

from storage.db import Database
from storage.models import AuditLog, FollowUpSend, Lead
from storage.repositories.tenants import TenantRepository
from tests.cli.conftest import Realty


async def a_lead(database: Database) -> int:
    async with database.session() as session:
        tenant = await TenantRepository(session).create(name="Acme", slug="acme", time_zone="UTC")
        lead = Lead(tenant_id=tenant.id, name="Tom Baker", status="handed_off")
        session.add(lead)
        await session.flush()
        session.add(
            FollowUpSend(
                tenant_id=tenant.id,
                lead_id=lead.id,
                step_key="seq:9",
                status="pending",
                due_at=datetime(2030, 1, 1, tzinfo=UTC),
                created_at=datetime(2029, 12, 31, tzinfo=UTC),
            )
        )
        return lead.id


async def test_an_operator_records_lost_with_a_reason_and_the_follow_ups_stop(
    realty: Realty, database: Database
) -> None:
    lead_id = await a_lead(database)
    result = await realty(
        "leads",
        "outcome",
        "--tenant",
        "acme",
        "--lead-id",
        str(lead_id),
        "--lost",
        "--reason",
        "price",
        "--note",
        "too dear",
        "--json",
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert (body["status"], body["previous_status"], body["reason"], body["stopped_sends"]) == (
        "lost",
        "handed_off",
        "price",
        1,
    )
    async with database.session() as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None and (lead.outcome_reason, lead.outcome_note) == ("price", "too dear")
        assert (await session.execute(select(FollowUpSend.status))).scalar_one() == "cancelled"
        entry = (
            await session.execute(select(AuditLog).where(AuditLog.action == "lead.outcome"))
        ).scalar_one()
        assert entry.allowed and (entry.detail or "").startswith("cli: handed_off → lost")

    reopened = await realty("leads", "outcome", "--tenant", "acme", "--lead-id", str(lead_id), "--reopen")
    assert reopened.exit_code == 0 and "lost → handed_off" in reopened.output


async def test_mistakes_say_what_to_do(realty: Realty, database: Database) -> None:
    lead_id = await a_lead(database)
    both = await realty("leads", "outcome", "--tenant", "acme", "--lead-id", str(lead_id), "--won", "--lost")
    assert both.exit_code == 1 and "one of --won, --lost or --reopen" in both.output
    bad = await realty(
        "leads", "outcome", "--tenant", "acme", "--lead-id", str(lead_id), "--won", "--reason", "price"
    )
    assert bad.exit_code == 1 and "bought, signed" in bad.output and "--help" in bad.output
    missing = await realty("leads", "outcome", "--tenant", "acme", "--lead-id", "999999", "--won")
    assert missing.exit_code == 1 and "leads list --tenant acme" in missing.output
    assert "other_agency" in (await realty("leads", "outcome", "--help")).output


async def test_the_agency_sets_its_own_reasons_and_the_outcome_takes_them(
    realty: Realty, database: Database
) -> None:
    lead_id = await a_lead(database)
    shown = await realty("leads", "outcome-reasons", "--tenant", "acme")
    assert "lost: price, mismatch, financing" in shown.output
    changed = await realty("leads", "outcome-reasons", "--tenant", "acme", "--lost", "budget, visa")
    assert (
        changed.exit_code == 0
        and "lost: budget, visa" in changed.output
        and "won: bought, signed" in changed.output
    )
    bad = await realty("leads", "outcome-reasons", "--tenant", "acme", "--lost", "Bad Code!")
    assert bad.exit_code == 1
    done = await realty(
        "leads", "outcome", "-t", "acme", "--lead-id", str(lead_id), "--lost", "--reason", "visa"
    )
    assert done.exit_code == 0, done.output
    reset = await realty("leads", "outcome-reasons", "--tenant", "acme", "--reset")
    assert "lost: price" in reset.output
