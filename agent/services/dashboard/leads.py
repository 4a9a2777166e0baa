"""The leads board: a viewer's leads by score, opted-out last, filtered, one keyset page per SQL statement.

The order is (opted_out, lead_score DESC, id DESC); the page after a cursor is read as one UNION ALL of at most
two index range scans (the rest of the cursor's segment, then the opted-out segment), so a deep page costs the
same as the first (indexes ix_leads_board and ix_leads_board_rep, migration 0013).
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select, tuple_, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.scoring import SOURCE_QUALITY, TEMPERATURE_BADGES, Temperature
from agent.services.dashboard.bounds import as_number
from agent.services.team.cards import OPTED_OUT_BADGE
from agent.services.web_access import Viewer, visible_leads
from storage.models import Lead, LeadLikelihood, SalesRepresentative, Tenant

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
SEARCH_LIMIT = 80


class BadCursor(ValueError):
    """A cursor this board did not hand out (or one from another order)."""


@dataclass(frozen=True)
class Position:
    """Where a page ends: the last lead's place in the board's order."""

    opted_out: bool
    score: int
    lead_id: int

    def encode(self) -> str:
        raw = f"{int(self.opted_out)}.{self.score}.{self.lead_id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, cursor: str) -> Position:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            opted, score, lead_id = raw.split(".")
            number = as_number(lead_id)
            if opted not in ("0", "1") or number is None or as_number(score.removeprefix("-")) is None:
                raise ValueError(opted)
            value = int(score)
            if not -(2**31) <= value < 2**31:  # the score column is an integer
                raise ValueError(score)
            return cls(opted == "1", value, number)
        except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
            raise BadCursor(cursor[:40]) from exc


@dataclass(frozen=True)
class BoardFilter:
    """What the viewer narrowed the board to; None means any."""

    temperature: str | None = None
    status: str | None = None
    rep_id: uuid.UUID | None = None
    """Admins only: a rep's leads (a rep's own board is always theirs alone)."""
    source: str | None = None
    opted_out: bool | None = None
    search: str | None = None
    """Part of a name or phone number."""

    def cleaned(self) -> BoardFilter:
        search = (self.search or "").strip()[:SEARCH_LIMIT] or None
        return replace(self, search=search)


@dataclass(frozen=True)
class LeadCard:
    """One lead on the board, with the counters of the lead-scoring spec and the rep's name."""

    id: int
    name: str
    phone: str | None
    score: int
    temperature: str
    status: str
    source: str | None
    opted_out: bool
    qr_scan_count: int
    catalog_views: int
    message_count: int
    rep_id: uuid.UUID | None
    rep_name: str | None
    last_inbound_at: datetime | None
    updated_at: datetime
    likely: float | None = None
    """Conversion likelihood (0..1) under the agency's learned model in use; None without one."""

    @property
    def badge(self) -> str:
        return lead_badge(self.temperature, self.opted_out)


@dataclass(frozen=True)
class BoardPage:
    leads: tuple[LeadCard, ...]
    next_cursor: str | None


def lead_badge(temperature: str, opted_out: bool) -> str:
    """🔕 for a lead who opted out, else the temperature's badge (🔥 🌶️ ☀️ ❄️)."""
    if opted_out:
        return OPTED_OUT_BADGE
    try:
        return TEMPERATURE_BADGES[Temperature(temperature)]
    except ValueError:
        return TEMPERATURE_BADGES[Temperature.COLD]


def display_name(name: str | None, username: str | None, lead_id: int) -> str:
    """The lead's name, else their @username, else #id (as the team bot shows them)."""
    return name or (f"@{username}" if username else f"#{lead_id}")


CARD_COLUMNS = (
    Lead.id,
    Lead.name,
    Lead.telegram_username,
    Lead.phone,
    Lead.lead_score,
    Lead.temperature,
    Lead.status,
    Lead.source,
    Lead.opted_out,
    Lead.qr_scan_count,
    Lead.catalog_views,
    Lead.message_count,
    Lead.assigned_rep_id,
    Lead.last_inbound_at,
    Lead.updated_at,
)


def _conditions(viewer: Viewer, wanted: BoardFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [visible_leads(viewer)]
    if wanted.temperature:
        conditions.append(Lead.temperature == wanted.temperature)
    if wanted.status:
        conditions.append(Lead.status == wanted.status)
    if wanted.rep_id is not None and viewer.sees_whole_agency:
        conditions.append(Lead.assigned_rep_id == wanted.rep_id)
    if wanted.source:
        conditions.append(Lead.source == wanted.source)
    if wanted.search:
        pattern = "%" + wanted.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        digits = "".join(ch for ch in wanted.search if ch.isdigit())
        matches = [Lead.name.ilike(pattern), Lead.telegram_username.ilike(pattern)]
        if len(digits) >= 3:
            matches.append(Lead.phone.like(f"%{digits}%"))
        conditions.append(or_(*matches))
    return conditions


def _segment(
    conditions: Sequence[ColumnElement[bool]], opted_out: bool, after: Position | None, limit: int
) -> Select[*tuple[Any, ...]]:
    """Ids of one segment (opted out or not) past `after`, in score order: one index range scan."""
    where = [*conditions, Lead.opted_out.is_(opted_out)]
    if after is not None:
        where.append(tuple_(Lead.lead_score, Lead.id) < tuple_(literal(after.score), literal(after.lead_id)))
    return (
        select(Lead.id, Lead.opted_out, Lead.lead_score)
        .where(and_(*where))
        .order_by(Lead.lead_score.desc(), Lead.id.desc())
        .limit(limit)
    )


def board_statement(
    viewer: Viewer, wanted: BoardFilter, after: Position | None, limit: int
) -> Select[*tuple[Any, ...]]:
    """The page's one SQL statement: ids by keyset, then their cards with the rep's name."""
    conditions = _conditions(viewer, wanted.cleaned())
    segments: list[Select[*tuple[Any, ...]]] = []
    for opted_out in (False, True):
        if wanted.opted_out is not None and wanted.opted_out != opted_out:
            continue
        if after is not None and after.opted_out and not opted_out:
            continue  # the cursor is past every lead who did not opt out
        resume = after if after is not None and after.opted_out == opted_out else None
        segments.append(_segment(conditions, opted_out, resume, limit))
    if not segments:
        segments.append(_segment([*conditions, literal(False)], False, None, limit))
    page = (union_all(*segments) if len(segments) > 1 else segments[0]).subquery("page")
    return (
        select(
            *CARD_COLUMNS,
            SalesRepresentative.name.label("rep_name"),
            LeadLikelihood.probability.label("likely"),
        )
        .select_from(page)
        .join(Lead, Lead.id == page.c.id)
        .outerjoin(SalesRepresentative, SalesRepresentative.id == Lead.assigned_rep_id)
        # The likelihood under the agency's model in use (none without one; a retired model's rows never show).
        .outerjoin(Tenant, Tenant.id == Lead.tenant_id)
        .outerjoin(
            LeadLikelihood,
            and_(LeadLikelihood.lead_id == Lead.id, LeadLikelihood.model_id == Tenant.scoring_model_id),
        )
        .order_by(page.c.opted_out, page.c.lead_score.desc(), page.c.id.desc())
        .limit(limit + 1)
    )


async def board_page(
    session: AsyncSession,
    viewer: Viewer,
    wanted: BoardFilter,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> BoardPage:
    """One page of the viewer's board; `next_cursor` is None on the last page. Raises BadCursor."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    after = Position.decode(cursor) if cursor else None
    rows = (await session.execute(board_statement(viewer, wanted, after, limit))).all()
    cards = tuple(_card(row) for row in rows[:limit])
    more = len(rows) > limit
    last = cards[-1] if cards else None
    next_cursor = Position(last.opted_out, last.score, last.id).encode() if more and last else None
    return BoardPage(cards, next_cursor)


def _card(row: object) -> LeadCard:
    r = row._mapping  # type: ignore[attr-defined]
    return LeadCard(
        id=r["id"],
        name=display_name(r["name"], r["telegram_username"], r["id"]),
        phone=r["phone"],
        score=r["lead_score"],
        temperature=r["temperature"],
        status=r["status"],
        source=r["source"],
        opted_out=r["opted_out"],
        qr_scan_count=r["qr_scan_count"],
        catalog_views=r["catalog_views"],
        message_count=r["message_count"],
        rep_id=r["assigned_rep_id"],
        rep_name=r["rep_name"],
        last_inbound_at=r["last_inbound_at"],
        likely=r["likely"],
        updated_at=r["updated_at"],
    )


def board_sources() -> list[str]:
    """The sources the filter offers (the rated ones; any other can be typed)."""
    return sorted(SOURCE_QUALITY)


async def active_reps(session: AsyncSession, viewer: Viewer) -> list[tuple[uuid.UUID, str]]:
    """The agency's active reps (the rep filter and reassignment), by name."""
    query = (
        select(SalesRepresentative.id, SalesRepresentative.name)
        .where(SalesRepresentative.tenant_id == viewer.tenant_id, SalesRepresentative.status == "active")
        .order_by(SalesRepresentative.name)
    )
    return [(rep_id, name) for rep_id, name in (await session.execute(query)).tuples()]


def count_statement(viewer: Viewer, temperature: str) -> Select[*tuple[Any, ...]]:
    """How many live (not opted-out) leads of one temperature this viewer has."""
    return (
        select(func.count())
        .select_from(Lead)
        .where(visible_leads(viewer), Lead.opted_out.is_(False), Lead.temperature == temperature)
    )
