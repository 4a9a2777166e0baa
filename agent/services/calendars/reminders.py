"""Messages around a viewing, through the follow-up ledger: reminders 24 h and 1 h before, to the lead and to
the rep, each in their own language and on their own clock; after it, the rep is asked how it went, and the
answer feeds the lead's status and score.

Step keys are `reminder:<viewing>.<revision>:<what>`. A reschedule bumps the viewing's revision, cancels
the open rows of the old one and plans new ones; the dispatcher drops any row whose revision is no longer
the viewing's, so a stale reminder can never go out.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.adapters.channels import Channels, Outbound
from agent.core.nlu.lexicon import flat_key
from agent.services.calendars.service import lead_name, revision_of, title_of
from agent.services.integrations import events as integration_events
from agent.services.leads import qualification_status, rescore, zone_of
from prompts.calendar import format_when, say
from storage.models import (
    FollowUpSend,
    Lead,
    LeadStatus,
    Property,
    RepStatus,
    SalesRepresentative,
    Tenant,
    Viewing,
    ViewingStatus,
)
from storage.repositories.followups import VIEWING_KEY_PREFIX, FollowUpRepository, PlannedSend
from storage.repositories.leads import LeadRepository
from storage.repositories.viewings import LIVE_STATUSES, ViewingRepository

KEY_PREFIX = VIEWING_KEY_PREFIX
BEFORE: tuple[tuple[str, timedelta], ...] = (("24h", timedelta(hours=24)), ("1h", timedelta(hours=1)))
OUTCOME_AFTER = timedelta(minutes=30)
"""How long after a viewing ends the rep is asked how it went."""
OFFER_URGENCY = 2
"""An offer weighs as two urgency signals in the score (interest as one)."""
REP_SUFFIX = ":rep"
OUTCOME = "outcome"

_KEY = re.compile(r"^reminder:(?P<viewing>\d+)\.(?P<revision>\d+):(?P<what>[a-z0-9:]+)$")


class Outcome(StrEnum):
    ATTENDED = "attended"
    INTERESTED = "interested"
    MADE_OFFER = "made_offer"
    """Strong interest: handed off as interested, with more urgency; the rep is offered to mark the deal won."""
    NOT_INTERESTED = "not_interested"
    NO_SHOW = "no_show"


def step_key(viewing_id: int, revision: int, what: str) -> str:
    return f"{KEY_PREFIX}{viewing_id}.{revision}:{what}"


def is_viewing_message(key: str) -> bool:
    return key.startswith(KEY_PREFIX)


@dataclass(frozen=True)
class StepKey:
    viewing_id: int
    revision: int
    what: str

    @property
    def to_rep(self) -> bool:
        return self.what == OUTCOME or self.what.endswith(REP_SUFFIX)


def parse_step_key(key: str) -> StepKey | None:
    match = _KEY.match(key)
    if match is None:
        return None
    return StepKey(int(match["viewing"]), int(match["revision"]), match["what"])


# --- Planning ------------------------------------------------------------------------------------------


def plan(
    viewing: Viewing,
    *,
    tenant: Tenant,
    lead: Lead,
    rep: SalesRepresentative,
    listing: Property | None,
    now: datetime,
) -> list[PlannedSend]:
    """The reminders still ahead (none in the past), and the question to the rep after the viewing."""
    revision = revision_of(viewing)
    lead_zone = zone_of(lead.time_zone or tenant.time_zone)
    rep_zone = zone_of(rep.time_zone or tenant.time_zone)
    lead_channel = "telegram" if lead.telegram_chat_id else ("email" if lead.email else None)
    sends: list[PlannedSend] = []
    for what, ahead in BEFORE:
        due = viewing.starts_at - ahead
        if due <= now:
            continue
        if lead_channel is not None:
            sends.append(
                PlannedSend(
                    tenant_id=tenant.id,
                    lead_id=lead.id,
                    step_key=step_key(viewing.id, revision, what),
                    channel=lead_channel,
                    due_at=due,
                    text=_reminder_text(
                        f"reminder_lead_{what}", viewing, lead, rep, listing, lead_zone, lead.language
                    ),
                )
            )
        sends.append(
            PlannedSend(
                tenant_id=tenant.id,
                lead_id=lead.id,
                recipient_rep_id=rep.id,
                step_key=step_key(viewing.id, revision, what + REP_SUFFIX),
                channel="team",
                due_at=due,
                text=_reminder_text(
                    f"reminder_rep_{what}", viewing, lead, rep, listing, rep_zone, rep.language
                ),
            )
        )
    sends.append(
        PlannedSend(
            tenant_id=tenant.id,
            lead_id=lead.id,
            recipient_rep_id=rep.id,
            step_key=step_key(viewing.id, revision, OUTCOME),
            channel="team",
            due_at=max(viewing.ends_at + OUTCOME_AFTER, now),
            text=say(
                "outcome_question",
                rep.language,
                title=title_of(listing, rep.language),
                lead=lead_name(lead),
                when=format_when(viewing.starts_at, rep_zone, rep.language),
            ),
        )
    )
    return sends


async def schedule(
    session: AsyncSession,
    viewing: Viewing,
    *,
    lead: Lead,
    rep: SalesRepresentative,
    listing: Property | None,
    now: datetime,
) -> int:
    """Put the viewing's messages in the ledger, replacing those of an earlier revision; returns how many."""
    tenant = await session.get(Tenant, viewing.tenant_id)
    if tenant is None:
        return 0
    ledger = FollowUpRepository(session)
    await ledger.cancel_open_by_key_prefix(lead.id, f"{KEY_PREFIX}{viewing.id}.", "viewing changed")
    return await ledger.plan(plan(viewing, tenant=tenant, lead=lead, rep=rep, listing=listing, now=now), now)


async def withdraw(session: AsyncSession, viewing: Viewing, reason: str) -> int:
    """Cancel every message still planned for this viewing."""
    return await FollowUpRepository(session).cancel_open_by_key_prefix(
        viewing.lead_id, f"{KEY_PREFIX}{viewing.id}.", reason
    )


def _reminder_text(
    key: str,
    viewing: Viewing,
    lead: Lead,
    rep: SalesRepresentative,
    listing: Property | None,
    zone: ZoneInfo,
    language: str | None,
) -> str:
    address = (listing.address or listing.location) if listing and not viewing.online else None
    return say(
        key,
        language,
        title=title_of(listing, language),
        when=format_when(viewing.starts_at, zone, language or "en"),
        rep=rep.name,
        lead=lead_name(lead),
        phone=lead.phone or "—",
        where=say("where", language, address=address) if address else "",
        link=say("meeting_link", language, url=viewing.meeting_link) if viewing.meeting_link else "",
    )


# --- Delivery (called by the dispatcher) -------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    outbound: Outbound
    zone: ZoneInfo
    """Whose quiet hours apply."""


@dataclass(frozen=True)
class Dropped:
    reason: str
    cancel: bool = True
    """False: recorded as skipped (no way to reach them), True: cancelled (no longer wanted)."""


async def route(
    session: AsyncSession, send: FollowUpSend, tenant: Tenant, channels: Channels, now: datetime
) -> Route | Dropped:
    """Where a viewing message goes now, or why it must not go: the viewing moved, was cancelled, started..."""
    key = parse_step_key(send.step_key)
    if key is None:
        return Dropped(f"unreadable step key {send.step_key}")
    viewing = await session.get(Viewing, key.viewing_id)
    if viewing is None:
        return Dropped("viewing deleted")
    if viewing.status not in LIVE_STATUSES:
        return Dropped(f"viewing {viewing.status}")
    if revision_of(viewing) != key.revision:
        return Dropped("viewing changed since this was planned")
    if key.what == OUTCOME:
        if viewing.outcome:
            return Dropped("outcome already known")
    elif now >= viewing.starts_at:
        return Dropped("the viewing has started")
    if key.to_rep:
        rep = await session.get(SalesRepresentative, send.recipient_rep_id) if send.recipient_rep_id else None
        if rep is None or rep.status != RepStatus.ACTIVE:
            return Dropped("rep no longer active")
        if not channels.team_bot_token:
            return Dropped("team bot not configured (REGISTRY_BOT_TOKEN)", cancel=False)
        outbound = Outbound(
            channel="team",
            text=send.text or "",
            bot_token=channels.team_bot_token,
            chat_id=rep.telegram_chat_id or rep.telegram_id,
        )
        return Route(outbound, zone_of(rep.time_zone or tenant.time_zone))
    lead = await session.get(Lead, send.lead_id) if send.lead_id else None
    if lead is None:
        return Dropped("lead deleted")
    if lead.opted_out:
        return Dropped("opted out")
    zone = zone_of(lead.time_zone or tenant.time_zone)
    if send.channel == "telegram":
        token = channels.lead_bot_token(tenant)
        if not token or lead.telegram_chat_id is None:
            return Dropped("no lead bot or no Telegram chat", cancel=False)
        outbound = Outbound(
            channel="telegram",
            text=send.text or "",
            bot_token=token,
            chat_id=lead.telegram_chat_id,
        )
        return Route(outbound, zone)
    if send.channel == "email" and lead.email and channels.email is not None:
        return Route(
            Outbound(channel="email", text=send.text or "", email=lead.email, subject=tenant.name), zone
        )
    return Dropped(f"no way to reach the lead on {send.channel}", cancel=False)


# --- After the viewing: how did it go? -------------------------------------------------------------------

_OUTCOME_WORDS: tuple[tuple[Outcome, tuple[str, ...]], ...] = (
    # Negations first: "not interested" contains "interested".
    (
        Outcome.NOT_INTERESTED,
        (
            "not interested",
            "no interest",
            "не заинтерес",
            "неинтерес",
            "не понрав",
            "بی علاقه",
            "علاقه نداشت",
            "غير مهتم",
            "ليس مهتم",
        ),
    ),
    (
        Outcome.NO_SHOW,
        (
            "no-show",
            "no show",
            "noshow",
            "didn't come",
            "did not come",
            "didn't show",
            "не приш",
            "не явил",
            "не был",
            "نیامد",
            "نیومد",
            "لم يحضر",
            "لم يأت",
        ),
    ),
    (
        Outcome.MADE_OFFER,
        (
            "made an offer",
            "made offer",
            "offer made",
            "put in an offer",
            "made a bid",
            "сделал предложение",
            "сделала предложение",
            "сделали предложение",
            "предложил цену",
            "предложила цену",
            "оффер",
            "پیشنهاد داد",
            "پیشنهاد قیمت",
            "قدم عرض",
            "قدّم عرض",
            "قدمت عرض",
            "عرض سعر",
        ),
    ),
    (Outcome.INTERESTED, ("interested", "заинтерес", "понравил", "хочет купить", "علاقه", "مهتم")),
    (
        Outcome.ATTENDED,
        (
            "attended",
            "came",
            "went well",
            "был",
            "пришёл",
            "пришел",
            "прошёл",
            "прошел",
            "انجام شد",
            "آمد",
            "حضر",
        ),
    ),
)


def parse_outcome(text: str) -> Outcome | None:
    """The outcome a rep's reply names, in any of the four languages; None when it names none."""
    folded = flat_key(text)
    for outcome, words in _OUTCOME_WORDS:
        if any(flat_key(word) in folded for word in words):
            return outcome
    return None


@dataclass(frozen=True)
class OutcomeRecorded:
    viewing: Viewing
    lead: Lead
    outcome: Outcome


async def record_outcome(
    session: AsyncSession, rep: SalesRepresentative, outcome: Outcome, now: datetime
) -> OutcomeRecorded | None:
    """Store how the rep's latest finished viewing went; the lead's status and score follow. None: nothing to answer."""
    viewing = await ViewingRepository(session).awaiting_outcome(rep, now)
    if viewing is None:
        return None
    lead = await session.get(Lead, viewing.lead_id, with_for_update=True)
    if lead is None:
        return None
    return await settle_outcome(session, viewing, lead, outcome, now, by=str(rep.id), channel="team")


async def settle_outcome(
    session: AsyncSession,
    viewing: Viewing,
    lead: Lead,
    outcome: Outcome,
    now: datetime,
    *,
    by: str | None,
    channel: str,
) -> OutcomeRecorded:
    """Store how this viewing went (locked rows): its status and reminders, the lead's status and score."""
    viewing.outcome = outcome.value
    await ViewingRepository(session).release(
        viewing, ViewingStatus.NO_SHOW.value if outcome is Outcome.NO_SHOW else ViewingStatus.COMPLETED.value
    )
    await withdraw(session, viewing, "outcome recorded")
    previous = lead.status
    apply_outcome(lead, outcome)
    await integration_events.lead_status_changed(session, lead, previous, now, by="rep")
    await LeadRepository(session).add_interaction(
        lead,
        type="viewing_outcome",
        direction="inbound",
        channel=channel,
        now=now,
        meta={"viewing_id": viewing.id, "outcome": outcome.value, "rep_id": by},
    )
    await rescore(session, lead, now)
    return OutcomeRecorded(viewing, lead, outcome)


async def viewing_reminded_in(
    session: AsyncSession, rep_id: uuid.UUID, external_message_id: str
) -> int | None:
    """The viewing a reminder sent to this rep as that Telegram message ("<chat>:<message>") was about."""
    query = (
        select(FollowUpSend.step_key)
        .where(
            FollowUpSend.recipient_rep_id == rep_id,
            FollowUpSend.external_message_id == external_message_id,
            FollowUpSend.step_key.startswith(KEY_PREFIX),
        )
        .limit(1)
    )
    key = parse_step_key((await session.execute(query)).scalar_one_or_none() or "")
    return key.viewing_id if key is not None and key.what != OUTCOME else None


def apply_outcome(lead: Lead, outcome: Outcome) -> None:
    """What a viewing's outcome means for the lead.

    Attended, interested or made an offer: a person owns the lead now (handed off, automatic follow-ups stop);
    interest counts as an urgency signal for the score, an offer as two. Not interested or no-show: back to the funnel, so the
    sequences and the Ghost Protocol can win them back.
    """
    if lead.status in (LeadStatus.WON, LeadStatus.LOST):
        return
    if outcome is Outcome.INTERESTED:
        lead.urgency_mentions += 1
    if outcome is Outcome.MADE_OFFER:
        lead.urgency_mentions += OFFER_URGENCY
    if outcome in (Outcome.ATTENDED, Outcome.INTERESTED, Outcome.MADE_OFFER):
        lead.status = LeadStatus.HANDED_OFF.value
    else:
        lead.status = (LeadStatus.CONTACT_CAPTURED if lead.phone else qualification_status(lead)).value
