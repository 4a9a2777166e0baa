"""An operator's changes to one listing: edit its price, currency, status, units or title; hide, unhide, delete.

A hidden listing stays in the database but leads never see it (search, details, booking, the catalog's names);
its status before hiding is kept in `extra`, so unhiding gives it back. A listing with viewings cannot be
deleted (their history needs it): hide it instead. Every change moves the listing's `updated_at`, which is what
the catalog-names cache of every process compares.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.agencies import fields
from agent.services.agencies.fields import AgencyFieldError
from storage.embedder import Embedder
from storage.models import Property, PropertyStatus, Tenant, Viewing
from storage.repositories.listings import reembed_stale
from storage.repositories.properties import get_property, property_by_external_id

STATUS_BEFORE_HIDDEN = "status_before_hidden"
"""The key in `extra` that keeps a hidden listing's status for `unhide`."""

STATUSES = tuple(status.value for status in PropertyStatus)


class ListingCommandError(LookupError):
    """A listing that cannot be found or changed as asked; the message says what to do."""


@dataclass(frozen=True)
class ListingEdit:
    """The fields to change, as typed; None leaves a field as it is."""

    price: str | None = None
    currency: str | None = None
    status: str | None = None
    units: int | None = None
    title: str | None = None

    def columns(self) -> dict[str, object]:
        out: dict[str, object] = {}
        if self.price is not None:
            try:
                price = Decimal(self.price.replace(",", "").replace("_", ""))
            except InvalidOperation:
                price = Decimal(-1)
            if not price.is_finite() or price < 0 or price >= Decimal("1e14"):
                raise AgencyFieldError(f"price {self.price!r}: a number of at least 0, e.g. 425000 or 950.50")
            out["price"] = price.quantize(Decimal("0.01"))
        if self.currency is not None:
            out["currency"] = fields.currency(self.currency)
        if self.status is not None:
            status = self.status.strip().lower()
            if status not in STATUSES:
                raise AgencyFieldError(f"status {self.status!r}: use one of {', '.join(STATUSES)}")
            out["status"] = status
        if self.units is not None:
            if self.units < 0:
                raise AgencyFieldError("units left must be 0 or more")
            out["units_available"] = self.units
        if self.title is not None:
            title = " ".join(self.title.split())
            if not title or len(title) > 300:
                raise AgencyFieldError("the title must be 1 to 300 characters")
            out["title"] = title
        return out


async def find_listing(session: AsyncSession, tenant: Tenant, ref: str) -> Property:
    """The agency's listing by its number ("12" or "#12", as `properties search` shows) or its external id."""
    cleaned = ref.strip()
    listing = await property_by_external_id(session, tenant.id, cleaned)
    number = cleaned.lstrip("#")
    if listing is None and number.isdigit() and len(number) < 19:
        listing = await get_property(session, tenant.id, int(number), include_hidden=True)
    if listing is None:
        raise ListingCommandError(
            f"no listing {ref!r} in agency '{tenant.slug}': give its number (#12) or its external id "
            f"(see `realty properties search --tenant {tenant.slug} --include-unavailable`)"
        )
    return listing


async def edit_listing(
    session: AsyncSession, listing: Property, edit: ListingEdit, embedder: Embedder
) -> list[str]:
    """Change the listing; the names of the fields that changed. A new title is embedded at once."""
    columns = edit.columns()
    if not columns:
        raise ListingCommandError("nothing to change: pass --price, --currency, --status, --units or --title")
    changed = [column for column, value in columns.items() if getattr(listing, column) != value]
    if "status" in columns and (columns["status"] == PropertyStatus.HIDDEN) != (
        listing.status == PropertyStatus.HIDDEN
    ):
        extra = {key: value for key, value in (listing.extra or {}).items() if key != STATUS_BEFORE_HIDDEN}
        if columns["status"] == PropertyStatus.HIDDEN:
            extra[STATUS_BEFORE_HIDDEN] = listing.status
        listing.extra = extra
    for column, value in columns.items():
        setattr(listing, column, value)
    if "title" in changed:
        listing.embedding = None  # the title is part of what the vector represents
        listing.embedding_model = None
    await session.flush()
    if "title" in changed:
        await reembed_stale(session, listing.tenant_id, embedder)
    return changed


async def hide_listing(session: AsyncSession, listing: Property) -> bool:
    """Hide it from leads; False when it was hidden already."""
    if listing.status == PropertyStatus.HIDDEN:
        return False
    listing.extra = {**(listing.extra or {}), STATUS_BEFORE_HIDDEN: listing.status}
    listing.status = PropertyStatus.HIDDEN.value
    await session.flush()
    return True


async def unhide_listing(session: AsyncSession, listing: Property) -> bool:
    """Show it to leads again, with the status it had before; False when it was not hidden."""
    if listing.status != PropertyStatus.HIDDEN:
        return False
    extra = dict(listing.extra or {})
    before = str(extra.pop(STATUS_BEFORE_HIDDEN, PropertyStatus.AVAILABLE.value))
    listing.status = before if before in STATUSES and before != PropertyStatus.HIDDEN else "available"
    listing.extra = extra
    await session.flush()
    return True


async def delete_listing(session: AsyncSession, tenant: Tenant, listing: Property) -> None:
    """Delete it for good; refused while viewings refer to it."""
    refusal = ListingCommandError(
        f"listing #{listing.id} ({listing.external_id}) has viewings, which keep it for their history: "
        f"hide it instead (`realty properties hide {listing.id} --tenant {tenant.slug}`)"
    )
    statement = select(func.count()).select_from(Viewing).where(Viewing.property_id == listing.id)
    if (await session.execute(statement)).scalar_one():
        raise refusal
    try:
        async with session.begin_nested():
            await session.delete(listing)
            await session.flush()
    except IntegrityError:  # a viewing booked since the count
        raise refusal from None
