"""The agency's listings as the admin page and the API read and change them.

Changes go through the CLI's own service (agent.services.agencies.listings: same validation, same hide/unhide
rules), in one transaction with their audit row. Reads are one keyset-paginated statement.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.agencies.fields import AgencyFieldError
from agent.services.agencies.listings import ListingEdit, edit_listing, hide_listing, unhide_listing
from agent.services.dashboard.bounds import INT32_MAX, as_number
from agent.services.provider import Services
from agent.services.web_access import Viewer, audit_change, audit_refusal
from agent.web.errors import NotFound
from storage.models import Property, PropertyStatus

PAGE_SIZE = 50
STATUSES = tuple(status.value for status in PropertyStatus)
Field = Literal["price", "currency", "status", "units"]


class FieldProblem(ValueError):
    """One field of an edit the listing service refuses; `field` names it."""

    def __init__(self, field: Field) -> None:
        super().__init__(f"invalid {field}")
        self.field = field


class StaleListing(Exception):
    """The listing changed since the caller read it (its ETag no longer matches)."""

    def __init__(self, current: ListingRow) -> None:
        super().__init__(f"listing {current.id} changed")
        self.current = current


@dataclass(frozen=True)
class ListingRow:
    """What the admin page and the API show of a listing."""

    id: int
    external_id: str
    title: str
    price: Decimal
    currency: str
    price_period: str | None
    status: str
    units_available: int
    location: str
    updated_at: datetime

    @property
    def etag(self) -> str:
        """A strong ETag of what an edit can change (and of when it last changed)."""
        state = "|".join(
            str(value)
            for value in (
                self.id,
                self.title,
                self.price,
                self.currency,
                self.status,
                self.units_available,
                self.updated_at.isoformat(),
            )
        )
        return '"' + hashlib.sha256(state.encode()).hexdigest()[:24] + '"'

    @classmethod
    def of(cls, listing: Property) -> ListingRow:
        return cls(
            id=listing.id,
            external_id=listing.external_id,
            title=listing.title,
            price=listing.price,
            currency=listing.currency,
            price_period=listing.price_period,
            status=listing.status,
            units_available=listing.units_available,
            location=listing.location,
            updated_at=listing.updated_at,
        )


_COLUMNS = (
    Property.id,
    Property.external_id,
    Property.title,
    Property.price,
    Property.currency,
    Property.price_period,
    Property.status,
    Property.units_available,
    Property.location,
    Property.updated_at,
)


@dataclass(frozen=True)
class ListingPage:
    rows: list[ListingRow]
    next_after: int | None
    """The last id of this page when another page follows (the keyset cursor)."""


def _matching(query: str) -> ColumnElement[bool]:
    """A title containing the words, or the ref: its number (12, #12) or the start of its external id."""
    cleaned = query.strip()
    escaped = cleaned.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    found: list[ColumnElement[bool]] = [
        Property.title.ilike(f"%{escaped}%", escape="\\"),
        Property.external_id.ilike(f"{escaped}%", escape="\\"),
    ]
    number = as_number(cleaned.lstrip("#"))
    if number is not None:
        found.append(Property.id == number)
    return or_(*found)


async def listing_page(
    session: AsyncSession,
    viewer: Viewer,
    *,
    query: str = "",
    status: str | None = None,
    after: int | None = None,
    limit: int = PAGE_SIZE,
) -> ListingPage:
    """One page of the viewer's agency's listings in id order, hidden ones included; one statement."""
    statement = select(*_COLUMNS).where(Property.tenant_id == viewer.tenant_id)
    if status in STATUSES:
        statement = statement.where(Property.status == status)
    if query.strip():
        statement = statement.where(_matching(query))
    if after is not None:
        statement = statement.where(Property.id > after)
    rows = [
        ListingRow(**row._mapping)
        for row in await session.execute(statement.order_by(Property.id).limit(limit + 1))
    ]
    more = len(rows) > limit
    rows = rows[:limit]
    return ListingPage(rows, rows[-1].id if more else None)


async def _locked(session: AsyncSession, viewer: Viewer, listing_id: int) -> Property:
    statement = (
        select(Property)
        .where(Property.tenant_id == viewer.tenant_id, Property.id == listing_id)
        .with_for_update()
    )
    listing = (await session.execute(statement)).scalar_one_or_none()
    if listing is None:
        raise NotFound(f"no listing {listing_id}")
    return listing


async def one_listing(services: Services, viewer: Viewer, listing_id: int) -> ListingRow:
    """A listing of the viewer's agency (hidden or not); NotFound for any other."""
    async with services.database.session() as session:
        statement = select(*_COLUMNS).where(Property.tenant_id == viewer.tenant_id, Property.id == listing_id)
        row = (await session.execute(statement)).one_or_none()
    if row is None:
        await audit_refusal(
            services.database,
            services.clock,
            viewer,
            "listing.view",
            f"listing:{listing_id}",
            "not_in_agency",
        )
        raise NotFound(f"no listing {listing_id}")
    return ListingRow(**row._mapping)


def checked_edit(
    *, price: str | None, currency: str | None, status: str | None, units: str | int | None
) -> ListingEdit:
    """The edit as the listing service validates it, each field on its own so a refusal names the field."""
    if isinstance(units, str):
        units = as_number(units.strip())
        if units is None or units > INT32_MAX:  # the column is an integer
            raise FieldProblem("units")
    edit = ListingEdit(
        price=price,
        currency=currency,
        status=status,
        units=units,
    )
    for field, single in (
        ("price", ListingEdit(price=edit.price)),
        ("currency", ListingEdit(currency=edit.currency)),
        ("status", ListingEdit(status=edit.status)),
        ("units", ListingEdit(units=edit.units)),
    ):
        try:
            single.columns()
        except AgencyFieldError:
            raise FieldProblem(field) from None  # type: ignore[arg-type]
    return edit


async def edit_one(
    services: Services, viewer: Viewer, listing_id: int, edit: ListingEdit, *, if_match: str | None = None
) -> tuple[ListingRow, list[str]]:
    """Apply the edit (after an If-Match check, when given); the listing after it and the fields that changed."""
    async with services.database.session() as session:
        listing = await _locked(session, viewer, listing_id)
        if if_match is not None and if_match.strip() not in ("*", ListingRow.of(listing).etag):
            raise StaleListing(ListingRow.of(listing))
        changed = await edit_listing(session, listing, edit, services.embedder) if edit.columns() else []
        if changed:
            await audit_change(
                session, services.clock, viewer, "listing.edit", f"listing:{listing.id}", ", ".join(changed)
            )
            await session.refresh(listing)
        return ListingRow.of(listing), changed


async def set_hidden(
    services: Services, viewer: Viewer, listing_id: int, *, hidden: bool
) -> tuple[ListingRow, bool]:
    """Hide the listing from leads, or show it again; whether anything changed."""
    async with services.database.session() as session:
        listing = await _locked(session, viewer, listing_id)
        changed = await (hide_listing(session, listing) if hidden else unhide_listing(session, listing))
        if changed:
            action = "listing.hide" if hidden else "listing.unhide"
            await audit_change(session, services.clock, viewer, action, f"listing:{listing.id}")
            await session.refresh(listing)
        return ListingRow.of(listing), changed
