"""The client a rep's "I'll take Tom" / "Беру Тома" names: fuzzy, forgiving of script and case endings."""

from __future__ import annotations

from dataclasses import dataclass

from anyascii import anyascii
from rapidfuzz import fuzz
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.nlu.takeover_names import NOT_NAMES, RUSSIAN_ENDINGS
from agent.services.calendars.service import lead_name
from storage.models import Lead, RepStatus
from storage.repositories.reps import RepRepository

MIN_SCORE = 80.0
"""Below this a name is not taken to mean a client ("Тома" is Tom at 86, "Марию" is Мария at 83)."""
CLOSE = 6.0
"""Clients within this many points of the best are all offered."""
CANDIDATES = 2000
MIN_NAME_CHARS = 3
"""A shorter "name" ("it", "им") is a pronoun, never a client."""


@dataclass(frozen=True)
class Named:
    lead_id: int
    tenant_id: int
    name: str
    score: float


def names_someone(name: str) -> bool:
    """Whether the words after "I'll take" can be a client's name (not "it", "выходной завтра", "care of it")."""
    words = [word.strip(" ,.!?«»\"'") for word in name.lower().split()]
    words = [word for word in words if word]
    if not words or words[0] in NOT_NAMES or all(word in NOT_NAMES for word in words):
        return False
    return len(_folded(name).replace(" ", "")) >= MIN_NAME_CHARS


def _folded(value: str) -> str:
    return " ".join(anyascii(value).lower().replace("'", "").split())


def _forms(name: str) -> list[str]:
    """The name as written, and without a Russian case ending ("Марию" is also "Мари", "Тома" also "Том")."""
    forms = [_folded(name)]
    lowered = name.lower()
    if len(name.split()) == 1 and len(lowered) >= 4:
        forms += [_folded(lowered[: -len(end)]) for end in RUSSIAN_ENDINGS if lowered.endswith(end)]
    return forms


def _score(wanted: list[str], lead: Lead) -> float:
    names = [lead.name or "", lead.telegram_username or ""]
    best = 0.0
    for name in filter(None, names):
        folded = _folded(name)
        first = folded.split()[0] if folded else ""
        for form in wanted:
            # Whole-word scores only: a partial match would read "it" into "Anita" or "Smith".
            best = max(
                best, fuzz.ratio(form, folded), fuzz.token_sort_ratio(form, folded), fuzz.ratio(form, first)
            )
    return best


async def clients_named(
    session: AsyncSession, telegram_id: int, name: str, *, global_admin: bool = False
) -> list[Named]:
    """The person's clients (an admin: every lead of the agencies they run) whose name fits `name`: one when it
    is clear, several when they are close, none when nothing fits."""
    wanted = _forms(name)
    if not wanted[0] or not names_someone(name):
        return []
    reps = RepRepository(session)
    rep = await reps.current_across_tenants(telegram_id)
    conditions = (
        [Lead.assigned_rep_id == rep.id] if rep is not None and rep.status == RepStatus.ACTIVE else []
    )
    admin_of = [record.tenant_id for record in await reps.admin_records_across_tenants(telegram_id)]
    if global_admin:
        conditions.append(Lead.tenant_id.is_not(None))
    elif admin_of:
        conditions.append(Lead.tenant_id.in_(admin_of))
    if not conditions:
        return []
    rows = await session.execute(
        select(Lead)
        .where(or_(*conditions))
        .order_by(Lead.last_inbound_at.desc().nulls_last(), Lead.id.desc())
        .limit(CANDIDATES)
    )
    scored = [
        Named(lead.id, lead.tenant_id, lead_name(lead), _score(wanted, lead)) for lead in rows.scalars()
    ]
    fitting = sorted((n for n in scored if n.score >= MIN_SCORE), key=lambda n: -n.score)
    if not fitting:
        return []
    best = fitting[0].score
    return [n for n in fitting if n.score >= best - CLOSE][:8]
