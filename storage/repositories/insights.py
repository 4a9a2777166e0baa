"""What a lead's insight reads besides the lead row and the catalog, in one statement (a lead's turn pays it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncSession

_GATHER = text(
    """
    SELECT
      (SELECT time_zone FROM tenants WHERE id = :tenant) AS tenant_zone,
      (SELECT coalesce(json_agg(t ORDER BY t.created_at, t.id), '[]')
         FROM (SELECT id, type, direction, text, metadata, created_at FROM lead_interactions
                WHERE lead_id = :lead AND tenant_id = :tenant
                ORDER BY created_at DESC, id DESC LIMIT :latest) t) AS latest,
      (SELECT coalesce(json_agg(DISTINCT s.id), '[]') FROM (
          SELECT jsonb_array_elements_text(metadata -> 'property_ids') AS id FROM lead_interactions
           WHERE lead_id = :lead AND tenant_id = :tenant AND type = 'listings_shown'
             AND jsonb_typeof(metadata -> 'property_ids') = 'array'
          UNION ALL
          SELECT metadata ->> 'property_id' FROM lead_interactions
           WHERE lead_id = :lead AND tenant_id = :tenant AND type = 'listing_sent' AND metadata ? 'property_id'
      ) s) AS shown,
      (SELECT coalesce(json_agg(json_build_object('id', id, 'text', question, 'at', asked_at) ORDER BY asked_at), '[]')
         FROM lead_questions WHERE lead_id = :lead AND tenant_id = :tenant AND status = 'open') AS questions,
      (SELECT coalesce(json_agg(json_build_object('status', status, 'at', starts_at)), '[]')
         FROM viewings WHERE lead_id = :lead AND tenant_id = :tenant) AS viewings,
      (SELECT content -> 'action' FROM lead_insights WHERE lead_id = :lead AND tenant_id = :tenant) AS last_action
    """
)


class InsightRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def gather(self, tenant_id: int, lead_id: int, latest: int) -> Row[Any]:
        """The agency's zone; the lead's latest interactions (JSON, oldest first); the ids of every listing shown or
        sent to them; their open questions; their viewings; and the action of their stored insight."""
        result = await self.session.execute(_GATHER, {"lead": lead_id, "tenant": tenant_id, "latest": latest})
        return result.one()
