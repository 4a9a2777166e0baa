"""Hot-lead alerts: LeadAlert rows delivered through the team bot, within a second of the lead's message.

The agent records an alert and NOTIFYs `lead_alerts` in the same transaction. The dispatcher LISTENs
(and polls every second in case a notification is missed), takes undelivered rows with
`FOR UPDATE SKIP LOCKED` so two processes never take the same alert, sends it to every admin of the
tenant, the tenant's alert chat and the assigned rep, each in their language with the score and the top
factors, and sets `delivered_at` in the same transaction. A process that dies mid-send rolls back and
the alert goes out again from another process: an alert may be repeated after a crash, never lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram.error import BadRequest, Forbidden, TelegramError

from agent.adapters.telegram.sender import BotSender
from agent.core.clock import Clock
from agent.core.policies.alerts import ALERT_CHANNEL, recorded_factors
from agent.core.scoring import TEMPERATURE_BADGES, Temperature
from agent.services.conversion.display import alert_lines
from agent.services.insights import next_line_for
from agent.services.takeover import take_over_button
from agent.services.team import Recipient, TeamService, team_language
from agent.services.team.cards import OPTED_OUT_BADGE
from prompts.catalogue import language_code, named, templates
from prompts.scoring import reason
from prompts.vocabulary import budget_phrase, describe_goal
from storage.db import Database
from storage.models import Lead, LeadAlert, SalesRepresentative, Tenant
from storage.repositories.telegram import TelegramRepository

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
BATCH = 20


def _decimal(value: object) -> Decimal | None:
    return Decimal(str(value)) if isinstance(value, int | float | str) and str(value) else None


def top_reasons(payload: dict[str, Any], language: str) -> list[str]:
    """The factors the alert was raised with, worded in `language` (an older alert: its recorded reasons)."""
    factors = recorded_factors(payload)
    if factors is not None:
        return [reason(factor, language) for factor in factors]
    recorded = payload.get("top_factors")
    return [str(line) for line in recorded] if isinstance(recorded, list) else []


def render_alert(
    alert: LeadAlert, lead: Lead, language: str, rep_name: str | None = None, next_line: str | None = None
) -> str:
    """The alert as one message in the recipient's language (en, ru, fa or ar).

    A lead who opted out since (or in the same message) is said to be so at the top, badged 🔕: the alert
    still tells the team what happened, never that this is someone to call now.
    """
    lang = language_code(language)
    payload: dict[str, Any] = dict(alert.payload or {})
    labels = templates(lang, "cards")
    title = named(lang, "cards", "title", alert.kind) or labels["title.other"]
    if lead.opted_out:
        title = f"{labels['opted_out_title']}\n{labels['opted_out_note']}"
    name = (
        payload.get("name") or lead.name or (f"@{lead.telegram_username}" if lead.telegram_username else None)
    )
    lines = [title, "", f"👤 {name or labels['no_name']}"]
    phone = payload.get("phone") or lead.phone
    if phone:
        lines.append(f"📞 {phone}")
    if lead.telegram_username:
        lines.append(f"💬 @{lead.telegram_username}")
    goal = describe_goal(
        payload.get("transaction") or lead.transaction,
        payload.get("property_type") or lead.property_type,
        payload.get("location") or lead.location,
        lang,
    )
    if goal:
        lines.append(f"🎯 {labels['wants']}: {goal}")
    budget = budget_phrase(
        _decimal(payload.get("budget_min")) if "budget_min" in payload else lead.budget_min,
        _decimal(payload.get("budget_max")) if "budget_max" in payload else lead.budget_max,
        payload.get("currency") or lead.budget_currency,
        lang,
    )
    if budget:
        lines.append(f"💰 {labels['budget']}: {budget}")
    lead_language = str(payload.get("language") or lead.language)
    lines.append(
        f"🌐 {labels['lead_language']}: {named(lang, 'cards', 'language', lead_language) or lead_language}"
    )
    score = int(payload.get("score", lead.lead_score))
    temperature = str(payload.get("temperature") or lead.temperature)
    try:
        badge = OPTED_OUT_BADGE if lead.opted_out else TEMPERATURE_BADGES[Temperature(temperature)]
    except ValueError:
        badge = ""
    lines.append(f"📊 {labels['score']}: {score}/100 {badge}".rstrip())
    reasons = top_reasons(payload, lang)
    if reasons:
        lines.append(f"{labels['why']}:")
        lines.extend(f"• {reason}" for reason in reasons)
    if next_line:  # the insight's next best action (agent.services.insights), already in this language
        lines.append(f"👉 {next_line}")
    detail = payload.get("detail")
    if detail:
        lines.extend(["", str(detail)[:500]])
    lines.extend(alert_lines(payload.get("conversion"), score, badge, lang))
    lines.append(f"👔 {labels['assigned']}: {rep_name or labels['unassigned']}")
    return "\n".join(lines)


@dataclass(frozen=True)
class AlertRecipient:
    chat_id: int
    language: str
    is_assigned_rep: bool = False


async def alert_recipients(
    session: AsyncSession, team: TeamService, tenant: Tenant, lead: Lead, now: datetime
) -> tuple[list[AlertRecipient], SalesRepresentative | None]:
    """Admins, the alert chat and the assigned rep, each chat once, each with a language."""
    recipients: dict[int, AlertRecipient] = {}
    rep = await session.get(SalesRepresentative, lead.assigned_rep_id) if lead.assigned_rep_id else None
    if rep is not None and rep.status == "active":
        chat = rep.telegram_chat_id or rep.telegram_id
        recipients[chat] = AlertRecipient(chat, rep.language, is_assigned_rep=True)
    admins: Sequence[Recipient] = await team.admin_recipients_in(session, tenant.id)
    for admin in admins:
        recipients.setdefault(admin.chat_id, AlertRecipient(admin.chat_id, admin.language))
    if tenant.alert_chat_id is not None and tenant.alert_chat_id not in recipients:
        remembered = await TelegramRepository(session).languages([tenant.alert_chat_id], now)
        language = remembered.get(tenant.alert_chat_id) or team_language(tenant.default_language)
        recipients[tenant.alert_chat_id] = AlertRecipient(tenant.alert_chat_id, language)
    return list(recipients.values()), rep


@dataclass
class AlertDispatcher:
    """Delivers undelivered alerts through the team bot; run one per process, any number of processes."""

    database: Database
    sender: BotSender
    team: TeamService
    clock: Clock
    poll_seconds: float = POLL_SECONDS
    delivered: int = 0
    _wake: asyncio.Event = field(default_factory=asyncio.Event, repr=False)
    """Set by NOTIFY lead_alerts: deliver now rather than at the next poll."""

    async def deliver_due(self, tenant_id: int | None = None) -> int:
        """Deliver every undelivered alert now (of one tenant when given); how many were taken."""
        total = 0
        while True:
            count = await self._deliver_batch(tenant_id)
            total += count
            if count < BATCH:
                return total

    async def _deliver_batch(self, tenant_id: int | None) -> int:
        async with self.database.session() as session:
            query = (
                select(LeadAlert)
                .where(LeadAlert.delivered_at.is_(None))
                .order_by(LeadAlert.created_at, LeadAlert.id)
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            )
            if tenant_id is not None:
                query = query.where(LeadAlert.tenant_id == tenant_id)
            alerts = list((await session.execute(query)).scalars())
            for alert in alerts:
                if await self._deliver(session, alert):
                    alert.delivered_at = self.clock.now()
                    self.delivered += 1
            return len(alerts)

    async def _deliver(self, session: AsyncSession, alert: LeadAlert) -> bool:
        """Send one alert to everyone; False leaves it for the next round (every send failed for a transient reason)."""
        lead = await session.get(Lead, alert.lead_id)
        tenant = await session.get(Tenant, alert.tenant_id)
        if lead is None or tenant is None:
            return True
        recipients, rep = await alert_recipients(session, self.team, tenant, lead, self.clock.now())
        if not recipients:
            log.warning(
                "alert %s of lead %s: nobody to tell (set ADMIN_TELEGRAM_IDS or /set_admin)",
                alert.id,
                lead.id,
            )
            return True
        transient = 0
        for recipient in recipients:
            language = language_code(recipient.language)
            next_line = None if lead.opted_out else await next_line_for(session, lead, language)
            text = render_alert(alert, lead, recipient.language, rep.name if rep else None, next_line)
            buttons: list[list[dict[str, Any]]] = []
            if recipient.is_assigned_rep:
                label = templates(language, "cards")["client_card"]
                card = {"label": label, "action": {"do": "client", "kind": "lead", "id": str(lead.id)}}
                buttons = [[card, take_over_button(recipient.language, lead.id)]]
            try:
                await self.sender.send(recipient.chat_id, text, buttons)
            except (Forbidden, BadRequest) as exc:
                log.warning("alert %s: chat %s cannot be written to: %s", alert.id, recipient.chat_id, exc)
            except TelegramError as exc:
                transient += 1
                log.warning("alert %s: sending to chat %s failed: %s", alert.id, recipient.chat_id, exc)
        if transient == len(recipients):
            return False
        log.info(
            "alert %s (%s) of lead %s delivered to %d chats", alert.id, alert.kind, lead.id, len(recipients)
        )
        return True

    async def run(self, stopping: asyncio.Event) -> None:
        """LISTEN for new alerts and poll every `poll_seconds`, until `stopping` is set."""
        async with contextlib.AsyncExitStack() as stack:
            await self._listen(stack)
            while not stopping.is_set():
                self._wake.clear()
                try:
                    await self.deliver_due()
                except Exception:  # a database hiccup must not end alerting: try again next round
                    log.exception("delivering alerts failed; retrying in %.0f s", self.poll_seconds)
                waiter = asyncio.ensure_future(self._wake.wait())
                stopper = asyncio.ensure_future(stopping.wait())
                _, pending = await asyncio.wait(
                    {waiter, stopper}, timeout=self.poll_seconds, return_when=asyncio.FIRST_COMPLETED
                )
                for task in pending:
                    task.cancel()

    async def _listen(self, stack: contextlib.AsyncExitStack) -> None:
        """Wake on NOTIFY lead_alerts; without it (a pooler that drops LISTEN) the poll still delivers."""
        try:
            connection = await stack.enter_async_context(self.database.engine.connect())
            raw = await connection.get_raw_connection()
            driver = raw.driver_connection
            if driver is None:
                return

            def on_notify(*_: object) -> None:
                self._wake.set()

            await driver.add_listener(ALERT_CHANNEL, on_notify)
            stack.push_async_callback(driver.remove_listener, ALERT_CHANNEL, on_notify)
        except Exception:
            log.warning(
                "LISTEN %s unavailable; alerts are polled every %.0f s", ALERT_CHANNEL, self.poll_seconds
            )
