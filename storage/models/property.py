"""A listing in a tenant's catalog, with its embedding for semantic search."""

from __future__ import annotations

from decimal import Decimal

from pgvector.sqlalchemy import HALFVEC, Vector
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Computed,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import EMBEDDING_DIM, Base, Timestamped

_COVERED = ["id", "units_available", "currency", "bathrooms", "pets_allowed", "furnished"]
_COVERED += ["embedding_model", "embedding_half"]
"""Columns the search indexes carry beyond their keys, so an exact scan never reads the table."""


class Property(Timestamped, Base):
    __tablename__ = "properties"
    __table_args__ = (
        UniqueConstraint("tenant_id", "external_id"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("units_available >= 0", name="units_not_negative"),
        # Exact search reads only these indexes (index-only scans): the filters are checked inside them and the
        # half-precision vector travels with each entry, so ranking thousands of candidates touches no table page.
        Index(
            "ix_properties_filters",
            "tenant_id",
            "status",
            "transaction",
            "property_type",
            "bedrooms",
            "price",
            postgresql_include=[*_COVERED, "location"],
        ),
        Index(
            "ix_properties_tenant_location",
            "tenant_id",
            text("lower(location)"),
            "transaction",
            "property_type",
            "bedrooms",
            "price",
            postgresql_include=[*_COVERED, "status", "location"],
        ),
        # Half-precision graph: half the size, so more of it stays in shared buffers; search re-ranks the
        # candidates it returns by the full-precision distance.
        Index(
            "ix_properties_embedding_hnsw",
            "embedding_half",
            postgresql_using="hnsw",
            postgresql_with={"m": 16, "ef_construction": 128},
            postgresql_ops={"embedding_half": "halfvec_cosine_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(120), doc="The listing's id in the tenant's own feed.")
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    property_type: Mapped[str] = mapped_column(String(20))
    transaction: Mapped[str] = mapped_column(String(8))
    price: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    currency: Mapped[str] = mapped_column(String(3))
    price_period: Mapped[str | None] = mapped_column(String(8), doc="month | year for rentals, null for sale")
    bedrooms: Mapped[int | None]
    bathrooms: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    size_m2: Mapped[Decimal | None] = mapped_column(Numeric(10, 1))
    location: Mapped[str] = mapped_column(String(120), doc="Area or city, as leads name it.")
    address: Mapped[str | None] = mapped_column(String(300))
    units_available: Mapped[int] = mapped_column(default=1)
    amenities: Mapped[list[str]] = mapped_column(ARRAY(String), default=list)
    pets_allowed: Mapped[bool | None] = mapped_column(Boolean)
    furnished: Mapped[bool | None] = mapped_column(Boolean)
    photos: Mapped[list[str]] = mapped_column(ARRAY(String), default=list)
    status: Mapped[str] = mapped_column(String(16), default="available")
    language: Mapped[str] = mapped_column(String(8), default="en")
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(
        JSONB,
        default=dict,
        server_default=text("'{}'::jsonb"),
        doc='The title and description in other languages: {"ru": {"title": ..., "description": ...}}.',
    )
    extra: Mapped[dict[str, object]] = mapped_column(JSONB, default=dict)
    embedding: Mapped[list[float] | None] = mapped_column(Vector(EMBEDDING_DIM))
    embedding_model: Mapped[str | None] = mapped_column(String(120))
    embedding_half: Mapped[object | None] = mapped_column(
        HALFVEC(EMBEDDING_DIM),
        Computed(f"embedding::halfvec({EMBEDDING_DIM})", persisted=True),
        deferred=True,
        doc="`embedding` in half precision, kept by PostgreSQL: what the HNSW graph and the covering indexes hold.",
    )
