"""The Telegram path: actors' steps become real update JSON for the case's lead bot and team bot.

Each case gets its own lead bot Application (its tenant's token) and team bot Application (the case's
settings: its admins, its corporate domain), both pointed at the loopback Bot API stand-in, plus an alert
dispatcher that delivers the case's hot-lead alerts through the team bot right after each step, as the
running system does within a second. What the bots send is read back from the stand-in's call log.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from evals.actors import ActorIdentity, Choice, World, find_choice, load_fake_telegram
from evals.suite import Step

IDLE_TIMEOUT_S = 120.0
UPDATE_BLOCK = 1_000_000
_update_blocks = itertools.count(time.time_ns() // 1000 * 1000, UPDATE_BLOCK)
"""A block of update ids per case, never seen before by any bot of this database (the team bot's dedupe
key is the same for every tenant, and processed update ids outlive the run)."""


def telegram_available() -> bool:
    """Whether `bot/` provides the Applications this path drives."""
    try:
        from bot.alerts import AlertDispatcher  # noqa: F401
        from bot.lead import build_lead_application  # noqa: F401
        from bot.team import build_team_application  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass
class _CaseBots:
    """One case's Applications, each built on first use (a lead-only case never builds the team bot)."""

    world: World
    updates: Any
    first_update_id: int
    _lead: Any = None
    _team: Any = None
    _team_bot: Any = None
    _dispatcher: Any = None

    async def lead(self) -> Any:
        if self._lead is None:
            from bot.lead import build_lead_application
            from storage.models import Tenant

            async with self.world.services.database.session() as session:
                tenant = await session.get(Tenant, self.world.tenant_id)
                assert tenant is not None
            self._lead = await _started(
                build_lead_application(self.world.services, tenant, burst_seconds=0.0)
            )
        return self._lead

    async def team(self) -> Any:
        if self._team is None:
            from bot.team import TeamBot, build_team_application

            self._team_bot = TeamBot.create(self.world.services)
            application = build_team_application(
                self.world.services, self.world.team_bot_token, self._team_bot
            )
            self._team = await _started(application)
        return self._team

    async def dispatcher(self) -> Any:
        if self._dispatcher is None:
            from bot.alerts import AlertDispatcher

            team = await self.team()
            self._dispatcher = AlertDispatcher(
                self.world.services.database,
                self._team_bot.sender(team.bot),
                self._team_bot.team,
                self.world.clock,
            )
        return self._dispatcher

    async def close(self) -> None:
        for application in (self._lead, self._team):
            if application is not None:
                with contextlib.suppress(Exception):
                    await application.stop()
                    await application.shutdown()


async def _forget_updates(world: World, first_update_id: int) -> None:
    """Drop the processed-update marks the case's bots left (the tenant's rows go with the tenant)."""
    from sqlalchemy import and_, delete, or_

    from agent.adapters.telegram.outbound import TEAM_BOT_KEY, lead_bot_key
    from storage.models import ProcessedUpdate

    block = ProcessedUpdate.update_id.between(first_update_id, first_update_id + UPDATE_BLOCK - 1)
    async with world.services.database.session() as session:
        await session.execute(
            delete(ProcessedUpdate).where(
                or_(
                    ProcessedUpdate.bot_key == lead_bot_key(world.tenant_slug),
                    and_(ProcessedUpdate.bot_key == TEAM_BOT_KEY, block),
                )
            )
        )


async def _started(application: Any) -> Any:
    await application.initialize()
    await application.start()  # no updater: updates come from process_update
    return application


@dataclass
class TelegramRoute:
    """Drives the lead bot and the team bot Applications of each case."""

    name: str = "telegram"
    _bots: dict[int, _CaseBots] = field(default_factory=dict)

    def _bots_of(self, world: World) -> _CaseBots:
        bots = self._bots.get(id(world))
        if bots is None:
            first = next(_update_blocks)
            bots = self._bots[id(world)] = _CaseBots(world, load_fake_telegram().Updates(start=first), first)
        return bots

    async def act(self, world: World, actor: ActorIdentity, step: Step) -> None:
        from telegram import Update

        bots = self._bots_of(world)
        application = await (bots.lead() if actor.role == "lead" else bots.team())
        update = self._update(world, bots, actor, step, application.bot.token)
        await application.process_update(Update.de_json(update, application.bot))
        if actor.role == "lead":
            await _lead_idle(application)
        await self.deliver_alerts(world)

    async def after_jobs(self, world: World) -> None:
        await self.deliver_alerts(world)

    async def deliver_alerts(self, world: World) -> None:
        """Deliver this case's undelivered hot-lead alerts (other cases' alerts are theirs to deliver)."""
        from sqlalchemy import select

        from storage.models import LeadAlert

        query = (
            select(LeadAlert)
            .where(LeadAlert.tenant_id == world.tenant_id, LeadAlert.delivered_at.is_(None))
            .order_by(LeadAlert.created_at, LeadAlert.id)
        )
        async with world.services.database.session() as session:
            if (await session.execute(query.limit(1))).first() is None:
                return
        dispatcher = await self._bots_of(world).dispatcher()
        await dispatcher.deliver_due(tenant_id=world.tenant_id)

    def _update(
        self, world: World, bots: _CaseBots, actor: ActorIdentity, step: Step, token: str
    ) -> dict[str, Any]:
        spec = actor.spec
        who = {"language_code": spec.language_code, "first_name": spec.first_name}
        updates = bots.updates
        if step.action == "start":
            return updates.text(actor.user_id, f"/start {step.code}" if step.code else "/start", **who)
        if step.action == "contact":
            return updates.contact(actor.user_id, step.phone or "", **who)
        if step.action == "voice":
            return updates.voice(actor.user_id, duration=step.seconds or 3, language_code=spec.language_code)
        if step.action == "press":
            call, choice = _button(world, actor, token, step.label or "")
            message = updates.sent_message(call)
            return updates.callback(
                actor.user_id, str(choice.payload), message=message, language_code=spec.language_code
            )
        if step.action == "reply":
            call = _last_sent(world, actor, token)
            return updates.text(actor.user_id, step.message, reply_to=updates.sent_message(call), **who)
        return updates.text(actor.user_id, step.message, **who)

    async def finish(self, world: World) -> None:
        bots = self._bots.pop(id(world), None)
        if bots is None:
            return
        await bots.close()
        await _forget_updates(world, bots.first_update_id)

    async def close(self) -> None:
        return None


def _sent_to(world: World, actor: ActorIdentity, token: str) -> list[Any]:
    return [
        call
        for call in world.api.calls
        if call.token == token
        and call.chat_id == actor.user_id
        and call.method.lower() in ("sendmessage", "editmessagetext", "editmessagereplymarkup")
    ]


def _last_sent(world: World, actor: ActorIdentity, token: str) -> Any:
    sent = [call for call in _sent_to(world, actor, token) if call.method.lower() == "sendmessage"]
    if not sent:
        raise LookupError(f"the bot has sent {actor.name} nothing to reply to")
    return sent[-1]


def _button(world: World, actor: ActorIdentity, token: str, label: str) -> tuple[Any, Choice]:
    """The newest message to the actor that still has buttons, and the button meant by `label`."""
    for call in reversed(_sent_to(world, actor, token)):
        if call.method.lower() == "editmessagereplymarkup":
            continue  # a keyboard removed (or changed) after a press
        buttons = [b for b in call.buttons() if "callback_data" in b]
        if buttons:
            choices = [Choice(str(b.get("text", "")), b["callback_data"]) for b in buttons]
            return call, find_choice(choices, label)
    raise LookupError(f"no button {label!r}: the bot offered {actor.name} no buttons")


async def _lead_idle(application: Any) -> None:
    """Wait until the lead bot has answered: no burst waiting, no turn running."""
    from bot.lead import lead_bot_idle

    await lead_bot_idle(application, IDLE_TIMEOUT_S)
