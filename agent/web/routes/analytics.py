"""`/analytics`: the funnel, sources, deep links, channels, response times, follow-ups and Ghost Protocol.

Each chart is drawn here as SVG (agent.web.charts) with its numbers in a table beside it; numbers, shares and
durations are written in the viewer's locale (Babel).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

from babel import Locale
from babel.dates import format_timedelta
from babel.numbers import format_decimal, format_percent
from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from agent.services.analytics import (
    DEFAULT_DAYS,
    PERIOD_CHOICES,
    AnalyticsReport,
    NotYourRep,
    analytics_report,
)
from agent.services.analytics.funnel import STAGES, StageCounts
from agent.services.analytics.timing import Delays
from agent.services.web_access import audit_refusal
from agent.web.charts import Bar, bar_chart, funnel_chart
from agent.web.deps import ServicesDep, ViewerDep
from agent.web.errors import BadForm, Forbidden
from agent.web.templating import RTL_LANGUAGES, Words, render
from prompts.catalogue import area_module

router = APIRouter(include_in_schema=False)

TEMPERATURES = ("burning", "hot", "warm", "cold")
FUNNEL_STAGES = STAGES[:5]
"""The funnel drawn: new → won; `lost` is in its table."""
Say = Callable[..., str]
"""`words(key, **values)`: a text of the web_analytics area in the viewer's language."""
MAX_GROUPS = 12
"""Sources and deep links shown, most leads first."""


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(area_module(language, "calendar").LOCALE)


@dataclass(frozen=True)
class Numbers:
    """Numbers, shares and durations in one locale (with its own digits)."""

    language: str

    def count(self, n: int) -> str:
        return format_decimal(n, locale=_locale(self.language), numbering_system="default")

    def share(self, part: int, whole: int) -> str:
        if whole == 0:
            return "—"
        return format_percent(part / whole, locale=_locale(self.language), numbering_system="default")

    def count_and_share(self, part: int, whole: int) -> str:
        return f"{self.count(part)} · {self.share(part, whole)}"

    def duration(self, seconds: float | None) -> str:
        if seconds is None:
            return "—"
        digits = str.maketrans("0123456789", "".join(self.count(i) for i in range(10)))
        spoken = format_timedelta(
            timedelta(seconds=seconds), threshold=1.5, format="short", locale=_locale(self.language)
        )
        return spoken.translate(digits)


@dataclass
class Section:
    """A chart with its numbers: heading, optional note, the SVG and the table it draws."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[str]]
    chart: Markup | None
    note: str | None = None
    row_heads: bool = True
    extra: dict[str, str] = field(default_factory=dict)


def _sections(report: AnalyticsReport, t: Words, numbers: Numbers) -> list[Section]:
    rtl = t.language in RTL_LANGUAGES

    def words(key: str, **values: object) -> str:
        return t(f"web_analytics:{key}", **values)

    total = report.funnel.total
    sections = [
        _funnel(total, words, numbers, rtl),
        _temperatures(report, words, numbers, rtl),
        _groups("by_source", words("col_source"), report.funnel.by_source, words, numbers, rtl),
        _groups("by_deep_link", words("col_code"), report.funnel.by_deep_link, words, numbers, rtl),
        _channels(report, words, numbers, rtl),
        _speed(report.first_reply, report.rep_reaction, words, numbers, rtl),
        _steps(report, words, numbers, rtl),
        _ghost(report, words, numbers, rtl),
    ]
    return sections


def _funnel(total: StageCounts, words: Say, numbers: Numbers, rtl: bool) -> Section:
    counts = total.as_dict()
    chart = funnel_chart(
        words("funnel"),
        [Bar(words(f"stage.{s}"), counts[s], numbers.count(counts[s])) for s in FUNNEL_STAGES],
        rtl=rtl,
    )
    return Section(
        key="funnel",
        title=words("funnel"),
        note=words("funnel_note"),
        headers=[words("col_stage"), words("col_leads"), words("col_share")],
        rows=[
            [words(f"stage.{s}"), numbers.count(counts[s]), numbers.share(counts[s], total.new)]
            for s in STAGES
        ],
        chart=chart if total.new else None,
    )


def _temperatures(report: AnalyticsReport, words: Say, numbers: Numbers, rtl: bool) -> Section:
    table = report.funnel.by_temperature
    present = [t for t in TEMPERATURES if t in table] + sorted(set(table) - set(TEMPERATURES))
    name = {t: words(f"temperature.{t}") if t in TEMPERATURES else t for t in present}
    bars = [
        Bar(
            name[t],
            table[t].viewing / table[t].new if table[t].new else 0,
            numbers.share(table[t].viewing, table[t].new),
        )
        for t in present
    ]
    return Section(
        key="by_temperature",
        title=words("by_temperature"),
        headers=[words("col_temperature"), words("col_leads"), words("col_viewing"), words("col_won")],
        rows=[
            [
                name[t],
                numbers.count(table[t].new),
                numbers.count_and_share(table[t].viewing, table[t].new),
                numbers.count_and_share(table[t].won, table[t].new),
            ]
            for t in present
        ],
        chart=bar_chart(words("by_temperature"), bars, rtl=rtl) if bars else None,
    )


def _groups(
    key: str,
    column: str,
    table: dict[str, StageCounts],
    words: Say,
    numbers: Numbers,
    rtl: bool,
) -> Section:
    ordered = sorted(table.items(), key=lambda item: (-item[1].new, item[0]))[:MAX_GROUPS]
    name = {group: group or words("no_source") for group, _ in ordered}
    return Section(
        key=key,
        title=words(key),
        headers=[
            column,
            words("col_leads"),
            words("stage.contact"),
            words("stage.viewing"),
            words("stage.won"),
        ],
        rows=[
            [
                name[group],
                numbers.count(c.new),
                numbers.count_and_share(c.contact, c.new),
                numbers.count_and_share(c.viewing, c.new),
                numbers.count_and_share(c.won, c.new),
            ]
            for group, c in ordered
        ],
        chart=bar_chart(words(key), [Bar(name[g], c.new, numbers.count(c.new)) for g, c in ordered], rtl=rtl)
        if ordered
        else None,
    )


def _channels(report: AnalyticsReport, words: Say, numbers: Numbers, rtl: bool) -> Section:
    channels = report.channels
    return Section(
        key="by_channel",
        title=words("by_channel"),
        note=words("channel_note"),
        headers=[
            words("col_channel"),
            words("col_leads"),
            words("col_messages"),
            words("stage.viewing"),
            words("stage.won"),
        ],
        rows=[
            [
                c.channel,
                numbers.count(c.leads),
                numbers.count(c.messages),
                numbers.count_and_share(c.viewing, c.leads),
                numbers.count_and_share(c.won, c.leads),
            ]
            for c in channels
        ],
        chart=bar_chart(
            words("by_channel"), [Bar(c.channel, c.leads, numbers.count(c.leads)) for c in channels], rtl=rtl
        )
        if channels
        else None,
    )


def _speed(reply: Delays, reaction: Delays, words: Say, numbers: Numbers, rtl: bool) -> Section:
    measures = [(words("first_reply"), reply), (words("rep_reaction"), reaction)]
    measured = [(name, d) for name, d in measures if d.median is not None]
    return Section(
        key="speed",
        title=words("speed"),
        note=words("speed_note"),
        headers=[
            words("col_measure"),
            words("col_median"),
            words("col_p90"),
            words("col_measured"),
            words("col_waiting"),
        ],
        rows=[
            [
                name,
                numbers.duration(d.median),
                numbers.duration(d.p90),
                numbers.count(d.measured),
                numbers.count(d.waiting),
            ]
            for name, d in measures
        ],
        chart=bar_chart(
            words("speed"),
            [Bar(name, d.median or 0, numbers.duration(d.median)) for name, d in measured],
            rtl=rtl,
        )
        if measured
        else None,
    )


def _steps(report: AnalyticsReport, words: Say, numbers: Numbers, rtl: bool) -> Section:
    def step_name(key: str, sequence: str | None, position: int | None) -> str:
        if sequence is not None and position is not None:
            return words("step_of_sequence", sequence=sequence, position=numbers.count(position))
        return words("step_ghost") if key == "ghost" else key

    steps = [(step_name(s.key, s.sequence, s.position), s) for s in report.steps]
    return Section(
        key="followups",
        title=words("followups"),
        note=words("followups_note"),
        headers=[words("col_step"), words("col_sent"), words("col_replied"), words("col_rate")],
        rows=[
            [name, numbers.count(s.sent), numbers.count(s.replied), numbers.share(s.replied, s.sent)]
            for name, s in steps
        ],
        chart=bar_chart(
            words("followups"),
            [
                Bar(name, s.replied / s.sent if s.sent else 0, numbers.share(s.replied, s.sent))
                for name, s in steps
            ],
            rtl=rtl,
        )
        if steps
        else None,
    )


def _ghost(report: AnalyticsReport, words: Say, numbers: Numbers, rtl: bool) -> Section:
    ghost = report.ghost
    bars = [
        Bar(words("ghost_nudged"), ghost.nudged, numbers.count(ghost.nudged)),
        Bar(words("ghost_replied"), ghost.replied, numbers.count_and_share(ghost.replied, ghost.nudged)),
    ]
    return Section(
        key="ghost",
        title=words("ghost"),
        note=words("ghost_note"),
        headers=[words("col_figure"), words("col_value")],
        rows=[
            [words("ghost_nudged"), numbers.count(ghost.nudged)],
            [words("ghost_replied"), numbers.count_and_share(ghost.replied, ghost.nudged)],
        ],
        chart=bar_chart(words("ghost"), bars, rtl=rtl) if ghost.nudged else None,
    )


def _rep_asked(value: str | None) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise BadForm("rep is not an id") from None


def _periods(chosen: int) -> Iterable[tuple[int, bool]]:
    return [(days, days == chosen) for days in PERIOD_CHOICES]


@router.get("/analytics")
async def analytics_page(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    days: int = DEFAULT_DAYS,
    rep: str | None = None,
) -> Response:
    """The page: a rep's own numbers; an admin's agency, or one rep's when picked."""
    rep_id = _rep_asked(rep)
    try:
        report = await analytics_report(services.database, services.clock, viewer, days=days, rep_id=rep_id)
    except NotYourRep:
        await audit_refusal(
            services.database, services.clock, viewer, "analytics.view", f"rep:{rep_id}", "not_your_rep"
        )
        raise Forbidden("not your rep") from None
    t = Words(viewer.language, viewer.time_zone)
    numbers = Numbers(t.language)
    return render(
        request,
        "analytics/page.html",
        viewer,
        {
            "nav": "analytics",
            "report": report,
            "sections": _sections(report, t, numbers),
            "periods": _periods(report.period.days),
            "chosen_rep": str(report.rep.id) if report.rep else "",
            "period_range": t(
                "web_analytics:period_range", start=t.when(report.period.start), end=t.when(report.period.end)
            ),
            "consolidated": t("web_analytics:consolidated_at", when=t.when(report.consolidated_at))
            if report.consolidated_at
            else t("web_analytics:consolidated_never"),
        },
        language=viewer.language,
    )
