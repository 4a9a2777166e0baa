"""The catalog's names for the sales turn: areas, listing names and places, read once per catalog version.

A turn asks for the areas anyway (one statement); the same statement says whether the catalog changed since the
names were learnt, and only then are the listings read again (one more statement, the first turn of a process
and after an import).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.listing_names import CatalogNames, build_catalog_names
from storage.repositories.properties import catalog_name_rows, catalog_stamp

MAX_TENANTS = 64
"""Tenants whose names one process keeps (least recently used dropped first)."""


@dataclass
class CatalogNamesCache:
    """Per process: each tenant's CatalogNames with the catalog version they were built from."""

    entries: OrderedDict[int, tuple[str, CatalogNames]] = field(default_factory=OrderedDict)

    async def names(self, session: AsyncSession, tenant_id: int) -> CatalogNames:
        stamp = await catalog_stamp(session, tenant_id)
        cached = self.entries.get(tenant_id)
        if cached is not None and cached[0] == stamp.version:
            self.entries.move_to_end(tenant_id)
            return cached[1]
        rows = await catalog_name_rows(session, tenant_id) if stamp.areas else []
        names = build_catalog_names(rows)
        names.areas = tuple(stamp.areas)
        self.entries[tenant_id] = (stamp.version, names)
        while len(self.entries) > MAX_TENANTS:
            self.entries.popitem(last=False)
        return names


_CACHE = CatalogNamesCache()


async def catalog_names(session: AsyncSession, tenant_id: int) -> CatalogNames:
    """The tenant's catalog names (areas in alphabetical order among them), current as of this transaction."""
    return await _CACHE.names(session, tenant_id)
