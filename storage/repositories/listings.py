"""Write a tenant's catalog: upsert listings from a feed and keep their embeddings current."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.embedder import Embedder
from storage.models import Property, PropertyStatus

Progress = Callable[[int, int], None]
"""Called with (done, total) as embedding advances."""

EMBED_BATCH = 256


@dataclass(frozen=True)
class ListingRecord:
    """One listing as a feed describes it (validated at the edge, see `agent.services.catalog.schema`)."""

    external_id: str
    title: str
    property_type: str
    transaction: str
    price: Decimal
    currency: str
    location: str
    description: str = ""
    price_period: str | None = None
    bedrooms: int | None = None
    bathrooms: Decimal | None = None
    size_m2: Decimal | None = None
    address: str | None = None
    units_available: int = 1
    amenities: tuple[str, ...] = ()
    pets_allowed: bool | None = None
    furnished: bool | None = None
    photos: tuple[str, ...] = ()
    status: str = PropertyStatus.AVAILABLE.value
    language: str = "en"
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """The title and description in other languages, by language code."""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def values(self) -> dict[str, Any]:
        return {
            "external_id": self.external_id,
            "title": self.title,
            "description": self.description,
            "property_type": self.property_type,
            "transaction": self.transaction,
            "price": self.price,
            "currency": self.currency,
            "price_period": self.price_period,
            "bedrooms": self.bedrooms,
            "bathrooms": self.bathrooms,
            "size_m2": self.size_m2,
            "location": self.location,
            "address": self.address,
            "units_available": self.units_available,
            "amenities": list(self.amenities),
            "pets_allowed": self.pets_allowed,
            "furnished": self.furnished,
            "photos": list(self.photos),
            "status": self.status,
            "language": self.language,
            "translations": {code: dict(texts) for code, texts in self.translations.items()},
            "extra": dict(self.extra),
        }


@dataclass(frozen=True)
class UpsertReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    embedded: int = 0


_DOCUMENT_FIELDS = (
    "title",
    "property_type",
    "transaction",
    "location",
    "address",
    "bedrooms",
    "amenities",
    "description",
)


def listing_document(values: Mapping[str, Any]) -> str:
    """The text whose embedding represents a listing: what a lead would describe, not ids or prices."""
    parts = [
        str(values.get("title") or ""),
        f"{values.get('property_type') or ''} for {values.get('transaction') or ''}",
        f"in {values.get('location') or ''}",
    ]
    if values.get("address"):
        parts.append(str(values["address"]))
    if values.get("bedrooms") is not None:
        parts.append(f"{values['bedrooms']} bedrooms")
    if values.get("amenities"):
        parts.append(", ".join(values["amenities"]))
    parts.append(str(values.get("description") or ""))
    return ". ".join(part for part in parts if part.strip())


async def _embed_all(
    embedder: Embedder, documents: Sequence[str], progress: Progress | None
) -> list[list[float]]:
    vectors: list[list[float]] = []
    if progress:
        progress(0, len(documents))
    for start in range(0, len(documents), EMBED_BATCH):
        vectors.extend(await embedder.embed(documents[start : start + EMBED_BATCH]))
        if progress:
            progress(len(vectors), len(documents))
    return vectors


def _same(stored: Any, incoming: Any) -> bool:
    if isinstance(stored, list | tuple) or isinstance(incoming, list | tuple):
        return list(stored or []) == list(incoming or [])
    return bool(stored == incoming)


async def upsert_listings(
    session: AsyncSession,
    tenant_id: int,
    listings: Sequence[ListingRecord],
    embedder: Embedder,
    *,
    progress: Progress | None = None,
) -> UpsertReport:
    """Insert new listings and update changed ones by (tenant, external_id); embed only what changed.

    Runs inside the caller's transaction: the whole batch lands or nothing does.
    """
    if not listings:
        return UpsertReport()
    columns = [getattr(Property, name) for name in listings[0].values()]
    existing: dict[str, dict[str, Any]] = {}
    ids = [listing.external_id for listing in listings]
    for start in range(0, len(ids), 5000):
        found = await session.execute(
            select(
                *columns, Property.embedding_model, Property.embedding.is_(None).label("unembedded")
            ).where(Property.tenant_id == tenant_id, Property.external_id.in_(ids[start : start + 5000]))
        )
        existing.update({row.external_id: dict(row._mapping) for row in found})

    created = updated = unchanged = 0
    to_write: list[dict[str, Any]] = []
    to_embed: list[dict[str, Any]] = []
    for listing in listings:
        values = listing.values()
        stored = existing.get(listing.external_id)
        if stored is None:
            created += 1
        elif all(_same(stored[name], value) for name, value in values.items()):
            if stored["embedding_model"] == embedder.name and not stored["unembedded"]:
                unchanged += 1
                continue
        else:
            updated += 1
        stale = (
            stored is None
            or stored["embedding_model"] != embedder.name
            or stored["unembedded"]
            or listing_document(stored) != listing_document(values)
        )
        (to_embed if stale else to_write).append({"tenant_id": tenant_id, **values})

    vectors = await _embed_all(embedder, [listing_document(row) for row in to_embed], progress)
    for row, vector in zip(to_embed, vectors, strict=True):
        row["embedding"] = vector
        row["embedding_model"] = embedder.name
    for batch in (to_embed, to_write):
        if batch:
            await _upsert(session, batch)
    return UpsertReport(created=created, updated=updated, unchanged=unchanged, embedded=len(to_embed))


async def _upsert(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    statement = insert(Property)
    replaced = {
        name: statement.excluded[name] for name in rows[0] if name not in ("tenant_id", "external_id")
    }
    statement = statement.on_conflict_do_update(
        index_elements=[Property.tenant_id, Property.external_id], set_={**replaced, "updated_at": func.now()}
    )
    for start in range(0, len(rows), 1000):
        await session.execute(statement, rows[start : start + 1000])


async def reembed_stale(
    session: AsyncSession, tenant_id: int | None, embedder: Embedder, *, progress: Progress | None = None
) -> int:
    """Embed every listing whose vector is missing or came from another embedder; returns how many."""
    stale = or_(Property.embedding.is_(None), Property.embedding_model.is_distinct_from(embedder.name))
    scope = [stale] if tenant_id is None else [stale, Property.tenant_id == tenant_id]
    total = (await session.execute(select(func.count()).select_from(Property).where(*scope))).scalar_one()
    if not total:
        return 0
    columns = [Property.id, *(getattr(Property, name) for name in _DOCUMENT_FIELDS)]
    done, last_id = 0, 0
    if progress:
        progress(0, total)
    while True:
        rows = (
            await session.execute(
                select(*columns).where(*scope, Property.id > last_id).order_by(Property.id).limit(EMBED_BATCH)
            )
        ).all()
        if not rows:
            break
        vectors = await embedder.embed([listing_document(dict(row._mapping)) for row in rows])
        await session.execute(
            update(Property).execution_options(synchronize_session=False),
            [
                {"id": row.id, "embedding": vector, "embedding_model": embedder.name}
                for row, vector in zip(rows, vectors, strict=True)
            ],
        )
        done += len(rows)
        last_id = rows[-1].id
        if progress:
            progress(done, total)
    return done
