"""The calendar desk of the team bot: Google's callback, reps' answers about how a viewing went, and reps
moving or cancelling their viewings.

Links and pasted codes are part of the onboarding conversation (graphs/onboarding/calendar.py over
`connection`). Three things arrive outside it: Google's redirect to the callback endpoint (when
PUBLIC_BASE_URL is set); a rep's reply to "how did the viewing go?", which the team bot offers here
before the onboarding graph, taken only when a finished viewing of that rep waits for an answer; and a
rep's "перенеси просмотр с Анной на пятницу 15:00" / "отмени просмотр в четверг" (or a reply to a viewing
notice, or its buttons), taken only when it is about one of the rep's upcoming viewings.

Which viewing: the one the replied-to notice or pressed button is about, else the one the words narrow
to (the lead's name, the day), else the rep's only upcoming one, else the rep picks. A rep changes only
viewings assigned to them (refusals are audited); the change itself is the lead path's
(`service.reschedule` / `service.cancel`), and the lead is told through the tenant's lead bot.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from agent.adapters.google import (
    AuthorizationCodeRejected,
    AuthorizationDenied,
    AuthorizationProblem,
    GoogleUnavailable,
    MissingPermissions,
    WrongAccountDomain,
)
from agent.core.nlu.intents import Intent, detect_intents
from agent.core.nlu.language import detect_language
from agent.core.nlu.lexicon import key
from agent.core.nlu.when import parse_when_detail
from agent.core.policies.vocabulary import language_of
from agent.services.calendars import connection, reminders, service
from agent.services.calendars.notify import VIEWING_ACTION, Change, announce
from agent.services.calendars.offers import offer_made
from agent.services.calendars.reminders import Outcome, parse_outcome, record_outcome
from agent.services.calendars.service import lead_name
from agent.services.leads import zone_of
from agent.services.provider import Services
from prompts.calendar import format_when, say
from storage.models import Lead, Property, RepStatus, SalesRepresentative, Tenant, Viewing
from storage.repositories.audit import AuditRepository
from storage.repositories.leads import LeadRepository
from storage.repositories.reps import RepRepository
from storage.repositories.viewings import LIVE_STATUSES, ViewingRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    """What the bot says back, to whom."""

    chat_id: int
    texts: list[str] = field(default_factory=list)
    buttons: list[list[dict[str, Any]]] = field(default_factory=list)
    """Under the last text: {"label", "action"} rows, sent through the team bot's signed callbacks."""
    about_viewing: int | None = None
    """Remembered with the last message, so a reply to it ("16:00") is about this viewing."""


class Op(StrEnum):
    """What a rep asks of a viewing; the `op` of a viewing button."""

    MOVE = "move"
    """Move it; with no time yet, free times are offered."""
    MOVE_TO = "move_to"
    """Move it to the button's `at` (an offered free time)."""
    CANCEL = "cancel"
    """From the notice's button: asks to confirm."""
    CANCEL_CONFIRMED = "cancel_confirmed"


@dataclass(frozen=True)
class ViewingRequest:
    """A rep's words about one of their viewings, read without the database."""

    op: Op
    which: str
    """The words that name the viewing ("my viewing tomorrow", "просмотр с Анной")."""
    when: str
    """The words that name the new time ("Friday afternoon", "пятницу 15:00"); empty for a cancel."""
    said_what: bool = True
    """False: a bare reply to a notice ("16:00"), a move only if it names a time."""


_MOVE = re.compile(
    r"\b(?:move|shift|reschedul\w*|postpone|push)\b|перен[её]с\w*|перенос\w*|перенест\w*|сдвин\w*|передвин\w*"
)
_VIEWING = re.compile(r"viewing|showing|visit|appointment|просмотр|показ|встреч|بازدید|معاينة|معاينه")
_TARGET = re.compile(r"\s(?:to|till|until|for|на)\s")
_AUDIT_ACTION = "viewing.change"


def read_viewing_request(text: str, *, about_a_viewing: bool) -> ViewingRequest | None:
    """Move or cancel, and the words naming the viewing and the new time; None when the text is not that.

    Outside a reply to a viewing notice the text must mention a viewing, so "cancel" in the onboarding
    conversation stays the conversation's.
    """
    folded = key(text)
    if not about_a_viewing and not _VIEWING.search(folded):
        return None
    if _MOVE.search(folded) or Intent.RESCHEDULE in detect_intents(text):
        targets = list(_TARGET.finditer(folded))
        if targets:
            return ViewingRequest(Op.MOVE, folded[: targets[-1].start()], folded[targets[-1].end() :])
        return ViewingRequest(Op.MOVE, "", folded)
    if Intent.CANCEL in detect_intents(text):
        return ViewingRequest(Op.CANCEL_CONFIRMED, folded, "")
    if about_a_viewing:
        return ViewingRequest(Op.MOVE, "", folded, said_what=False)
    return None


class CalendarDesk:
    """Calendar conversations with reps outside the onboarding graph."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def on_outcome_answer(self, telegram_id: int, text: str) -> Answer | None:
        """Record "attended / interested / not interested / no-show" for the rep's finished viewing; None: not that."""
        outcome = parse_outcome(text)
        if outcome is None:
            return None
        async with self.services.database.session() as session:
            rep = await RepRepository(session).current_across_tenants(telegram_id)
            if rep is None or rep.status != RepStatus.ACTIVE:
                return None
            recorded = await record_outcome(session, rep, outcome, self.services.clock.now())
            if recorded is None:
                return None  # no viewing waits for an answer: the words were meant for the conversation
            text = say(
                "outcome_recorded",
                rep.language,
                lead=lead_name(recorded.lead),
                outcome=say(f"outcome_{outcome.value}", rep.language),
            )
            chat_id = rep.telegram_chat_id or rep.telegram_id
            if outcome is Outcome.MADE_OFFER:  # one tap from here to the deal won (bot.outcomes)
                tenant = await session.get(Tenant, recorded.lead.tenant_id)
                offer = offer_made(rep.language, recorded.lead, tenant)
                return Answer(chat_id, [text, offer.text], offer.buttons)
            return Answer(chat_id, [text])

    async def on_viewing_request(
        self, telegram_id: int, text: str, viewing_id: int | None = None, *, replied_to: int | None = None
    ) -> Answer | None:
        """A rep moves or cancels a viewing in words; None: not that.

        `viewing_id`: the notice the rep replied to; `replied_to`: the id of the bot's message they replied
        to, which names the viewing when it was one of its reminders.
        """
        if viewing_id is None and replied_to is not None:
            viewing_id = await self._reminded(telegram_id, replied_to)
        request = read_viewing_request(text, about_a_viewing=viewing_id is not None)
        if request is None:
            return None
        now = self.services.clock.now()
        async with self.services.database.session() as session:
            rep = await RepRepository(session).current_across_tenants(telegram_id)
            if rep is None or rep.status != RepStatus.ACTIVE:
                return None
            language = detect_language(text, previous=_lang(rep.language))
            chat_id = rep.telegram_chat_id or rep.telegram_id
            if viewing_id is None:
                upcoming = await ViewingRepository(session).upcoming_for_rep(rep.tenant_id, rep.id, now)
                if not upcoming:
                    return Answer(chat_id, [say("rep_viewing_none", rep.language)])
                chosen = await _narrow(session, upcoming, request.which, rep, language, now)
                if len(chosen) != 1:
                    return await self._which(session, rep, chosen or upcoming, request)
                viewing_id = chosen[0].id
        if not request.said_what and not _names_a_time(request.when, language, now):
            return None  # a reply to a notice that neither moves, cancels nor names a time
        return await self.change(telegram_id, viewing_id, request.op, when=request.when, language=language)

    async def on_viewing_button(self, telegram_id: int, action: Mapping[str, Any]) -> Answer | None:
        """A viewing button: the notice's "Reschedule"/"Cancel", a picked viewing, an offered time."""
        try:
            op = Op(str(action.get("op")))
            viewing_id = int(action["viewing_id"])
        except (KeyError, TypeError, ValueError):
            log.warning("unreadable viewing button from %s: %r", telegram_id, dict(action))
            return None
        at = action.get("at")
        return await self.change(
            telegram_id,
            viewing_id,
            op,
            when=str(action.get("when") or ""),
            at=datetime.fromisoformat(at) if isinstance(at, str) else None,
        )

    async def change(
        self,
        telegram_id: int,
        viewing_id: int,
        op: Op,
        *,
        when: str = "",
        at: datetime | None = None,
        language: str | None = None,
    ) -> Answer | None:
        """Move or cancel one viewing for the rep it is assigned to; anyone else is refused and audited."""
        now = self.services.clock.now()
        announced: Change | None = None
        async with self.services.database.session() as session:
            rep = await RepRepository(session).current_across_tenants(telegram_id)
            viewing = await session.get(Viewing, viewing_id, with_for_update=True)
            if rep is None or rep.status != RepStatus.ACTIVE:
                await _refuse(session, telegram_id, viewing, viewing_id, now, "not an active rep")
                return None
            chat_id = rep.telegram_chat_id or rep.telegram_id
            if viewing is None or viewing.rep_id != rep.id or viewing.tenant_id != rep.tenant_id:
                await _refuse(session, telegram_id, viewing, viewing_id, now, f"not assigned to rep {rep.id}")
                return Answer(chat_id, [say("rep_viewing_refused", rep.language)])
            lead = await session.get(Lead, viewing.lead_id, with_for_update=True)
            tenant = await session.get(Tenant, viewing.tenant_id)
            if (
                viewing.status not in LIVE_STATUSES
                or viewing.ends_at <= now
                or lead is None
                or tenant is None
            ):
                return Answer(chat_id, [say("rep_viewing_gone", rep.language)])
            listing = await session.get(Property, viewing.property_id) if viewing.property_id else None
            rep_zone = zone_of(rep.time_zone or tenant.time_zone)
            if op is Op.CANCEL:
                text = say(
                    "rep_viewing_cancel_confirm",
                    rep.language,
                    title=service.title_of(listing, rep.language),
                    lead=lead_name(lead),
                    when=format_when(viewing.starts_at, rep_zone, rep.language),
                )
                confirm = {"do": VIEWING_ACTION, "op": Op.CANCEL_CONFIRMED.value, "viewing_id": viewing.id}
                return Answer(
                    chat_id,
                    [text],
                    [[{"label": say("button_cancel_confirm", rep.language), "action": confirm}]],
                    about_viewing=viewing.id,
                )
            calendar = service.calendar_for_tenant(self.services, tenant)
            interactions = LeadRepository(session)
            if op is Op.CANCEL_CONFIRMED:
                await service.cancel(
                    session, lead=lead, tenant=tenant, now=now, calendar=calendar, viewing_id=viewing.id
                )
                await reminders.withdraw(session, viewing, "viewing cancelled by the rep")
                await interactions.add_interaction(
                    lead,
                    type="viewing_cancelled",
                    direction="outbound",
                    channel="team",
                    now=now,
                    meta={"viewing_id": viewing.id, "rep_id": str(rep.id)},
                )
                announced = Change.CANCELLED
            else:
                wanted, near = (
                    (at, at)
                    if op is Op.MOVE_TO
                    else _wanted(when, language or rep.language, rep_zone, viewing, now)
                )
                outcome = await service.reschedule(
                    session,
                    lead=lead,
                    tenant=tenant,
                    wanted=wanted,
                    near=near,
                    now=now,
                    calendar=calendar,
                    viewing_id=viewing.id,
                )
                if isinstance(outcome, service.NothingToChange):
                    return Answer(chat_id, [say("rep_viewing_gone", rep.language)])
                if isinstance(outcome, service.MoveOptions):
                    return _options(chat_id, rep, lead, viewing, outcome.options, rep_zone, asked=wanted)
                await reminders.schedule(session, viewing, lead=lead, rep=rep, listing=listing, now=now)
                await interactions.add_interaction(
                    lead,
                    type="viewing_moved",
                    direction="outbound",
                    channel="team",
                    now=now,
                    meta={
                        "viewing_id": viewing.id,
                        "from": outcome.previous_start.isoformat(),
                        "to": viewing.starts_at.isoformat(),
                        "rep_id": str(rep.id),
                    },
                )
                announced = Change.MOVED
            await AuditRepository(session).record(
                action=_AUDIT_ACTION,
                now=now,
                actor_telegram_id=telegram_id,
                tenant_id=viewing.tenant_id,
                target=f"viewing:{viewing.id}",
                detail=announced.value,
            )
        # Committed: the rep's notice (with the .ics on the internal calendar) is their confirmation.
        await announce(self.services, viewing_id, announced, tell_lead=True)
        return Answer(chat_id)

    async def _reminded(self, telegram_id: int, message_id: int) -> int | None:
        async with self.services.database.session() as session:
            rep = await RepRepository(session).current_across_tenants(telegram_id)
            if rep is None:
                return None
            chat_id = rep.telegram_chat_id or rep.telegram_id
            return await reminders.viewing_reminded_in(session, rep.id, f"{chat_id}:{message_id}")

    async def _which(
        self,
        session: AsyncSession,
        rep: SalesRepresentative,
        viewings: Sequence[Viewing],
        request: ViewingRequest,
    ) -> Answer:
        """Ask the rep to pick one of their upcoming viewings; the button carries what they asked."""
        tenant = await session.get(Tenant, rep.tenant_id)
        zone = zone_of(rep.time_zone or (tenant.time_zone if tenant else None))
        op = Op.CANCEL if request.op is Op.CANCEL_CONFIRMED else request.op
        rows = []
        for viewing in viewings[:_PICK_LIMIT]:
            lead = await session.get(Lead, viewing.lead_id)
            label = say(
                "rep_viewing_choice",
                rep.language,
                when=format_when(viewing.starts_at, zone, rep.language),
                lead=lead_name(lead) if lead else "—",
            )
            action = {"do": VIEWING_ACTION, "op": op.value, "viewing_id": viewing.id, "when": request.when}
            rows.append([{"label": label, "action": action}])
        return Answer(rep.telegram_chat_id or rep.telegram_id, [say("rep_viewing_which", rep.language)], rows)

    async def on_callback(
        self, state: str, code: str | None, error: str | None
    ) -> tuple[Answer | None, bool]:
        """Google's redirect reached the callback endpoint: (what to tell the rep in Telegram, connected?)."""
        async with self.services.database.session() as session:
            rep = await connection.rep_for_state(session, state)
            if rep is None:
                return None, False
            language, chat_id = rep.language, rep.telegram_chat_id or rep.telegram_id
            try:
                _, check = await connection.finish_callback(
                    session,
                    state=state,
                    code=code,
                    error=error,
                    settings=self.services.settings,
                    transport=self.services.calendars.google,
                    now=self.services.clock.now(),
                )
            except (AuthorizationProblem, GoogleUnavailable, connection.GoogleNotConfigured) as exc:
                log.info("rep %s: calendar callback refused: %s", rep.id, exc)
                return Answer(chat_id, [problem_text(exc, language)]), False
        if check.connected:
            return Answer(chat_id, [say("connected", language, account=check.account or rep.email)]), True
        if check.unavailable:
            return Answer(chat_id, [say("google_unavailable", language)]), False
        return Answer(chat_id, [say("reconnect_needed", language)]), False


def problem_text(error: Exception, language: str) -> str:
    """What a rep is told when a connection attempt fails."""
    if isinstance(error, connection.GoogleNotConfigured):
        return say("google_not_configured", language)
    if isinstance(error, GoogleUnavailable):
        return say("google_unavailable", language)
    if isinstance(error, WrongAccountDomain):
        return say("wrong_domain", language, email=error.email, domain=error.domain)
    if isinstance(error, MissingPermissions):
        return say("missing_permissions", language)
    if isinstance(error, AuthorizationDenied):
        return say("denied", language)
    if isinstance(error, AuthorizationCodeRejected):  # expired, spent or unknown: only a new link helps
        return say("no_pending_link", language)
    return say("not_a_code", language)


# --- Reading a rep's request ----------------------------------------------------------------------------

_PICK_LIMIT = 8


def _lang(language: str | None) -> Any:
    return language_of(language)


def _names_a_time(words: str, language: str, now: datetime) -> bool:
    return parse_when_detail(words, _lang(language), "UTC", now) is not None


def _wanted(
    words: str, language: str, zone: ZoneInfo, viewing: Viewing, now: datetime
) -> tuple[datetime | None, datetime | None]:
    """(exact start, time to offer options around) from the rep's words, on the rep's clock.

    A time without a day is on the viewing's own day ("move to 16:00"); a day without a time is a wish,
    answered with free times around it.
    """
    found = parse_when_detail(words, _lang(language), zone.key, now) if words.strip() else None
    if found is None:
        return None, None
    moment = found.at if found.at.tzinfo else found.at.replace(tzinfo=zone)
    if found.has_time and not found.has_date:
        day = viewing.starts_at.astimezone(zone).date()
        moment = datetime.combine(day, moment.timetz())
    moment = moment.astimezone(UTC)
    return (moment, moment) if found.has_time else (None, moment)


async def _narrow(
    session: AsyncSession,
    viewings: Sequence[Viewing],
    words: str,
    rep: SalesRepresentative,
    language: str,
    now: datetime,
) -> list[Viewing]:
    """The viewings the words point at: the lead's name ("с Анной"), the day ("tomorrow", "в четверг")."""
    tenant = await session.get(Tenant, rep.tenant_id)
    zone = zone_of(rep.time_zone or (tenant.time_zone if tenant else None))
    chosen = list(viewings)
    named = [v for v in chosen if _names_lead(words, await session.get(Lead, v.lead_id))]
    if named:
        chosen = named
    elif _WITH_SOMEONE.search(words):
        return []  # a lead was named, but none of these: the rep picks
    day = parse_when_detail(words, _lang(language), zone.key, now) if words.strip() else None
    if day is not None and day.has_date:
        on_day = [v for v in chosen if v.starts_at.astimezone(zone).date() == day.at.date()]
        if not on_day:
            return []
        chosen = on_day
    return chosen


def _names_lead(words: str, lead: Lead | None) -> bool:
    """Whether the words name the lead, declined or not ("Анной" names Анна): a stem of a name word."""
    if lead is None or not lead.name:
        return False
    folded = _WORD.findall(words)
    for part in _WORD.findall(key(lead.name)):
        if len(part) < 3:
            continue
        stem = part[: max(3, len(part) - 1)]
        if any(word.startswith(stem) for word in folded):
            return True
    return False


_WORD = re.compile(r"\w+")
_WITH_SOMEONE = re.compile(r"(?:^|\s)(?:с|со|with)\s+(?!(?:утра|вечера|обеда)\b)\w{3,}")


def _options(
    chat_id: int,
    rep: SalesRepresentative,
    lead: Lead,
    viewing: Viewing,
    options: Sequence[datetime],
    zone: ZoneInfo,
    *,
    asked: datetime | None,
) -> Answer:
    """The rep's free times for this viewing as buttons; the asked time was taken, or none was named."""
    if not options:
        return Answer(chat_id, [say("rep_viewing_no_free_time", rep.language)])
    text = say(
        "rep_viewing_options" if asked else "rep_viewing_pick_time", rep.language, lead=lead_name(lead)
    )
    rows = [
        [
            {
                "label": format_when(option, zone, rep.language),
                "action": {
                    "do": VIEWING_ACTION,
                    "op": Op.MOVE_TO.value,
                    "viewing_id": viewing.id,
                    "at": option.astimezone(UTC).isoformat(),
                },
            }
        ]
        for option in options
    ]
    return Answer(chat_id, [text], rows, about_viewing=viewing.id)


async def _refuse(
    session: AsyncSession,
    telegram_id: int,
    viewing: Viewing | None,
    viewing_id: int,
    now: datetime,
    reason: str,
) -> None:
    log.warning("user %s may not change viewing %s: %s", telegram_id, viewing_id, reason)
    await AuditRepository(session).record(
        action=_AUDIT_ACTION,
        now=now,
        actor_telegram_id=telegram_id,
        tenant_id=viewing.tenant_id if viewing is not None else None,
        target=f"viewing:{viewing_id}",
        allowed=False,
        detail=reason,
    )
