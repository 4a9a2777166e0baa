"""Where a lead came from: deep-link codes, first-touch source, and prospects who answered outreach."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.leads.scoring import lead_changed
from storage.models import Lead, Prospect, ProspectStatus
from storage.repositories.followups import FollowUpRepository
from storage.repositories.leads import LeadRepository
from storage.repositories.prospects import ProspectRepository

log = logging.getLogger(__name__)

PROSPECT_PREFIX = "p"
"""`p_<prospect id>`: the link outreach sends a prospect (agent.services.jobs.outreach.deep_link)."""


@dataclass(frozen=True)
class DeepLinkSource:
    prefix: str
    source: str
    counter: Literal["qr_scan_count", "catalog_views"] | None
    interaction: str


# The one table of deep-link codes (`t.me/<bot>?start=<code>`). A code is `<prefix>` or
# `<prefix>_<detail>` / `<prefix>-<detail>`, e.g. `expo_dubai2026`, `catalog_villas`, `ref_anna`.
# The first code a lead arrives with sets `source` (first-touch attribution); every scan counts.
DEEP_LINK_SOURCES: tuple[DeepLinkSource, ...] = (
    DeepLinkSource("expo", "expo_qr", "qr_scan_count", "qr_scan"),
    DeepLinkSource("qr", "expo_qr", "qr_scan_count", "qr_scan"),
    DeepLinkSource("catalog", "catalog", "catalog_views", "catalog_view"),
    DeepLinkSource("ref", "referral", None, "referral"),
    DeepLinkSource("web", "website", None, "deep_link"),
    DeepLinkSource("ads", "ads", None, "deep_link"),
    DeepLinkSource("outreach", "outreach", None, "deep_link"),
    DeepLinkSource(PROSPECT_PREFIX, "outreach", None, "prospect_reply"),
)
_DEEP_LINK_CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def deep_link_source(code: str) -> DeepLinkSource | None:
    """The table row of a deep-link code, or None for an unknown or malformed code."""
    if not _DEEP_LINK_CODE.match(code):
        return None
    prefix = re.split(r"[_-]", code.lower(), maxsplit=1)[0]
    return next((row for row in DEEP_LINK_SOURCES if row.prefix == prefix), None)


async def record_source(session: AsyncSession, lead: Lead, code: str, now: datetime) -> str | None:
    """Attribute a deep-link start: count the scan or view, set the first-touch source, rescore.

    A prospect's link (`p_<id>`) also marks that prospect of this tenant as replied and links it to the lead;
    an unknown or another tenant's prospect id is an unknown code.
    Returns the source name, or None when the code is unknown (it is still kept as an interaction).
    """
    code = code.strip()
    if not _DEEP_LINK_CODE.match(code):
        log.info("lead %s: ignored malformed deep-link code", lead.id)
        return None
    row = deep_link_source(code)
    if (
        row is not None
        and row.prefix == PROSPECT_PREFIX
        and not await _prospect_replied(session, lead, code[len(PROSPECT_PREFIX) + 1 :], now)
    ):
        log.info("lead %s: ignored a link to an unknown prospect", lead.id)
        row = None
    if row is not None and row.counter == "qr_scan_count":
        lead.qr_scan_count += 1
    elif row is not None and row.counter == "catalog_views":
        lead.catalog_views += 1
    lead.total_interactions += 1
    if lead.source is None and row is not None:
        lead.source = row.source
        lead.source_code = code
    elif lead.source_code is None:
        lead.source_code = code
    await LeadRepository(session).add_interaction(
        lead,
        type=row.interaction if row else "deep_link",
        direction="inbound",
        now=now,
        meta={"code": code, "source": row.source if row else None},
    )
    await lead_changed(session, lead, now)
    return row.source if row else None


async def _prospect_replied(session: AsyncSession, lead: Lead, prospect_id: str, now: datetime) -> bool:
    """Mark this tenant's prospect as in conversation with `lead`; False when there is no such prospect."""
    if not prospect_id:
        return False
    first_touch = lead.source is None
    prospect = await mark_prospect_replied(
        session,
        prospect_id,
        now=now,
        lead_id=lead.id,
        chat_id=lead.telegram_chat_id,
        tenant_id=lead.tenant_id,
    )
    if prospect is not None and first_touch:
        lead.source, lead.source_code = "outreach", f"{PROSPECT_PREFIX}_{prospect_id}"[:64]
    return prospect is not None


async def mark_prospect_replied(
    session: AsyncSession,
    prospect_id: str,
    *,
    now: datetime,
    lead_id: int | None = None,
    chat_id: int | None = None,
    tenant_id: int | None = None,
) -> Prospect | None:
    """The prospect answered (e.g. started the lead bot with /start p_<id>): IN_CONVERSATION, linked, attributed.

    Open outreach messages to them are cancelled; their lead, when given and unowned, goes to the prospect's rep.
    Returns None for an unknown id (a stale or forged link), or one of another tenant than `tenant_id`.
    """
    repo = ProspectRepository(session)
    prospect = await repo.get(prospect_id, for_update=True, tenant_id=tenant_id)
    if prospect is None:
        return None
    if prospect.status in (ProspectStatus.UNREACHED, ProspectStatus.CONTACTED):
        prospect.status = ProspectStatus.IN_CONVERSATION
    prospect.last_contact_at = now
    if chat_id is not None:
        prospect.telegram_chat_id = chat_id
    if lead_id is not None:
        prospect.lead_id = lead_id
        lead = await session.get(Lead, lead_id)
        if lead is not None and lead.assigned_rep_id is None and prospect.assigned_rep_id is not None:
            lead.assigned_rep_id = prospect.assigned_rep_id
        if lead is not None and not lead.source:
            lead.source, lead.source_code = "prospect", f"{PROSPECT_PREFIX}_{prospect_id}"[:64]
    await FollowUpRepository(session).cancel_open_for_prospect(
        prospect_id, "prospect replied", tenant_id=prospect.tenant_id
    )
    await session.flush()
    return prospect
