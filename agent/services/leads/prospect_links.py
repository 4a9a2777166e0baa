"""Prospects' deep links: `t.me/<lead bot>?start=p_<token>`, usable only by the prospect it was made for.

The token is random and per prospect (`Prospect.link_token`, 144 bits from `secrets`, minted when the prospect
is stored), not derived from the prospect's id, so a link can be neither guessed nor forged from an id. No
server key is involved, so links work on an install without TOKEN_ENCRYPTION_KEY and survive its rotation.
The token is kept in the clear because the same link is written into every card and e-mail outreach plans
(the ledger keeps those texts); what protects it is that it is known only to the rep and the prospect.

Where the prospect's Telegram account is known (`telegram_id`: @username or numeric user id, or a chat id
from an earlier conversation), the link is bound to it; a prospect already linked to one lead is not taken
over by another. Any refused link is audited, and the sender is answered as a new lead.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Lead, Prospect, Tenant
from storage.repositories.audit import AuditRepository
from storage.repositories.prospects import ProspectRepository

log = logging.getLogger(__name__)

PROSPECT_PREFIX = "p"
"""`p_<link token>`: the /start code of a prospect's link."""
REFUSED_ACTION = "prospect.link_refused"
"""Audit action of a prospect link that was not honoured."""

_USERNAME = re.compile(r"^(?:https?://)?(?:t\.me/)?@?([A-Za-z][A-Za-z0-9_]{3,31})$")
_USER_ID = re.compile(r"^[0-9]{1,20}$")

RefusalReason = Literal["unknown_link", "another_account", "linked_to_another_lead"]


@dataclass(frozen=True)
class LinkClaim:
    """The outcome of a prospect link: the prospect when honoured, else why it was refused."""

    prospect: Prospect | None
    refused: RefusalReason | None = None


def prospect_start_code(prospect: Prospect) -> str:
    """The /start code of this prospect's link (at most 64 characters of [A-Za-z0-9_-], as Telegram wants)."""
    return f"{PROSPECT_PREFIX}_{prospect.link_token}"


def prospect_deep_link(tenant: Tenant, prospect: Prospect) -> str | None:
    """t.me link that starts the tenant's lead bot for this prospect; None while the bot has no username."""
    if not tenant.lead_bot_username:
        return None
    return f"https://t.me/{tenant.lead_bot_username.lstrip('@')}?start={prospect_start_code(prospect)}"


def _account_mismatch(prospect: Prospect, lead: Lead) -> bool:
    """True when the prospect's known Telegram account is not the lead's (unknown accounts never mismatch)."""
    handle = (prospect.telegram_id or "").strip()
    if _USER_ID.match(handle):
        return lead.telegram_user_id != int(handle)
    username = _USERNAME.match(handle)
    if username is not None:
        theirs = (lead.telegram_username or "").lstrip("@").lower()
        return theirs != username.group(1).lower()
    if prospect.telegram_chat_id is not None and prospect.telegram_chat_id > 0:
        return lead.telegram_chat_id != prospect.telegram_chat_id
    return False


async def claim_prospect_link(session: AsyncSession, lead: Lead, token: str, now: datetime) -> LinkClaim:
    """The prospect (locked) whose link `lead` started the bot with, when it is theirs to use.

    Refused (unknown or forged token, the old `p_<prospect id>` form, another Telegram account, a prospect
    already linked to another lead): audited with the sender, the tenant and the target; nothing changes.
    """
    prospect = await ProspectRepository(session).by_link_token(lead.tenant_id, token, for_update=True)
    reason: RefusalReason | None = None
    if prospect is None:
        reason = "unknown_link"
    elif prospect.lead_id is not None and prospect.lead_id != lead.id:
        reason = "linked_to_another_lead"
    elif _account_mismatch(prospect, lead):
        reason = "another_account"
    if reason is None:
        return LinkClaim(prospect)
    target = f"prospect:{prospect.id}" if prospect is not None else f"{PROSPECT_PREFIX}_{token}"
    await AuditRepository(session).record(
        action=REFUSED_ACTION,
        now=now,
        actor_telegram_id=lead.telegram_user_id,
        tenant_id=lead.tenant_id,
        target=target[:255],
        allowed=False,
        detail=f"{reason}; lead {lead.id}",
    )
    log.warning("lead %s: refused a prospect link (%s)", lead.id, reason)
    return LinkClaim(None, reason)
