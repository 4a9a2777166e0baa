"""A tenant's lead bot: a thin adapter from Telegram updates to the turn API (`graphs.sales.conversation`).

Text, voice, shared contacts, button presses and `/start <code>` become `Inbound`s; the `TurnResult`
comes back as a reply in the lead's language with its choices as inline buttons. A burst of texts
from one chat within BURST_SECONDS becomes one turn; a phone number, a contact, a button or /start
ends the burst at once (the hot-lead alert must not wait). Turns of one chat run in order; across
processes `run_lead_turn` serialises per lead with an advisory lock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram import Bot, Chat, InputMediaPhoto, Update, User
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from agent.adapters.crypto import LeadBotTokens
from agent.adapters.telegram.limits import (
    CAPTION_LIMIT,
    MAX_INPUT_CHARS,
    CallbackTampered,
    RateLimiter,
    cap_input,
)
from agent.adapters.telegram.outbound import lead_bot_key
from agent.adapters.telegram.sender import BotSender, ButtonSpec
from agent.core.nlu.contact import phone_in
from agent.services.leads import get_or_create_telegram_lead, telegram_name
from agent.services.provider import Services
from bot.dedupe import Dedupe
from bot.errors import language_from_code, on_error
from graphs.sales.conversation import Inbound, TurnResult, run_lead_turn
from prompts import reply
from prompts.calendar import say
from storage.models import Tenant
from storage.repositories.leads import LeadNotFound

log = logging.getLogger(__name__)

BURST_SECONDS = 1.2
"""Quiet time after a lead's last text before the burst is answered as one turn."""
BURST_MAX_SECONDS = 4.0
"""A burst that keeps growing is answered this long after its first message anyway."""
VOICE_MAX_SECONDS = 300
LEAD_ID_CACHE = 100_000
OFFLINE_CONCURRENT_TURNS = 4
"""Turns one lead bot runs at once on the offline model: its turns are CPU on one event loop, so more at
once adds latency to each, not throughput. With a real model (seconds of waiting per turn) up to
DB_POOL_SIZE run at once. A phone number's turn always goes past the queue."""
TRANSCRIPTION_MODEL = "whisper-1"
MAX_ALBUM = 10
"""Photos in one Telegram media group."""

Transcriber = Callable[[bytes, str], Awaitable[str | None]]
"""(audio bytes, file name) -> transcript, or None when it could not be transcribed."""


def openai_transcriber(services: Services) -> Transcriber | None:
    """Transcription through the OpenAI-compatible audio endpoint; None without a key (voice is then counted only)."""
    settings = services.settings
    if not settings.has_model_key:
        return None

    async def transcribe(audio: bytes, filename: str) -> str | None:
        from openai import AsyncOpenAI, OpenAIError

        assert settings.openai_api_key is not None
        client = AsyncOpenAI(
            api_key=settings.openai_api_key.get_secret_value(),
            base_url=settings.openai_base_url,
            timeout=settings.model_timeout_seconds,
            max_retries=settings.model_max_retries,
        )
        try:
            result = await client.audio.transcriptions.create(
                model=TRANSCRIPTION_MODEL, file=(filename, audio)
            )
        except OpenAIError as exc:
            log.warning("voice transcription failed: %s", exc)
            return None
        finally:
            await client.close()
        return result.text.strip() or None

    return transcribe


@dataclass
class _Burst:
    texts: list[str] = field(default_factory=list)
    started: float = 0.0
    timer: asyncio.TimerHandle | None = None


@dataclass
class _ChatTurns:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


@dataclass
class LeadBot:
    """One tenant's lead bot."""

    services: Services
    tenant_id: int
    slug: str
    transcriber: Transcriber | None = None
    region: str | None = None
    """The agency's country (ISO 3166 alpha-2): a phone number written without a country code is read there."""
    burst_seconds: float = BURST_SECONDS
    burst_max_seconds: float = BURST_MAX_SECONDS
    max_turns: int | None = None
    """Turns at once; None: OFFLINE_CONCURRENT_TURNS on the offline model, DB_POOL_SIZE with a real one."""
    flood: RateLimiter = field(default_factory=lambda: RateLimiter(limit=30, window=60.0))
    _flood_notices: RateLimiter = field(default_factory=lambda: RateLimiter(limit=1, window=60.0))
    _bursts: dict[int, _Burst] = field(default_factory=dict)
    _chats: dict[int, _ChatTurns] = field(default_factory=dict)
    _lead_ids: dict[int, int] = field(default_factory=dict)
    _running: asyncio.Semaphore | None = None
    _sender: BotSender | None = None

    @property
    def bot_key(self) -> str:
        return lead_bot_key(self.slug)

    @property
    def busy(self) -> bool:
        """A burst is waiting for the lead to pause, or a turn is running or queued."""
        return bool(self._bursts or self._chats)

    def sender(self, bot: Bot) -> BotSender:
        if self._sender is None or self._sender.bot is not bot:
            self._sender = BotSender.for_bot(bot, self.bot_key, self.services.database, self.services.clock)
        return self._sender

    # -- callbacks ---------------------------------------------------------------------------------

    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start, maybe with a deep-link code: record where the lead came from and greet them."""
        code = context.args[0][:64] if context.args else None
        await self._submit(update, context, Inbound(kind="start", payload=code))

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A text: joins the chat's burst, answered once the lead pauses (at once if it has a phone number)."""
        message = update.effective_message
        chat = update.effective_chat
        if (
            message is None
            or chat is None
            or message.text is None
            or not await self._allowed(update, context.bot)
        ):
            return
        text = cap_input(message.text, MAX_INPUT_CHARS)
        burst = self._bursts.setdefault(chat.id, _Burst(started=asyncio.get_running_loop().time()))
        burst.texts.append(text)
        if burst.timer is not None:
            burst.timer.cancel()
        loop = asyncio.get_running_loop()
        waited = loop.time() - burst.started
        total = sum(len(t) for t in burst.texts)
        if phone_in(text, self.region) or waited >= self.burst_max_seconds or total >= MAX_INPUT_CHARS:
            await self._submit(update, context, self._take_burst(chat.id) or Inbound(kind="text", text=text))
            return
        burst.timer = loop.call_later(self.burst_seconds, self._flush, update, context)

    async def on_contact(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A shared contact: the phone number goes to the agent at once."""
        message = update.effective_message
        if message is None or message.contact is None:
            return
        contact = message.contact
        await self._submit(update, context, Inbound(kind="contact", phone=contact.phone_number))

    async def on_voice(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A voice message: transcribed when a model endpoint is configured, otherwise acknowledged and counted."""
        message = update.effective_message
        if message is None or not await self._allowed(update, context.bot):
            return
        voice = message.voice or message.audio
        transcript = ""
        duration = voice.duration if voice is not None else 0
        seconds = duration.total_seconds() if isinstance(duration, timedelta) else float(duration or 0)
        if voice is not None and self.transcriber is not None and seconds <= VOICE_MAX_SECONDS:
            try:
                audio = bytes(await (await context.bot.get_file(voice.file_id)).download_as_bytearray())
                transcript = cap_input(await self.transcriber(audio, "voice.ogg"), MAX_INPUT_CHARS)
            except TelegramError as exc:
                log.warning("could not download a voice message: %s", exc)
        await self._submit(update, context, Inbound(kind="voice", text=transcript))

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A choice the agent offered: its value goes to the agent as a button press."""
        query = update.callback_query
        user = update.effective_user
        if query is None or user is None:
            return
        language = language_from_code(user.language_code)
        try:
            action = await self.sender(context.bot).action_of(query.data)
        except CallbackTampered:
            log.warning("lead bot %s: tampered callback data from user %s", self.slug, user.id)
            action = None
        if action is None or action.get("do") != "choice":
            await query.answer(reply(language, "button_expired"))
            return
        await query.answer()
        try:
            await query.edit_message_reply_markup(None)
        except BadRequest:
            pass
        await self._submit(update, context, Inbound(kind="button", payload=str(action.get("value", ""))[:64]))

    # -- turns -------------------------------------------------------------------------------------

    async def _allowed(self, update: Update, bot: Bot) -> bool:
        user = update.effective_user
        chat = update.effective_chat
        if user is None or chat is None:
            return False
        if self.flood.allow(user.id):
            return True
        if self._flood_notices.allow(user.id):
            await bot.send_message(chat.id, reply(language_from_code(user.language_code), "rate_limited"))
        return False

    def _take_burst(self, chat_id: int) -> Inbound | None:
        burst = self._bursts.pop(chat_id, None)
        if burst is None or not burst.texts:
            return None
        if burst.timer is not None:
            burst.timer.cancel()
        return Inbound(kind="text", text="\n".join(burst.texts))

    def _flush(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer the chat's burst as one turn, in the background (in order with the chat's other turns)."""
        chat = update.effective_chat
        inbound = self._take_burst(chat.id) if chat is not None else None
        if inbound is not None:
            context.application.create_task(self._turn(update, context.bot, inbound), update=update)

    async def _submit(self, update: Update, context: ContextTypes.DEFAULT_TYPE, inbound: Inbound) -> None:
        """Run a turn for this update now; texts still waiting in the chat's burst are answered first."""
        chat = update.effective_chat
        pending = self._take_burst(chat.id) if chat is not None else None
        if pending is not None:
            await self._turn(update, context.bot, pending)
        await self._turn(update, context.bot, inbound)

    @asynccontextmanager
    async def _capacity(self, inbound: Inbound) -> AsyncIterator[None]:
        """At most `max_turns` turns at once: the rest wait here, not for a pool connection that times out.

        A phone number skips the queue: it is the hot-lead moment, and its alert must not wait behind a crowd.
        """
        if inbound.kind == "contact" or (inbound.kind == "text" and phone_in(inbound.text, self.region)):
            yield
            return
        if self._running is None:
            settings = self.services.settings
            wanted = self.max_turns or (
                settings.db_pool_size if settings.has_model_key else OFFLINE_CONCURRENT_TURNS
            )
            self._running = asyncio.Semaphore(max(1, min(wanted, settings.db_pool_size)))
        async with self._running:
            yield

    @asynccontextmanager
    async def _chat_turn(self, chat_id: int) -> AsyncIterator[None]:
        """One turn at a time per chat in this process, in arrival order."""
        turns = self._chats.get(chat_id)
        if turns is None:
            turns = self._chats[chat_id] = _ChatTurns()
        turns.users += 1
        try:
            async with turns.lock:
                yield
        finally:
            turns.users -= 1
            if turns.users == 0:
                self._chats.pop(chat_id, None)

    async def _turn(self, update: Update, bot: Bot, inbound: Inbound) -> None:
        chat = update.effective_chat
        user = update.effective_user
        if chat is None or user is None:
            return
        message = update.effective_message
        contact = message.contact if message is not None else None
        contact_name = telegram_name(contact.first_name, contact.last_name) if contact is not None else None
        async with self._chat_turn(chat.id), self._capacity(inbound):
            lead_id = await self._lead_id(user, chat, contact_name=contact_name)
            if self.services.settings.has_model_key:  # a real model takes seconds: show that we are typing
                try:
                    await bot.send_chat_action(chat.id, "typing")
                except TelegramError:
                    pass  # cosmetic
            try:
                result = await run_lead_turn(
                    self.services, tenant_id=self.tenant_id, lead_id=lead_id, inbound=inbound
                )
            except LeadNotFound:  # deleted since we remembered it: start afresh
                self._lead_ids.pop(user.id, None)
                lead_id = await self._lead_id(user, chat, contact_name=contact_name)
                result = await run_lead_turn(
                    self.services, tenant_id=self.tenant_id, lead_id=lead_id, inbound=inbound
                )
            await self.reply(bot, chat.id, result)

    async def _lead_id(self, user: User, chat: Chat, *, contact_name: str | None = None) -> int:
        """The lead of this Telegram user (created on first contact; remembered, it never changes).

        A lead without a name takes their Telegram name, else a shared contact's; a name they gave is kept.
        """
        known = self._lead_ids.get(user.id)
        if known is not None and contact_name is None:
            return known
        async with self.services.database.session() as session:
            tenant = await session.get(Tenant, self.tenant_id)
            if tenant is None:
                raise LookupError(f"tenant {self.tenant_id} is gone")
            lead = await get_or_create_telegram_lead(
                session,
                tenant,
                user.id,
                chat_id=chat.id,
                username=user.username,
                name=telegram_name(user.first_name, user.last_name) or contact_name,
                language=language_from_code(user.language_code, default=tenant.default_language),
            )
            lead_id = lead.id
        if len(self._lead_ids) >= LEAD_ID_CACHE:
            self._lead_ids.clear()
        self._lead_ids[user.id] = lead_id
        return lead_id

    async def reply(self, bot: Bot, chat_id: int, result: TurnResult) -> None:
        """The agent's reply, with its choices as buttons (two short ones per row); a booking's .ics goes with
        it as one message, the reply its caption (a reply too long for a caption comes first, then the file)."""
        rows: list[list[ButtonSpec]] = []
        for choice in result.choices:
            spec = {"label": choice.label, "action": {"do": "choice", "value": choice.value}}
            if (
                rows
                and len(rows[-1]) == 1
                and len(choice.label) <= 18
                and len(str(rows[-1][0]["label"])) <= 18
            ):
                rows[-1].append(spec)
            else:
                rows.append([spec])
        text = result.reply
        if result.media and not await self.send_photos(bot, chat_id, result.media):
            text = "\n\n".join(
                part for part in (text, reply(result.language, "photos_failed")) if part.strip()
            )
        sender = self.sender(bot)
        attachment = result.attachment
        if attachment is not None and len(text) <= CAPTION_LIMIT:
            await sender.send_document(chat_id, attachment.filename, attachment.data, text, rows)
            return
        if text.strip():
            await sender.send(chat_id, text, rows)
        if attachment is not None:
            caption = say("invitation_caption", result.language)
            await sender.send_document(chat_id, attachment.filename, attachment.data, caption)

    async def send_photos(self, bot: Bot, chat_id: int, media: Sequence[Mapping[str, str]]) -> bool:
        """The turn's photos as one album (a single photo on its own); False when Telegram refused them
        (a URL it cannot fetch): the reply still goes, with a short note."""
        items = [m for m in media if m.get("url")][:MAX_ALBUM]
        try:
            if len(items) == 1:
                await bot.send_photo(
                    chat_id, items[0]["url"], caption=items[0].get("caption", "")[:CAPTION_LIMIT]
                )
            elif items:
                album = [
                    InputMediaPhoto(item["url"], caption=item.get("caption", "")[:CAPTION_LIMIT] or None)
                    for item in items
                ]
                await bot.send_media_group(chat_id, album)
        except TelegramError as exc:
            log.warning("lead bot %s: photos refused for chat %s: %s", self.slug, chat_id, exc)
            return False
        return True


def build_lead_application(
    services: Services,
    tenant: Tenant,
    *,
    token: str | None = None,
    transcriber: Transcriber | None = None,
    burst_seconds: float = BURST_SECONDS,
    telegram_rate_limit: bool = True,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """One tenant's lead bot: dedupe first, then /start, contacts, voice, text and buttons; one error handler."""
    token = token or LeadBotTokens(services.settings).read(tenant)
    if not token:
        raise ValueError(
            f"tenant {tenant.slug} has no lead bot token: `realty bot set-token {tenant.slug} TOKEN`"
        )
    settings = services.settings
    lead_bot = LeadBot(
        services,
        tenant.id,
        tenant.slug,
        transcriber=transcriber if transcriber is not None else openai_transcriber(services),
        region=tenant.country_code,
        burst_seconds=burst_seconds,
    )
    builder: Any = (
        Application.builder()
        .token(token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_file_base_url)
        .concurrent_updates(True)
    )
    dedupe = Dedupe(services.database, lead_bot.bot_key, services.clock)
    builder = builder.update_queue(dedupe.queue())
    if (
        telegram_rate_limit
    ):  # the token's one limiter (30 msg/s, 20/min per group), shared; off only in benches
        builder = builder.rate_limiter(services.telegram.for_application(token))
    application: Application[Any, Any, Any, Any, Any, Any] = builder.build()
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE  # an edited message is not a new turn
    dedupe.install(application)  # claims in the first handler group, marks handled in the last
    application.add_handler(CommandHandler("start", lead_bot.on_start, filters=private))
    application.add_handler(MessageHandler(private & filters.CONTACT, lead_bot.on_contact))
    application.add_handler(MessageHandler(private & (filters.VOICE | filters.AUDIO), lead_bot.on_voice))
    application.add_handler(MessageHandler(private & filters.TEXT, lead_bot.on_text))
    application.add_handler(CallbackQueryHandler(lead_bot.on_button))
    application.add_error_handler(on_error)
    application.bot_data["lead_bot"] = lead_bot
    return application


async def lead_bot_idle(
    application: Application[Any, Any, Any, Any, Any, Any], seconds: float = 120.0
) -> None:
    """Wait until this lead bot Application has answered everything it was given: no burst waiting, no
    turn running. TimeoutError after `seconds` (for tests and evals that feed it updates)."""
    lead_bot: LeadBot = application.bot_data["lead_bot"]
    quiet = 0
    try:
        async with asyncio.timeout(seconds):
            while quiet < 3:  # a flushed burst becomes a task that registers its chat within a loop turn
                await asyncio.sleep(0 if quiet else 0.005)
                quiet = 0 if lead_bot.busy else quiet + 1
    except TimeoutError:
        raise TimeoutError(f"the lead bot did not answer within {seconds:g} s") from None
