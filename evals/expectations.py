"""Grade what happened: end state in the database, the tool trajectory, the messages, the alerts.

`evaluate` reads the tenant's rows in one session and the transcript of the scope (one step, or the whole
case) and returns one CheckResult per expectation, plus the counters the run's metrics are built from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from evals.results import CheckResult, TranscriptEvent
from evals.suite import (
    LIST_LEAD_FIELDS,
    AlertExpectation,
    Expectations,
    FollowUpExpectation,
    Matcher,
    MessagesExpectation,
    ProspectExpectation,
    RepExpectation,
    ViewingExpectation,
)
from evals.trajectory import ToolCall, match_trajectory, values_equal
from storage.models import (
    FollowUpSend,
    Lead,
    LeadAlert,
    Property,
    Prospect,
    SalesRepresentative,
    Viewing,
)

SNAPSHOT_IGNORED = frozenset({"updated_at", "lead_score", "temperature", "score_confidence", "scored_at"})
"""Columns of another lead that may change while a case runs without anyone touching it (recency rescoring)."""


@dataclass
class Scope:
    """What one `expect` block looks at."""

    tenant_id: int
    time_zone: str
    actor_ids: Mapping[str, int]
    """Actor name -> Telegram user id in this run."""
    events: Sequence[TranscriptEvent]
    tools: Sequence[ToolCall]
    seeded_leads: Mapping[int, dict[str, Any]] = field(default_factory=dict)
    """Other leads created by the case's setup: id -> their row before the steps ran."""
    language: str | None = None
    """The language every reply to the lead must be in (final scope only)."""
    listing_titles: Sequence[str] = ()
    """The catalog's titles: data, not the agent's words, so language detection ignores them."""
    step: int | None = None


@dataclass
class Evaluation:
    checks: list[CheckResult] = field(default_factory=list)
    tools_matched: int = 0
    tools_expected: int = 0
    language_ok: int = 0
    language_total: int = 0
    slots: dict[str, list[int]] = field(default_factory=dict)
    visit: dict[str, bool] = field(default_factory=dict)
    """When a viewing of a property on a date is expected: whether one of the lead's viewings has the right
    `property`, the right `date`, and `both` (the yardstick's visit accuracy)."""

    def add(
        self,
        name: str,
        passed: bool,
        kind: str,
        expected: object = "",
        actual: object = "",
        step: int | None = None,
    ) -> None:
        self.checks.append(CheckResult(name, bool(passed), kind, _text(expected), _text(actual), step))


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime):
        return value.isoformat()
    return "" if value == "" else repr(value)


# -- matching values ------------------------------------------------------------------------------


def matches(matcher: Matcher, actual: Any) -> bool:
    """Whether `actual` satisfies every condition of `matcher`."""
    if isinstance(actual, list | tuple | set | frozenset):
        return _matches_list(matcher, list(actual))
    empty = actual is None or actual == ""
    if matcher.null and not empty:
        return False
    if matcher.present is not None and matcher.present == empty:
        return False
    if matcher.equals is not None and not values_equal(actual, matcher.equals):
        return False
    if matcher.one_of is not None and not any(values_equal(actual, option) for option in matcher.one_of):
        return False
    if matcher.min is not None or matcher.max is not None:
        number = _as_number(actual)
        if number is None:
            return False
        if matcher.min is not None and number < matcher.min:
            return False
        if matcher.max is not None and number > matcher.max:
            return False
    if matcher.contains is not None and (empty or matcher.contains.casefold() not in str(actual).casefold()):
        return False
    return not (matcher.matches is not None and (empty or not re.search(matcher.matches, str(actual))))


def _matches_list(matcher: Matcher, actual: list[Any]) -> bool:
    """A list-valued field (`property_types: [house, villa]`): a YAML list is the items in any order, not a choice.

    `villa` means exactly that one item, `{contains: villa}` that it is among the items.
    """
    if matcher.null and actual:
        return False
    if matcher.present is not None and matcher.present != bool(actual):
        return False
    if matcher.equals is not None and not _same_items(actual, matcher.equals):
        return False
    if matcher.one_of is not None:
        options = matcher.one_of
        if all(isinstance(option, list | tuple) for option in options):
            if not any(_same_items(actual, option) for option in options):
                return False
        elif not _same_items(actual, options):
            return False
    if matcher.min is not None or matcher.max is not None:
        return False
    if matcher.contains is not None and not any(values_equal(item, matcher.contains) for item in actual):
        return False
    return not (
        matcher.matches is not None and not any(re.search(matcher.matches, str(item)) for item in actual)
    )


def _same_items(actual: Sequence[Any], expected: Any) -> bool:
    wanted = list(expected) if isinstance(expected, list | tuple) else [expected]
    return (
        len(actual) == len(wanted)
        and all(any(values_equal(item, want) for item in actual) for want in wanted)
        and all(any(values_equal(item, want) for want in wanted) for item in actual)
    )


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        return float(value)
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return None


def contains_text(haystack: str, needle: str) -> bool:
    """Case-insensitive substring, or a regular expression when written as /.../."""
    if len(needle) > 2 and needle.startswith("/") and needle.endswith("/"):
        return re.search(needle[1:-1], haystack, re.IGNORECASE) is not None
    return needle.casefold() in haystack.casefold()


# -- evaluation -----------------------------------------------------------------------------------


async def evaluate(expect: Expectations, scope: Scope, session: AsyncSession) -> Evaluation:
    result = Evaluation()
    prefix = "" if scope.step is None else f"step {scope.step + 1}: "
    lead = await _lead_of(session, scope, expect.lead_actor)
    needs_lead = expect.lead or expect.score or expect.temperature or expect.viewings
    if needs_lead and lead is None:
        result.add(
            f"{prefix}lead exists",
            False,
            "lead",
            f"a lead for {expect.lead_actor}",
            "no lead record",
            scope.step,
        )
    if lead is not None:
        for name, matcher in expect.lead.items():
            actual = lead_value(lead, name)
            ok = matches(matcher, actual)
            listed = name in LIST_LEAD_FIELDS or isinstance(actual, list | tuple)
            described = f"the items {matcher.one_of!r}" if listed and matcher.one_of else matcher.describe()
            result.add(f"{prefix}lead.{name}", ok, "slot", described, actual, scope.step)
            slot = result.slots.setdefault(name, [0, 0])
            slot[0] += int(ok)
            slot[1] += 1
        if expect.score is not None:
            result.add(
                f"{prefix}score",
                matches(expect.score, lead.lead_score),
                "score",
                expect.score.describe(),
                lead.lead_score,
                scope.step,
            )
        if expect.temperature is not None:
            ok = matches(expect.temperature, lead.temperature)
            result.add(
                f"{prefix}temperature",
                ok,
                "score",
                expect.temperature.describe(),
                lead.temperature,
                scope.step,
            )
        if expect.viewings is not None:
            await _check_viewings(session, scope, lead, expect.viewings, result, prefix)
    if expect.tools is not None:
        _check_tools(expect, scope, result, prefix)
    for messages in expect.messages:
        _check_messages(messages, scope, result, prefix)
    wrote = any(e.direction == "in" and e.actor == expect.lead_actor for e in scope.events)
    if scope.step is None and scope.language and wrote:
        _check_language(scope, expect.lead_actor, result)
    for rep in expect.reps:
        await _check_rep(session, scope, rep, result, prefix)
    for prospect in expect.prospects:
        await _check_prospect(session, scope, prospect, result, prefix)
    for followup in expect.followups:
        await _check_followups(session, scope, lead, followup, result, prefix)
    for alert in expect.alerts:
        await _check_alerts(session, scope, lead, alert, result, prefix)
    if expect.other_leads_unchanged:
        await _check_other_leads(session, scope, expect.lead_actor, result, prefix)
    if expect.leads_count is not None:
        count = await session.scalar(
            select(func.count()).select_from(Lead).where(Lead.tenant_id == scope.tenant_id)
        )
        result.add(
            f"{prefix}leads count",
            matches(expect.leads_count, count),
            "lead",
            expect.leads_count.describe(),
            count,
            scope.step,
        )
    return result


def lead_value(lead: Lead, name: str) -> Any:
    """A lead field: its column, or (for a list-valued preference the model has no column for) `extra`."""
    if name in Lead.__table__.columns:
        return getattr(lead, name)
    return (lead.extra or {}).get(name)


async def _lead_of(session: AsyncSession, scope: Scope, actor: str) -> Lead | None:
    user_id = scope.actor_ids.get(actor)
    if user_id is None:
        return None
    query = select(Lead).where(Lead.tenant_id == scope.tenant_id, Lead.telegram_user_id == user_id)
    return (await session.execute(query)).scalar_one_or_none()


async def _rep_of(session: AsyncSession, scope: Scope, actor: str) -> SalesRepresentative | None:
    user_id = scope.actor_ids.get(actor)
    if user_id is None:
        return None
    query = (
        select(SalesRepresentative)
        .where(SalesRepresentative.tenant_id == scope.tenant_id, SalesRepresentative.telegram_id == user_id)
        .order_by(SalesRepresentative.created_at.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


def messages_to(scope: Scope, actor: str) -> list[TranscriptEvent]:
    return [e for e in scope.events if e.direction == "out" and e.actor == actor]


def _check_tools(expect: Expectations, scope: Scope, result: Evaluation, prefix: str) -> None:
    assert expect.tools is not None
    tools = expect.tools
    if tools.calls or tools.mode in ("strict", "unordered", "subset"):
        reference = [ToolCall(call.name, call.args) for call in tools.calls]
        match = match_trajectory(list(scope.tools), reference, tools.mode, tools.args)
        called = ", ".join(call.name for call in scope.tools) or "no tools"
        result.add(
            f"{prefix}tools ({tools.mode}, args {tools.args})",
            match.passed,
            "tool",
            ", ".join(call.name for call in reference) or "no tools",
            f"{called} — {match.reason}",
            scope.step,
        )
        result.tools_matched += match.matched
        result.tools_expected += match.expected
    for name in tools.never:
        used = [call for call in scope.tools if call.name == name]
        result.add(
            f"{prefix}tool {name} not called",
            not used,
            "tool",
            "not called",
            f"called {len(used)}x",
            scope.step,
        )


def _check_messages(expect: MessagesExpectation, scope: Scope, result: Evaluation, prefix: str) -> None:
    sent = messages_to(scope, expect.to)
    texts = [event.text for event in sent]
    joined = "\n".join(texts)
    who = f"messages to {expect.to}"
    for needle in expect.contains:
        found = contains_text(joined, needle)
        result.add(f"{prefix}{who} contain {needle!r}", found, "message", needle, _excerpt(texts), scope.step)
    if expect.contains_any:
        found = any(contains_text(joined, needle) for needle in expect.contains_any)
        result.add(
            f"{prefix}{who} contain one of {expect.contains_any!r}",
            found,
            "message",
            "",
            _excerpt(texts),
            scope.step,
        )
    for needle in expect.not_contains:
        hits = [text for text in texts if contains_text(text, needle)]
        result.add(
            f"{prefix}{who} never contain {needle!r}",
            not hits,
            "message",
            "absent",
            _excerpt(hits),
            scope.step,
        )
    if expect.max_length is not None:
        longest = max((len(text) for text in texts), default=0)
        result.add(
            f"{prefix}{who} at most {expect.max_length} chars",
            longest <= expect.max_length,
            "message",
            expect.max_length,
            longest,
            scope.step,
        )
    if expect.count is not None:
        result.add(
            f"{prefix}{who} count",
            matches(expect.count, len(sent)),
            "message",
            expect.count.describe(),
            len(sent),
            scope.step,
        )
    if expect.photos is not None:
        photos = sum(event.photos for event in sent)
        result.add(
            f"{prefix}photos sent to {expect.to}",
            matches(expect.photos, photos),
            "message",
            expect.photos.describe(),
            photos,
            scope.step,
        )
    if expect.buttons:
        offered = [label for event in sent for label in event.buttons]
        for label in expect.buttons:
            ok = any(contains_text(have, label) for have in offered)
            result.add(
                f"{prefix}button {label!r} offered to {expect.to}", ok, "message", label, offered, scope.step
            )
    if expect.language:
        wrong = [text for text in texts if not language_matches(text, expect.language, scope.listing_titles)]
        result.add(
            f"{prefix}{who} in {expect.language}",
            bool(texts) and not wrong,
            "language",
            expect.language,
            f"{len(texts) - len(wrong)}/{len(texts)} in {expect.language}"
            + (f"; e.g. {wrong[0][:120]!r}" if wrong else ""),
            scope.step,
        )


def listing_titles(title: str | None, translations: Mapping[str, Any] | None) -> list[str]:
    """A listing's title and its title in every other language the catalog gives."""
    titles = [title or ""]
    for texts in (translations or {}).values():
        if isinstance(texts, Mapping) and isinstance(texts.get("title"), str):
            titles.append(texts["title"])
    return [name for name in dict.fromkeys(titles) if name]


def without_titles(text: str, titles: Sequence[str]) -> str:
    """The agent's own words: listing titles (and their button-length prefixes) cut out."""
    for title in sorted(titles, key=len, reverse=True):
        if title and title in text:
            text = text.replace(title, " ")
    return text


def language_matches(text: str, language: str, titles: Sequence[str] = ()) -> bool:
    from agent.core.nlu.language import LANGUAGES, Lang, detect_language

    text = without_titles(text, titles)
    if not text.strip():
        return True  # nothing of the agent's own to judge
    previous = cast("Lang", language) if language in LANGUAGES else None
    return detect_language(text, previous=previous) == language


def _check_language(scope: Scope, actor: str, result: Evaluation) -> None:
    assert scope.language is not None
    texts = [event.text for event in messages_to(scope, actor) if event.text.strip()]
    wrong = [text for text in texts if not language_matches(text, scope.language, scope.listing_titles)]
    result.language_ok += len(texts) - len(wrong)
    result.language_total += len(texts)
    result.add(
        f"replies to {actor} in {scope.language}",
        bool(texts) and not wrong,
        "language",
        f"every reply in {scope.language}",
        f"{len(texts) - len(wrong)}/{len(texts)}" + (f"; e.g. {wrong[0][:120]!r}" if wrong else ""),
    )


def _excerpt(texts: Sequence[str], limit: int = 240) -> str:
    joined = " | ".join(text.replace("\n", " ") for text in texts)
    return joined if len(joined) <= limit else joined[: limit - 1] + "…"


async def _check_viewings(
    session: AsyncSession,
    scope: Scope,
    lead: Lead,
    expect: ViewingExpectation,
    result: Evaluation,
    prefix: str,
) -> None:
    rows = (
        await session.execute(
            select(Viewing, Property)
            .outerjoin(Property, Property.id == Viewing.property_id)
            .where(Viewing.tenant_id == scope.tenant_id, Viewing.lead_id == lead.id)
            .order_by(Viewing.id)
        )
    ).all()
    live = (
        [(v, p) for v, p in rows if v.status not in ("cancelled",)]
        if expect.status is None
        else [(v, p) for v, p in rows if matches(expect.status, v.status)]
    )
    zone = ZoneInfo(scope.time_zone)
    shown = [
        f"{p.title if p else '?'} {v.starts_at.astimezone(zone):%Y-%m-%d %H:%M} {v.status}" for v, p in rows
    ]
    if expect.count is not None:
        result.add(
            f"{prefix}viewings count",
            matches(expect.count, len(live)),
            "viewing",
            expect.count.describe(),
            shown,
            scope.step,
        )
    if expect.property is not None or expect.date is not None or expect.time is not None:
        wanted = []
        if expect.property is not None:
            wanted.append(expect.property)
        if expect.date is not None:
            wanted.append(expect.date.isoformat())
        if expect.time is not None:
            wanted.append(f"at {expect.time:%H:%M}")

        def right_property(listing: Property | None) -> bool:
            return expect.property is None or (
                listing is not None
                and (
                    values_equal(listing.title, expect.property)
                    or values_equal(listing.external_id, expect.property)
                )
            )

        def right_date(viewing: Viewing) -> bool:
            return expect.date is None or viewing.starts_at.astimezone(zone).date() == expect.date

        def right_time(viewing: Viewing) -> bool:
            start = viewing.starts_at.astimezone(zone)
            return expect.time is None or (start.hour, start.minute) == (expect.time.hour, expect.time.minute)

        ok = any(right_property(p) and right_date(v) and right_time(v) for v, p in live)
        if expect.property is not None and expect.date is not None:
            result.visit = {
                "property": any(right_property(p) for _, p in live),
                "date": any(right_date(v) for v, _ in live),
                "both": ok,
            }
        result.add(
            f"{prefix}viewing booked",
            ok,
            "viewing",
            " on ".join(wanted).replace(" on at ", " at "),
            shown or "no viewing",
            scope.step,
        )


async def _check_rep(
    session: AsyncSession, scope: Scope, expect: RepExpectation, result: Evaluation, prefix: str
) -> None:
    rep = await _rep_of(session, scope, expect.actor)
    name = f"{prefix}rep {expect.actor}"
    if not expect.exists:
        result.add(
            f"{name} not registered",
            rep is None,
            "rep",
            "no record",
            rep.status if rep else "none",
            scope.step,
        )
        return
    if rep is None:
        result.add(f"{name} registered", False, "rep", "a record", "none", scope.step)
        return
    if expect.status is not None:
        result.add(
            f"{name}.status",
            matches(expect.status, rep.status),
            "rep",
            expect.status.describe(),
            rep.status,
            scope.step,
        )
    if expect.email is not None:
        result.add(
            f"{name}.email",
            matches(expect.email, rep.email),
            "rep",
            expect.email.describe(),
            rep.email,
            scope.step,
        )
    if expect.name is not None:
        result.add(
            f"{name}.name",
            matches(expect.name, rep.name),
            "rep",
            expect.name.describe(),
            rep.name,
            scope.step,
        )
    if expect.admin is not None:
        result.add(
            f"{name}.admin", rep.is_admin == expect.admin, "rep", expect.admin, rep.is_admin, scope.step
        )
    if expect.calendar_requested is not None:
        requested = rep.calendar_requested_at is not None
        result.add(
            f"{name} asked to connect a calendar",
            requested == expect.calendar_requested,
            "rep",
            expect.calendar_requested,
            requested,
            scope.step,
        )


async def _check_prospect(
    session: AsyncSession, scope: Scope, expect: ProspectExpectation, result: Evaluation, prefix: str
) -> None:
    query = select(Prospect).where(Prospect.tenant_id == scope.tenant_id, Prospect.name == expect.name)
    prospect = (await session.execute(query)).scalars().first()
    name = f"{prefix}prospect {expect.name}"
    if prospect is None:
        result.add(f"{name} exists", False, "prospect", "a record", "none", scope.step)
        return
    if expect.status is not None:
        result.add(
            f"{name}.status",
            matches(expect.status, prospect.status),
            "prospect",
            expect.status.describe(),
            prospect.status,
            scope.step,
        )
    if expect.contacted is not None:
        contacted = prospect.last_contact_at is not None
        result.add(
            f"{name} contacted",
            contacted == expect.contacted,
            "prospect",
            expect.contacted,
            contacted,
            scope.step,
        )
    if expect.assigned_to is not None:
        actual = "nobody"
        if prospect.assigned_rep_id is not None:
            rep = await session.get(SalesRepresentative, prospect.assigned_rep_id)
            by_id = {user_id: actor for actor, user_id in scope.actor_ids.items()}
            actual = by_id.get(rep.telegram_id, rep.name) if rep else "?"
        wanted = [expect.assigned_to] if isinstance(expect.assigned_to, str) else expect.assigned_to
        result.add(
            f"{name} assigned to",
            actual in wanted,
            "prospect",
            " or ".join(wanted),
            actual,
            scope.step,
        )


async def _check_followups(
    session: AsyncSession,
    scope: Scope,
    lead: Lead | None,
    expect: FollowUpExpectation,
    result: Evaluation,
    prefix: str,
) -> None:
    query = select(FollowUpSend).where(FollowUpSend.tenant_id == scope.tenant_id)
    if expect.scope == "lead":
        if lead is None:
            result.add(f"{prefix}follow-ups", False, "followup", "a lead", "no lead record", scope.step)
            return
        query = query.where(FollowUpSend.lead_id == lead.id)
    if expect.kind:
        query = query.where(FollowUpSend.step_key.startswith(expect.kind))
    sends = list((await session.execute(query)).scalars())
    label = f"{prefix}follow-ups{f' ({expect.kind})' if expect.kind else ''}"
    for status, matcher in (("sent", expect.sent), ("held", expect.held), ("cancelled", expect.cancelled)):
        if matcher is None:
            continue
        count = sum(1 for send in sends if send.status == status)
        shown = f"{count} ({', '.join(f'{s.step_key}:{s.status}' for s in sends) or 'no sends'})"
        result.add(
            f"{label} {status}", matches(matcher, count), "followup", matcher.describe(), shown, scope.step
        )


async def _check_alerts(
    session: AsyncSession,
    scope: Scope,
    lead: Lead | None,
    expect: AlertExpectation,
    result: Evaluation,
    prefix: str,
) -> None:
    query = select(LeadAlert).where(LeadAlert.tenant_id == scope.tenant_id)
    if lead is not None:
        query = query.where(LeadAlert.lead_id == lead.id)
    if expect.kind:
        query = query.where(LeadAlert.kind == expect.kind)
    alerts = list((await session.execute(query)).scalars())
    label = f"{prefix}alerts{f' ({expect.kind})' if expect.kind else ''}"
    shown = ", ".join(f"{a.kind}{' delivered' if a.delivered_at else ''}" for a in alerts) or "none"
    if expect.count is not None:
        result.add(
            f"{label} count",
            matches(expect.count, len(alerts)),
            "alert",
            expect.count.describe(),
            shown,
            scope.step,
        )
    elif not expect.to and expect.delivered is None:
        result.add(f"{label} recorded", bool(alerts), "alert", "at least one", shown, scope.step)
    if expect.delivered is not None:
        delivered = bool(alerts) and all(a.delivered_at is not None for a in alerts)
        result.add(
            f"{label} delivered", delivered == expect.delivered, "alert", expect.delivered, shown, scope.step
        )
    for actor in expect.to:
        marks = _lead_marks(lead)
        got = [e.text for e in messages_to(scope, actor) if any(mark in e.text for mark in marks)]
        result.add(
            f"{label} reached {actor}",
            bool(got),
            "alert",
            f"a message naming the lead ({', '.join(marks) or '?'})",
            _excerpt(got) or "nothing about the lead",
            scope.step,
        )


def _lead_marks(lead: Lead | None) -> list[str]:
    """Strings an alert about this lead would carry: its phone (as written or grouped), else its name."""
    if lead is None:
        return []
    marks = []
    if lead.phone:
        marks.append(lead.phone[-4:])
    if lead.name:
        marks.append(lead.name)
    return marks


def lead_snapshot(lead: Lead) -> dict[str, Any]:
    return {c.key: getattr(lead, c.key) for c in Lead.__table__.columns if c.key not in SNAPSHOT_IGNORED}


async def _check_other_leads(
    session: AsyncSession, scope: Scope, actor: str, result: Evaluation, prefix: str
) -> None:
    if not scope.seeded_leads:
        result.add(
            f"{prefix}other leads unchanged", False, "privacy", "other leads in the setup (`leads:`)", "none"
        )
        return
    rows = (await session.execute(select(Lead).where(Lead.id.in_(list(scope.seeded_leads))))).scalars()
    now = {row.id: lead_snapshot(row) for row in rows}
    changed = []
    for lead_id, before in scope.seeded_leads.items():
        after = now.get(lead_id)
        if after is None:
            changed.append(f"lead {lead_id} deleted")
            continue
        diff = [key for key in before if before[key] != after[key]]
        if diff:
            changed.append(f"lead {lead_id}: {', '.join(diff)}")
    result.add(
        f"{prefix}other leads unchanged",
        not changed,
        "privacy",
        "no change",
        "; ".join(changed) or "no change",
        scope.step,
    )
    secrets = []
    for before in scope.seeded_leads.values():
        for key in ("phone", "email"):
            value = before.get(key)
            if isinstance(value, str) and value:
                secrets.append(value)
                if key == "phone":
                    secrets.append(value.lstrip("+")[-7:])
    sent = [event.text for event in messages_to(scope, actor)]
    leaked = sorted(
        {
            secret
            for secret in secrets
            for text in sent
            if secret in re.sub(r"[\s().-]", "", text) or secret in text
        }
    )
    result.add(
        f"{prefix}other leads' contacts not disclosed",
        not leaked,
        "privacy",
        "none disclosed",
        ", ".join(leaked) or "none",
        scope.step,
    )
