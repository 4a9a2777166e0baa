"""A small, hand-built history of the agency "tre" (and one lead of "other") whose analytics are known exactly.

Anna's leads arrived five days before now (the frozen clock), Boris's one too, and Anna has one lead from
100 days ago (outside a 30-day period). Figures the tests expect are written beside the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.adapters.embeddings import HashingEmbedder
from storage.db import Database
from storage.models import (
    AuditLog,
    FollowUpSend,
    FollowUpSequence,
    FollowUpStep,
    Lead,
    LeadAlert,
    LeadInteraction,
    Property,
    Viewing,
)
from storage.repositories.listings import ListingRecord, upsert_listings
from tests.web.web_support import ANNA, BORIS, OTTO, Agencies

S = timedelta(seconds=1)
H = timedelta(hours=1)
D = timedelta(days=1)


@dataclass
class History:
    leads: dict[str, int]
    step1: int
    step2: int


async def _listing(session: AsyncSession, tenant_id: int) -> int:
    record = ListingRecord(
        external_id="villa-sunset",
        title="Villa Sunset",
        property_type="villa",
        transaction="sale",
        price=Decimal(450_000),
        currency="USD",
        location="Canggu",
    )
    await upsert_listings(session, tenant_id, [record], HashingEmbedder())
    found = await session.execute(
        select(Property.id).where(Property.tenant_id == tenant_id, Property.external_id == record.external_id)
    )
    return int(found.scalar_one())


async def build_history(database: Database, agencies: Agencies, now: datetime) -> History:
    """The history; see the module docstring and the comments for what each piece should count as."""
    tre = agencies.tre.id
    anna, boris = agencies.rep(ANNA), agencies.rep(BORIS)
    arrived = now - 5 * D
    t0 = arrived + H
    async with database.session() as session:
        listing = await _listing(session, tre)

        def lead(
            name: str,
            rep: object,
            status: str,
            temperature: str,
            source: str | None,
            code: str | None,
            phone: str | None = None,
            *,
            tenant: int = tre,
            created: datetime = arrived,
        ) -> Lead:
            row = Lead(
                tenant_id=tenant,
                telegram_user_id=5000 + len(session.new),
                name=name,
                status=status,
                temperature=temperature,
                source=source,
                source_code=code,
                phone=phone,
                assigned_rep_id=getattr(rep, "id", None),
                created_at=created,
                extra={},
            )
            session.add(row)
            return row

        leads = {
            # Anna's: funnel new 5, qualified 4, contact 3, viewing 2, won 1, lost 1.
            "l1": lead("Lena", anna, "new", "cold", "expo_qr", "EXPO1"),
            "l2": lead("Mark", anna, "qualified", "warm", "expo_qr", "EXPO1"),
            "l3": lead("Nina", anna, "lost", "hot", "catalog", None, "+6281100000003"),
            "l4": lead("Omar", anna, "viewing_scheduled", "hot", "referral", None, "+6281100000004"),
            "l5": lead("Pia", anna, "won", "burning", "expo_qr", "EXPO2", "+6281100000005"),
            # Boris's: contact captured (its status says so).
            "l6": lead("Rob", boris, "contact_captured", "warm", "catalog", None),
            # Anna's, long ago: outside the period.
            "old": lead("Vera", anna, "won", "hot", "expo_qr", "EXPO1", created=now - 100 * D),
            # Another agency's: never seen by tre.
            "x": lead("Xan", agencies.rep(OTTO), "won", "hot", "expo_qr", "EXPO1", tenant=agencies.other.id),
        }
        await session.flush()
        ids = {key: row.id for key, row in leads.items()}
        for key in ("l4", "l5"):
            session.add(
                Viewing(
                    tenant_id=tre,
                    lead_id=ids[key],
                    property_id=listing,
                    rep_id=anna.id,
                    starts_at=now + D,
                    ends_at=now + D + H,
                    time_zone="Asia/Makassar",
                    status="scheduled",
                    extra={},
                )
            )

        def said(
            key: str, direction: str, at: datetime, channel: str = "telegram", kind: str = "message"
        ) -> None:
            tenant = agencies.other.id if key == "x" else tre
            session.add(
                LeadInteraction(
                    tenant_id=tenant,
                    lead_id=ids[key],
                    type=kind,
                    channel=channel,
                    direction=direction,
                    meta={},
                    created_at=at,
                )
            )

        # First replies: Anna's 60, 120, 300 s (median 120) and Omar still waiting; Boris's 30 s.
        said("l1", "inbound", t0)
        said("l1", "outbound", t0 + 60 * S)
        said("l2", "outbound", t0 - 100 * S)  # a message before the lead wrote is no reply
        said("l2", "inbound", t0)
        said("l2", "outbound", t0 + 120 * S)
        said("l3", "inbound", t0)
        said("l3", "outbound", t0 + 300 * S)
        said("l4", "inbound", t0)
        said("l6", "inbound", t0, channel="whatsapp")
        said("l6", "outbound", t0 + 30 * S, channel="whatsapp")
        said("x", "inbound", t0)
        said("x", "outbound", t0 + S)

        # Hot alerts: Omar's answered by a team-bot action after 120 s, Pia's by Anna on the web after 600 s
        # (Boris touching it after 60 s does not count), Nina's not yet: median 360 s, p90 552 s, waiting 1.
        alerted = arrived + 2 * H
        for key, kind in (("l3", "phone_captured"), ("l4", "burning"), ("l5", "burning")):
            session.add(
                LeadAlert(
                    tenant_id=tre,
                    lead_id=ids[key],
                    kind=kind,
                    payload={},
                    created_at=alerted,
                    delivered_at=alerted,
                )
            )
        said("l4", "internal", alerted + 120 * S, channel="team_bot", kind="rep_action")
        session.add(
            AuditLog(
                tenant_id=tre,
                actor_telegram_id=BORIS,
                action="lead.note",
                target=f"lead:{ids['l5']}",
                allowed=True,
                created_at=alerted + 60 * S,
            )
        )
        session.add(
            AuditLog(
                tenant_id=tre,
                actor_telegram_id=ANNA,
                action="lead.note",
                target=f"lead:{ids['l5']}",
                allowed=True,
                created_at=alerted + 600 * S,
            )
        )

        # A warm sequence of two steps. Anna: step 1 sent 2, replied 1 (Lena); step 2 sent 2, replied 1 (Mark).
        # Boris: step 1 sent 1, replied 0.
        sequence = FollowUpSequence(tenant_id=tre, name="Warm", temperature="warm", active=True)
        session.add(sequence)
        await session.flush()
        step1 = FollowUpStep(sequence_id=sequence.id, position=1, delay_minutes=60, purpose="check in")
        step2 = FollowUpStep(sequence_id=sequence.id, position=2, delay_minutes=1440, purpose="nudge")
        session.add_all([step1, step2])
        await session.flush()

        def sent(key: str, step_key: str, at: datetime, status: str = "sent") -> None:
            session.add(
                FollowUpSend(
                    tenant_id=tre,
                    lead_id=ids[key],
                    step_key=step_key,
                    status=status,
                    due_at=at,
                    sent_at=at if status == "sent" else None,
                    created_at=at,
                )
            )

        s1, s2 = arrived + D, arrived + 2 * D
        sent("l1", f"seq:{step1.id}", s1)
        said("l1", "inbound", s1 + H)
        sent("l1", f"seq:{step2.id}", s2)
        sent("l2", f"seq:{step2.id}", s2)
        sent("l2", f"seq:{step1.id}", s1)
        said("l2", "inbound", s2 + H)
        sent("l6", f"seq:{step1.id}", s1)
        sent("l6", "reminder:1:24", s1 + H)  # a viewing reminder: not a follow-up
        sent("l1", "seq:999999", s2 + H, status="pending")  # not sent

        # Ghost Protocol: Nina nudged and back in 2 h (worked); Rob nudged, back after 30 h (too late).
        g = arrived + 3 * D
        sent("l3", f"ghost:{int(t0.timestamp())}", g)
        said("l3", "inbound", g + 2 * H)
        sent("l6", f"ghost:{int(t0.timestamp())}", arrived + 36 * H)
        said("l6", "inbound", arrived + 66 * H, channel="whatsapp")
        await session.flush()
        return History(leads=ids, step1=step1.id, step2=step2.id)
