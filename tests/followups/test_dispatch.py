"""Exactly once: racing workers, a worker killed mid-send, flood control, and failures that must not resend."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from agent.core.clock import FrozenClock
from agent.services.jobs.dispatch import LEASE, dispatch_due
from agent.settings import Settings
from evals.bot_api import FakeTelegramAPI
from storage.db import Database
from tests.jobs_support import at, job_context_on, make_tenant, sends_of
from tests.secrets_support import lead_bot_token_of

REPO = Path(__file__).resolve().parents[2]
NOW = at(12, 0)


async def seed_due_sends(
    database: Database, tenant_ids: list[int], per_tenant: int, *, due: datetime
) -> None:
    """per_tenant leads in each tenant, each with one pending message due at `due` (bulk, in SQL).

    Rows alternate between tenants, as a busy morning would, so no single bot's 30 msg/s paces the whole run.
    """
    async with database.session() as session:
        await session.execute(
            text(
                """
                WITH new_leads AS (
                    INSERT INTO leads (tenant_id, telegram_user_id, telegram_chat_id, name, language, status,
                        message_count, voice_message_count, qr_scan_count, catalog_views, total_interactions,
                        urgency_mentions, specific_questions, lead_score, temperature, score_confidence,
                        urgency_score, fomo_messages_sent, ghost_reminder_sent, opted_out, extra,
                        last_inbound_at)
                    SELECT t, t * 1000000 + g, t * 1000000 + g, 'Lead ' || g, 'en', 'qualifying',
                        0, 0, 0, 0, 0, 0, 0, 0, 'warm', 0, 0, 0, false, false, '{}', :inbound
                    FROM unnest(CAST(:tenants AS bigint[])) t, generate_series(1, :n) g
                    RETURNING id, tenant_id, telegram_user_id
                )
                INSERT INTO followup_sends (tenant_id, lead_id, step_key, channel, status, due_at, text, created_at)
                SELECT tenant_id, id, 'test:race', 'telegram', 'pending', :due, 'Hello ' || id, :created
                FROM new_leads
                ORDER BY telegram_user_id % 1000000, tenant_id
                """
            ),
            {
                "tenants": tenant_ids,
                "n": per_tenant,
                "inbound": due - timedelta(days=1),
                "due": due,
                "created": due - timedelta(minutes=1),
            },
        )


def worker_env(settings: Settings, api: FakeTelegramAPI) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SMTP_", "WHATSAPP_"))}
    env.update(
        DATABASE_URL=str(settings.database_url),
        REALTY_DATA_DIR=str(settings.realty_data_dir),
        TELEGRAM_API_BASE_URL=api.base_url,
        REGISTRY_BOT_TOKEN="",
        LOG_LEVEL="ERROR",
        TOKEN_ENCRYPTION_KEY=settings.token_encryption_key.get_secret_value()
        if settings.token_encryption_key
        else "",
    )
    return env


async def start_worker(
    settings: Settings, api: FakeTelegramAPI, now: datetime, *extra: str
) -> asyncio.subprocess.Process:
    """`realty jobs run-due --now ...` as its own OS process."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from agent.cli import app; app()",
        "jobs",
        "run-due",
        "--now",
        now.isoformat(),
        "--no-outreach",
        *extra,
        cwd=REPO,
        env=worker_env(settings, api),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def finish(process: asyncio.subprocess.Process) -> tuple[int, str]:
    out, err = await asyncio.wait_for(process.communicate(), timeout=240)
    return process.returncode or 0, (out + err).decode()


@pytest.mark.slow
async def test_two_worker_processes_racing_over_1000_due_sends_send_each_once(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenants = [await make_tenant(database, slug=f"t{i}", token=f"{900 + i}:race-bot") for i in range(10)]
    await seed_due_sends(database, [t.id for t in tenants], 100, due=NOW)

    workers = [await start_worker(settings, api, NOW, "--concurrency", "4") for _ in range(2)]
    results = await asyncio.gather(*(finish(w) for w in workers))
    assert all(code == 0 for code, _ in results), results

    delivered = Counter((call.token, call.chat_id) for call in api.sent())
    assert len(delivered) == 1000
    assert max(delivered.values()) == 1, "a message was delivered twice"
    rows = await sends_of(database)
    assert Counter(r.status for r in rows) == {"sent": 1000}
    assert len({r.external_message_id for r in rows}) == 1000
    assert len({r.claimed_by for r in rows}) == 2, "both processes should have taken a share"


@pytest.mark.slow
async def test_a_worker_killed_mid_send_causes_no_duplicate_and_the_rest_go_after_restart(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database)
    await seed_due_sends(database, [tenant.id], 40, due=NOW)
    worker = await start_worker(settings, api, NOW, "--concurrency", "1")

    answer = api.answer
    seen = 0

    async def kill_on_fifth_send(
        token: str, method: str, params: dict[str, Any], files: dict[str, bytes]
    ) -> Any:
        nonlocal seen
        result = await answer(token, method, params, files)
        if method == "sendMessage":
            seen += 1
            if seen == 5:  # delivered, but the worker dies before it can record the message id
                worker.send_signal(signal.SIGKILL)
                await worker.wait()
        return result

    api.answer = kill_on_fifth_send  # type: ignore[method-assign]
    await finish(worker)
    assert worker.returncode == -signal.SIGKILL
    in_flight = api.sent()[4].chat_id
    statuses = Counter(r.status for r in await sends_of(database))
    assert statuses == {"sent": 4, "claimed": 1, "pending": 35}

    # Restarted inside the lease: the in-flight row is left alone, the rest are sent.
    code, output = await finish(await start_worker(settings, api, NOW + timedelta(minutes=1)))
    assert code == 0, output
    # After the lease, the in-flight row is reconciled as 'unknown' and reported, never resent.
    code, output = await finish(await start_worker(settings, api, NOW + LEASE + timedelta(minutes=1)))
    assert code == 0, output
    assert "now 'unknown'" in " ".join(output.split())

    delivered = Counter(call.chat_id for call in api.sent())
    assert len(delivered) == 40 and max(delivered.values()) == 1
    rows = await sends_of(database)
    assert Counter(r.status for r in rows) == {"sent": 39, "unknown": 1}
    [unknown] = [r for r in rows if r.status == "unknown"]
    assert unknown.lead_id is not None
    assert "delivery unknown" in (unknown.error or "")
    async with database.session() as session:
        chat = (
            await session.execute(
                text("SELECT telegram_chat_id FROM leads WHERE id = :id"), {"id": unknown.lead_id}
            )
        ).scalar_one()
        note = (
            await session.execute(
                text("SELECT status FROM lead_interactions WHERE lead_id = :id AND type = 'follow_up'"),
                {"id": unknown.lead_id},
            )
        ).scalar_one()
    assert chat == in_flight and note == "unknown"


async def test_flood_control_is_waited_out_and_the_message_goes_once(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database)
    await seed_due_sends(database, [tenant.id], 1, due=NOW)
    api.fail_next("sendMessage", retry_after=1)
    async with job_context_on(database, settings, api, FrozenClock(NOW)) as ctx:
        report = await dispatch_due(ctx)
    attempts = api.calls_of("sendMessage")
    assert len(attempts) == 2 and attempts[0].result is None and attempts[1].result is not None
    assert attempts[1].at - attempts[0].at >= 0.95
    assert report.sent == 1


async def test_a_long_flood_wait_gives_the_row_back_for_later(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database)
    await seed_due_sends(database, [tenant.id], 1, due=NOW)
    api.fail_next("sendMessage", retry_after=45)
    clock = FrozenClock(NOW)
    async with job_context_on(database, settings, api, clock) as ctx:
        first = await dispatch_due(ctx)
        [row] = await sends_of(database)
        assert first.retried == 1 and row.status == "pending" and row.due_at == NOW + timedelta(seconds=45)
        clock.advance(timedelta(seconds=30))
        assert (await dispatch_due(ctx)).sent == 0
        clock.advance(timedelta(seconds=16))
        assert (await dispatch_due(ctx)).sent == 1
    assert len(api.sent()) == 2 and api.sent()[1].result is not None


async def test_an_ambiguous_failure_is_unknown_and_never_resent(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database)
    await seed_due_sends(database, [tenant.id], 2, due=NOW)
    api.fail_next("sendMessage", error_code=502, retry_after=None, description="Bad Gateway")
    api.fail_next(
        "sendMessage", error_code=403, retry_after=None, description="Forbidden: bot was blocked by the user"
    )
    clock = FrozenClock(NOW)
    async with job_context_on(database, settings, api, clock) as ctx:
        report = await dispatch_due(ctx, concurrency=1)
        clock.advance(timedelta(hours=1))
        again = await dispatch_due(ctx)
    assert (report.unknown, report.failed, again.sent) == (1, 1, 0)
    assert len(api.calls_of("sendMessage")) == 2
    assert Counter(r.status for r in await sends_of(database)) == {"unknown": 1, "failed": 1}


async def test_one_bot_never_exceeds_30_messages_in_any_second(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database)
    await seed_due_sends(database, [tenant.id], 70, due=NOW)
    async with job_context_on(database, settings, api, FrozenClock(NOW)) as ctx:
        report = await dispatch_due(ctx, concurrency=8)
    assert report.sent == 70
    times = sorted(call.at for call in api.sent())
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest <= 31
    assert times[-1] - times[0] >= 2.0


async def test_a_lead_bots_replies_and_its_follow_ups_share_the_bots_30_messages_a_second(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    from bot.lead import build_lead_application
    from tests.fakes.realty_bots import bot_settings

    tenant = await make_tenant(database)
    await seed_due_sends(database, [tenant.id], 45, due=NOW)
    async with job_context_on(database, bot_settings(settings, api), api, FrozenClock(NOW)) as services:
        async with build_lead_application(services, tenant) as application:
            replies = [application.bot.send_message(10_000 + n, "One moment!") for n in range(45)]
            report, *_ = await asyncio.gather(dispatch_due(services, concurrency=8), *replies)
    assert report.sent == 45
    times = sorted(call.at for call in api.sent(token=lead_bot_token_of(tenant)))
    assert len(times) == 90
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest <= 31


async def test_the_procrastinate_worker_runs_the_periodic_jobs_and_sends_whats_due(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    from agent.services.jobs.app import (
        ANALYTICS_TASK,
        FOLLOW_UPS_TASK,
        OUTREACH_TASK,
        QUEUE,
        WEBHOOKS_TASK,
        build_app,
        cron_every,
        ensure_job_schema,
        start_background_jobs,
    )
    from agent.services.provider import Services

    await ensure_job_schema(database.url)
    assert await ensure_job_schema(database.url) is False  # idempotent
    tenant = await make_tenant(database)
    await seed_due_sends(database, [tenant.id], 3, due=NOW)
    async with job_context_on(database, settings, api, FrozenClock(NOW)) as ctx:
        app = build_app(ctx)
        assert {task.name for task in app.tasks.values()} >= {FOLLOW_UPS_TASK, OUTREACH_TASK}
        every_minute = [p for p in app.periodic_registry.periodic_tasks.values() if p.cron == "* * * * *"]
        assert sorted(p.task.name for p in every_minute) == sorted(
            [FOLLOW_UPS_TASK, WEBHOOKS_TASK, ANALYTICS_TASK]
        )
        async with app.open_async():
            await app.tasks[FOLLOW_UPS_TASK].defer_async(timestamp=0)
            await app.run_worker_async(queues=[QUEUE], wait=False, install_signal_handlers=False)
    assert len(api.sent()) == 3
    assert Counter(r.status for r in await sends_of(database)) == {"sent": 3}
    assert (
        cron_every(30) == "*/30 * * * *" and cron_every(1) == "* * * * *" and cron_every(120) == "0 */2 * * *"
    )

    # In-process for one-machine installs: starts with the bot, stops cleanly.
    services = Services(settings=settings, database=database, clock=FrozenClock(NOW))
    async with services.resources:
        jobs = start_background_jobs(services)
        await asyncio.sleep(1.0)
        assert not jobs.task.done()
        await jobs.stop()
        assert jobs.task.done()


async def test_many_cancellations_ahead_of_a_sendable_message_do_not_stop_the_dispatcher(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database)
    await seed_due_sends(database, [tenant.id], 260, due=NOW)
    async with (
        database.session() as session
    ):  # all but the last lead opted out after the messages were planned
        await session.execute(
            text("UPDATE leads SET opted_out = true WHERE id < (SELECT max(id) FROM leads)")
        )
    async with job_context_on(database, settings, api, FrozenClock(NOW)) as ctx:
        report = await dispatch_due(ctx, concurrency=1)
    assert (report.cancelled, report.sent) == (259, 1) and len(api.sent()) == 1


async def test_the_whatsapp_adapter_maps_cloud_api_answers_to_delivery_outcomes() -> None:
    import httpx

    from agent.adapters.channels import (
        DeliveryFailed,
        DeliveryUnknown,
        Outbound,
        RetryLater,
        WhatsAppTransport,
    )

    answers = iter(
        [
            httpx.Response(200, json={"messaging_product": "whatsapp", "messages": [{"id": "wamid.ABC"}]}),
            httpx.Response(429, headers={"Retry-After": "7"}, json={"error": {"code": 130429}}),
            httpx.Response(400, json={"error": {"code": 131047, "message": "Re-engagement message"}}),
            httpx.Response(503),
        ]
    )
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return next(answers)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        whatsapp = WhatsAppTransport("secret", "12345", base_url="https://graph.test/v21.0", client=client)
        message = Outbound(channel="whatsapp", text="Hi Anna", phone="+14155550100")
        assert await whatsapp.send(message) == "wamid.ABC"
        with pytest.raises(RetryLater) as later:
            await whatsapp.send(message)
        assert later.value.seconds == 7
        with pytest.raises(DeliveryFailed):
            await whatsapp.send(message)
        with pytest.raises(DeliveryUnknown):
            await whatsapp.send(message)
    first = seen[0]
    assert str(first.url) == "https://graph.test/v21.0/12345/messages"
    assert first.headers["Authorization"] == "Bearer secret"
    assert b'"to":"14155550100"' in first.content.replace(b" ", b"")


async def test_email_goes_out_over_smtp_with_its_message_id() -> None:
    """A loopback SMTP server speaking the real protocol; smtplib runs in a thread against it."""
    from email import message_from_bytes
    from email.header import decode_header, make_header

    from agent.adapters.channels import Outbound, SmtpConfig, SmtpTransport

    received: list[bytes] = []

    async def session(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"220 loopback ESMTP\r\n")
        while line := await reader.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                writer.write(b"250-loopback\r\n250 SIZE 1000000\r\n")
            elif verb == b"DATA":
                writer.write(b"354 go on\r\n")
                body = b""
                while (chunk := await reader.readline()) != b".\r\n":
                    body += chunk
                received.append(body)
                writer.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                writer.write(b"221 bye\r\n")
                await writer.drain()
                break
            else:
                writer.write(b"250 ok\r\n")
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(session, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        smtp = SmtpTransport(SmtpConfig(host="127.0.0.1", port=port, sender="sales@acme.test", timeout=5))
        message_id = await smtp.send(
            Outbound(channel="email", text="Здравствуйте, Мария!", email="m@example.com", subject="Ваш поиск")
        )
    [raw] = received
    mail = message_from_bytes(raw)
    assert mail["Message-ID"] == message_id and mail["To"] == "m@example.com"
    assert str(make_header(decode_header(mail["Subject"]))) == "Ваш поиск"
    assert "Мария" in mail.get_payload(decode=True).decode()


async def test_a_run_for_one_tenant_reconciles_and_expires_only_that_tenants_sends(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    from agent.services.jobs.run import run_due
    from storage.models import FollowUpSend
    from storage.repositories.followups import FollowUpRepository, PlannedSend
    from tests.jobs_support import make_lead

    mine, theirs = (
        await make_tenant(database, slug="mine"),
        await make_tenant(database, slug="theirs", token="333333:their-lead-bot"),
    )
    long_ago = NOW - timedelta(days=3)
    for tenant in (mine, theirs):
        lead = await make_lead(database, tenant, last_inbound_at=long_ago - timedelta(days=1))
        async with database.session() as session:
            await FollowUpRepository(session).plan(
                [
                    PlannedSend(tenant.id, "test:in-flight", "telegram", long_ago, "Hi", lead.id),
                    PlannedSend(
                        tenant.id, "test:draft", "telegram", long_ago, "Hi", lead.id, awaiting_approval=True
                    ),
                ],
                long_ago,
            )
            await session.execute(
                text(
                    "UPDATE followup_sends SET status = 'claimed', claimed_by = 'dead', claimed_at = :at "
                    "WHERE lead_id = :lead AND step_key = 'test:in-flight'"
                ),
                {"at": long_ago, "lead": lead.id},
            )

    async with job_context_on(database, settings, api, FrozenClock(NOW)) as ctx:
        report = await run_due(ctx, tenant_id=mine.id, outreach=False)

    rows: list[FollowUpSend] = await sends_of(database)
    status = {(row.tenant_id, row.step_key): row.status for row in rows if row.step_key.startswith("test:")}
    assert status == {
        (mine.id, "test:in-flight"): "unknown",
        (mine.id, "test:draft"): "cancelled",
        (theirs.id, "test:in-flight"): "claimed",
        (theirs.id, "test:draft"): "held",
    }
    assert len(report.reconciled_unknown) == 1
