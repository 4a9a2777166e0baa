"""The team bot: one for every agency. A thin adapter over the onboarding graph.

Private messages and button presses become one turn of the team conversation (thread `team:<user id>`,
one turn at a time per user in any process); the graph's replies go back to the chat and its outbox to
admins and reps. A reply to an application card carries that application to the graph; a reply to a lead's
question (in a private chat or the alert chat), or a rep's plain message while exactly one question waits
for them, is the answer the lead bot relays (agent.services.questions). While a person talks to a lead in place of the AI
(bot.takeover), a reply to a forwarded message, or a plain message while they talk to exactly one lead, goes to
that lead; commands ("my clients") still reach the conversation. `/set_admin`
in a group makes it the agency's alert chat. Later features plug button actions in with
`TeamBot.on_action(do, handler)`; held follow-up drafts are approved that way (bot.approvals).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, Chat, Update, User
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from agent.adapters.checkpointer import conversation_store
from agent.adapters.telegram.limits import MAX_INPUT_CHARS, CallbackTampered, RateLimiter, cap_input
from agent.adapters.telegram.outbound import TEAM_BOT_KEY
from agent.adapters.telegram.sender import BotSender
from agent.services.calendars.conversation import Answer, CalendarDesk
from agent.services.calendars.notify import VIEWING_ACTION
from agent.services.provider import Services
from agent.services.questions import QUESTION_KEY, Answerer, QuestionDesk, Said
from agent.services.team import (
    Actor,
    AmbiguousTenant,
    NotAuthorized,
    RegistrationClosed,
    TeamService,
    team_language,
)
from bot.approvals import ApprovalCards
from bot.buttons import ActionHandler, ButtonPress
from bot.dashboard import DashboardDesk
from bot.dedupe import Dedupe
from bot.errors import on_error
from bot.outcomes import OUTCOME_ACTION, OutcomeDesk
from bot.privacy import ErasureCards
from bot.takeover import TakeoverDesk
from graphs.onboarding.intents import Intent, first_of, looks_like_authorization
from graphs.onboarding.replies import text_for
from graphs.onboarding.state import Outbound, Reply, TeamContext, TeamInbound, button_inbound, text_inbound

log = logging.getLogger(__name__)

GRAPH_NAME = "onboarding"
ONE_SHOT_ACTIONS = frozenset({"say", "decide", "rep_change", "set_status", "followup_at"})
"""Buttons whose keyboard is removed once pressed (a choice made); list and card buttons stay usable."""


def thread_id(telegram_id: int) -> str:
    return f"team:{telegram_id}"


TEAM_COMMANDS = (
    Intent.MY_CLIENTS,
    Intent.CONNECT_CALENDAR,
    Intent.UPDATE_EMAIL,
    Intent.UNREGISTER,
    Intent.REGISTER,
    Intent.LIST_PENDING,
    Intent.LIST_ACTIVE,
)
COMMAND_WORDS = 3


def is_team_command(text: str) -> bool:
    """A short request to the bot itself ("my clients", "/start", "connect calendar"), never a lead's answer."""
    if text.startswith("/") or looks_like_authorization(text):
        return True
    return len(text.split()) <= COMMAND_WORDS and first_of(text, *TEAM_COMMANDS) is not None


def actor_of(user: User, chat: Chat | None) -> Actor:
    return Actor(
        telegram_id=user.id,
        chat_id=chat.id if chat is not None and chat.type == Chat.PRIVATE else user.id,
        username=user.username,
        first_name=user.first_name,
        language=team_language(user.language_code),
    )


@dataclass
class TeamBot:
    services: Services
    team: TeamService
    flood: RateLimiter = field(default_factory=lambda: RateLimiter(limit=30, window=60.0))
    _flood_notices: RateLimiter = field(default_factory=lambda: RateLimiter(limit=1, window=60.0))
    _actions: dict[str, ActionHandler] = field(default_factory=dict)
    _sender: BotSender | None = None
    _calendar: CalendarDesk | None = None
    _questions: QuestionDesk | None = None
    _dashboard: DashboardDesk | None = None
    _outcomes: OutcomeDesk | None = None
    takeover: TakeoverDesk | None = None
    """A person talking to a lead instead of the AI (bot.takeover); set by build_team_application."""

    @property
    def calendar(self) -> CalendarDesk:
        """Reps' answers to "how did the viewing go?" (agent.services.calendars.conversation)."""
        if self._calendar is None:
            self._calendar = CalendarDesk(self.services)
        return self._calendar

    @property
    def questions(self) -> QuestionDesk:
        """Reps' answers to the questions leads asked them (agent.services.questions)."""
        if self._questions is None:
            self._questions = QuestionDesk(self.services, self.team)
        return self._questions

    @property
    def dashboard(self) -> DashboardDesk:
        """Sign-in links to the dashboard, the Mini App button and admins' API tokens (bot.dashboard)."""
        if self._dashboard is None:
            self._dashboard = DashboardDesk(self.services, self.team)
        return self._dashboard

    @property
    def outcomes(self) -> OutcomeDesk:
        """Won/lost from the client card's buttons and from words such as "Tom signed" (bot.outcomes)."""
        if self._outcomes is None:
            self._outcomes = OutcomeDesk(self.services)
        return self._outcomes

    @classmethod
    def create(cls, services: Services) -> TeamBot:
        return cls(services, TeamService(services.database, services.settings, services.clock))

    def on_action(self, do: str, handler: ActionHandler) -> None:
        """Serve buttons whose action has `"do": do` with `handler` instead of the conversation graph."""
        self._actions[do] = handler

    def sender(self, bot: Bot) -> BotSender:
        if self._sender is None or self._sender.bot is not bot:
            self._sender = BotSender.for_bot(bot, TEAM_BOT_KEY, self.services.database, self.services.clock)
        return self._sender

    # -- callbacks ---------------------------------------------------------------------------------

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A private text message: one turn of the team conversation."""
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None or message.text is None:
            return
        actor = actor_of(user, update.effective_chat)
        if not await self._allowed(context.bot, actor):
            return
        text = cap_input(message.text, MAX_INPUT_CHARS)
        if text.startswith("/start"):
            text = text.removeprefix("/start").strip()
        card_rep_id = None
        viewing_id = replied_to = None
        replied = message.reply_to_message
        if replied is None and await self.dashboard.on_text(context.bot, actor, text):
            return
        if replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id:
            replied_to = replied.message_id
            card = await self.sender(context.bot).card_of(message.chat_id, replied.message_id)
            value = card.get("card_rep_id") if card else None
            card_rep_id = str(value) if value else None
            viewing = card.get("viewing_id") if card else None
            viewing_id = viewing if isinstance(viewing, int) else None
            question = card.get(QUESTION_KEY) if card else None
            if isinstance(question, int) and await self.answer_question(context.bot, actor, question, text):
                return
            if self.takeover and await self.takeover.on_reply(context.bot, actor, replied.message_id, text):
                return
        command = is_team_command(message.text)
        # Before the outcome and calendar parsers: while the person talks to a lead, their words are for the lead.
        if (
            replied is None
            and self.takeover
            and await self.takeover.on_text(context.bot, actor, text, command=command)
        ):
            return
        if replied is None and await self.outcomes.on_text(self.sender(context.bot), actor, text):
            return
        answer = None
        if card_rep_id is None:
            answer = await self.calendar.on_viewing_request(
                actor.telegram_id, text, viewing_id, replied_to=replied_to
            )
        if answer is None and card_rep_id is None:
            answer = await self.calendar.on_outcome_answer(actor.telegram_id, text)
        if answer is not None:
            await self.send_answer(context.bot, answer)
            return
        if replied is None and not command:
            only = await self.questions.only_open_question(actor.telegram_id)
            if only is not None and await self.answer_question(context.bot, actor, only, text):
                return
        await self.run_turn(context.bot, actor, text_inbound(text, card_rep_id))

    async def answer_question(
        self, bot: Bot, actor: Actor, question_id: int, text: str, *, chat_id: int | None = None
    ) -> bool:
        """The text answers a lead's question: relayed (or refused), and the one who wrote is told."""
        answerer = Answerer(actor.telegram_id, actor.language, chat_id or actor.chat_id or actor.telegram_id)
        said: Said | None = await self.questions.answer(answerer, question_id, text)
        if said is None:
            return False
        await self.sender(bot).send(said.chat_id, said.text)
        return True

    async def on_group_reply(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A reply, in the alert chat, to a question's card: the answer (bots see replies to their messages)."""
        message = update.effective_message
        user = update.effective_user
        replied = message.reply_to_message if message is not None else None
        if message is None or user is None or message.text is None or replied is None:
            return
        if replied.from_user is None or replied.from_user.id != context.bot.id:
            return
        card = await self.sender(context.bot).card_of(message.chat_id, replied.message_id)
        question = card.get(QUESTION_KEY) if card else None
        if not isinstance(question, int):
            return
        actor = actor_of(user, update.effective_chat)
        if await self._allowed(context.bot, actor):
            text = cap_input(message.text, MAX_INPUT_CHARS)
            await self.answer_question(context.bot, actor, question, text, chat_id=message.chat_id)

    async def on_viewing_button(self, press: ButtonPress) -> None:
        """A viewing notice's "Reschedule"/"Cancel", a picked viewing or an offered time (CalendarDesk)."""
        answer = await self.calendar.on_viewing_button(press.actor.telegram_id, press.action)
        if answer is not None:
            await self.send_answer(press.bot, answer)

    async def send_answer(self, bot: Bot, answer: Answer) -> None:
        sent = []
        for index, reply_text in enumerate(answer.texts):
            last = index == len(answer.texts) - 1
            sent = await self.sender(bot).send(answer.chat_id, reply_text, answer.buttons if last else ())
        if answer.about_viewing is not None and sent:
            await self.sender(bot).remember_card(
                answer.chat_id, sent[-1].message_id, {"viewing_id": answer.about_viewing}
            )

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button press: verify its signature, load its action from the server, act on it."""
        query = update.callback_query
        user = update.effective_user
        if query is None or user is None:
            return
        actor = actor_of(user, update.effective_chat)
        sender = self.sender(context.bot)
        try:
            action = await sender.action_of(query.data)
        except CallbackTampered:
            log.warning("tampered callback data from user %s: %r", user.id, (query.data or "")[:64])
            await self.team.record_refusal(
                actor, "callback.tampered", detail=(query.data or "")[:64], reason="tampered_button"
            )
            await query.answer(text_for(actor.language, "button_expired"))
            return
        if action is None:
            await query.answer(text_for(actor.language, "button_expired"))
            return
        await query.answer()
        if action.get("do") in ONE_SHOT_ACTIONS and query.message is not None:
            try:
                await query.edit_message_reply_markup(None)
            except BadRequest:
                pass  # already edited, or too old to edit
        if not await self._allowed(context.bot, actor):
            return
        handler = self._actions.get(str(action.get("do")))
        if handler is not None:
            message_id = query.message.message_id if query.message is not None else None
            await handler(
                ButtonPress(
                    context.bot, sender, actor, actor.chat_id or actor.telegram_id, message_id, action
                )
            )
            return
        await self.run_turn(context.bot, actor, button_inbound(action))

    async def on_set_admin(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/set_admin in a group: this group becomes the agency's alert chat (admins only)."""
        chat = update.effective_chat
        user = update.effective_user
        if chat is None or user is None:
            return
        actor = actor_of(user, chat)
        language = actor.language
        if chat.type == Chat.PRIVATE:
            await context.bot.send_message(chat.id, text_for(language, "set_admin_private"))
            return
        slug = context.args[0] if context.args else None
        try:
            tenant = await self.team.set_alert_chat(actor, chat.id, slug)
        except NotAuthorized:
            text = text_for(language, "set_admin_refused")
        except AmbiguousTenant as ambiguous:
            text = text_for(language, "set_admin_which", slugs=", ".join(ambiguous.slugs))
        except RegistrationClosed:
            text = text_for(language, "closed")
        else:
            text = text_for(language, "set_admin_ok", tenant=tenant.name)
        await context.bot.send_message(chat.id, text)

    async def on_unsupported(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Voice, photos, stickers in a private chat: ask for words."""
        chat = update.effective_chat
        user = update.effective_user
        if chat is not None and user is not None:
            await context.bot.send_message(
                chat.id, text_for(team_language(user.language_code), "unsupported")
            )

    # -- turns -------------------------------------------------------------------------------------

    async def _allowed(self, bot: Bot, actor: Actor) -> bool:
        if self.flood.allow(actor.telegram_id):
            return True
        if self._flood_notices.allow(actor.telegram_id):
            await bot.send_message(
                actor.chat_id or actor.telegram_id, text_for(actor.language, "rate_limited")
            )
        return False

    async def run_turn(self, bot: Bot, actor: Actor, inbound: TeamInbound) -> None:
        """Run the graph for this user (one turn at a time), then deliver its replies and outbox."""
        store = await conversation_store(self.services)
        graph = store.graphs.get(GRAPH_NAME)
        if graph is None:
            from graphs.onboarding.graph import builder

            graph = store.graphs.setdefault(
                GRAPH_NAME, builder.compile(checkpointer=store.saver, name=GRAPH_NAME)
            )
        thread = thread_id(actor.telegram_id)
        async with store.turn_lock(thread):
            result = await graph.ainvoke(
                {"inbound": inbound, "replies": [], "outbox": []},
                {"configurable": {"thread_id": thread}},
                context=TeamContext(team=self.team, actor=actor),
            )
        await self.deliver(
            bot, actor.chat_id or actor.telegram_id, result.get("replies", []), result.get("outbox", [])
        )

    async def deliver(
        self, bot: Bot, chat_id: int, replies: Sequence[Reply], outbox: Sequence[Outbound]
    ) -> None:
        sender = self.sender(bot)
        for item in replies:
            await sender.send(chat_id, item["text"], item["buttons"])
        for message in outbox:
            try:
                sent = await sender.send(message["chat_id"], message["text"], message["buttons"])
            except (Forbidden, BadRequest) as exc:
                # An admin who never started the bot, or a chat that is gone: the others still hear.
                log.warning("could not write to chat %s: %s", message["chat_id"], exc)
                continue
            except TelegramError:
                log.exception("sending to chat %s failed", message["chat_id"])
                continue
            if message["card_rep_id"] and sent:
                await sender.remember_card(
                    message["chat_id"], sent[-1].message_id, {"card_rep_id": message["card_rep_id"]}
                )


def build_team_application(
    services: Services, token: str, team_bot: TeamBot | None = None
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The team bot's Application: dedupe first, then /set_admin, buttons, private text; one error handler."""
    settings = services.settings
    team_bot = team_bot or TeamBot.create(services)
    dedupe = Dedupe(services.database, TEAM_BOT_KEY, services.clock)
    application = (
        Application.builder()
        .token(token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_file_base_url)
        .rate_limiter(services.telegram.for_application(token))
        .concurrent_updates(True)
        .update_queue(dedupe.queue())
        .build()
    )
    dedupe.install(application)  # claims in the first handler group, marks handled in the last
    application.add_handler(CommandHandler("set_admin", team_bot.on_set_admin))
    application.add_handler(CallbackQueryHandler(team_bot.on_button))
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE  # an edited message is not a new turn
    application.add_handler(MessageHandler(private & filters.TEXT, team_bot.on_message))
    group_replies = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE & filters.REPLY & filters.TEXT
    application.add_handler(MessageHandler(group_replies & ~filters.COMMAND, team_bot.on_group_reply))
    application.add_handler(
        MessageHandler(private & ~filters.TEXT & ~filters.StatusUpdate.ALL, team_bot.on_unsupported)
    )
    application.add_error_handler(on_error)
    team_bot.on_action(VIEWING_ACTION, team_bot.on_viewing_button)
    team_bot.on_action(OUTCOME_ACTION, team_bot.outcomes.on_press)
    approvals = ApprovalCards(services.database, team_bot.sender(application.bot), services.clock)
    approvals.plug_into(team_bot)
    application.bot_data["team_bot"] = team_bot
    application.bot_data["approvals"] = approvals
    erasures = ErasureCards(services, team_bot.team, team_bot.sender(application.bot))
    erasures.plug_into(team_bot)
    application.bot_data["erasures"] = erasures
    team_bot.takeover = TakeoverDesk(services, team_bot.team, team_bot.sender(application.bot))
    team_bot.takeover.plug_into(team_bot)
    return application
