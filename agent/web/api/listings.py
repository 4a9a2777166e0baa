"""/api/v1/listings: read the agency's listings (every caller of the agency); change price, currency, status and
units (admins and integrations), with an ETag so two editors cannot overwrite each other unseen."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict

from agent.services.dashboard.bounds import as_number
from agent.services.web_access import Viewer, audit_refusal
from agent.web.api_auth import ApiViewerDep, api_viewer
from agent.web.deps import ServicesDep, services_of
from agent.web.errors import BadForm, Forbidden, problem
from agent.web.params import RowId
from agent.web.routes.admin_listing_changes import (
    PAGE_SIZE,
    FieldProblem,
    ListingRow,
    StaleListing,
    checked_edit,
    edit_one,
    listing_page,
    one_listing,
)

router = APIRouter(prefix="/api/v1", tags=["listings"])


async def listing_editor(request: Request, viewer: Annotated[Viewer, Depends(api_viewer)]) -> Viewer:
    """An admin or an integration of the agency; a rep is refused, and the refusal audited."""
    if not viewer.sees_whole_agency:
        services = services_of(request)
        await audit_refusal(
            services.database, services.clock, viewer, "listing.edit", request.url.path, "not_admin"
        )
        raise Forbidden("admins and integrations only")
    return viewer


ListingEditorDep = Annotated[Viewer, Depends(listing_editor)]


class Listing(BaseModel):
    """A listing of the agency, as leads are offered it (hidden: kept, but never shown to leads)."""

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

    @classmethod
    def of(cls, row: ListingRow) -> Listing:
        return cls(
            id=row.id,
            external_id=row.external_id,
            title=row.title,
            price=row.price,
            currency=row.currency,
            price_period=row.price_period,
            status=row.status,
            units_available=row.units_available,
            location=row.location,
            updated_at=row.updated_at,
        )


class ListingList(BaseModel):
    """One page; pass `next_cursor` as `cursor` for the next (null: this was the last)."""

    items: list[Listing]
    next_cursor: str | None


class ListingChange(BaseModel):
    """The fields to change; the ones left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    price: Decimal | None = None
    currency: str | None = None
    status: str | None = None
    units: int | None = None


class ListingChanged(BaseModel):
    listing: Listing
    changed: list[str]


def _with_etag(body: BaseModel, row: ListingRow, status_code: int = 200) -> JSONResponse:
    return JSONResponse(body.model_dump(mode="json"), status_code=status_code, headers={"ETag": row.etag})


@router.get("/listings", response_model=ListingList)
async def list_listings(
    viewer: ApiViewerDep,
    services: ServicesDep,
    cursor: str | None = None,
    status: str | None = None,
    q: Annotated[str, Query(max_length=120)] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = PAGE_SIZE,
) -> ListingList:
    """The agency's listings in id order (hidden ones too), by cursor; `q` searches title and ref."""
    after = as_number(cursor) if cursor else None
    if cursor and after is None:
        raise BadForm("unknown cursor")
    async with services.database.session() as session:
        page = await listing_page(session, viewer, query=q, status=status, after=after, limit=limit)
    next_cursor = str(page.next_after) if page.next_after is not None else None
    return ListingList(items=[Listing.of(row) for row in page.rows], next_cursor=next_cursor)


@router.get("/listings/{listing_id}", response_model=Listing)
async def get_listing(
    listing_id: RowId,
    viewer: ApiViewerDep,
    services: ServicesDep,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """One listing, with its ETag (send it back as If-Match when you change it)."""
    row = await one_listing(services, viewer, listing_id)
    if if_none_match is not None and if_none_match.strip() == row.etag:
        return Response(status_code=304, headers={"ETag": row.etag})
    return _with_etag(Listing.of(row), row)


@router.patch("/listings/{listing_id}", response_model=ListingChanged)
async def patch_listing(
    listing_id: RowId,
    change: ListingChange,
    viewer: ListingEditorDep,
    services: ServicesDep,
    if_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Change price, currency, status or units, validated as `realty properties edit` does; audited.

    With If-Match, the change is made only if the listing is still as that ETag says; else 412 and the current ETag.
    """
    try:
        edit = checked_edit(
            price=str(change.price) if change.price is not None else None,
            currency=change.currency,
            status=change.status,
            units=change.units,
        )
    except FieldProblem as bad:
        return problem(422, "invalid field", f"invalid {bad.field}", field=bad.field)
    try:
        row, changed = await edit_one(services, viewer, listing_id, edit, if_match=if_match)
    except StaleListing as stale:
        response = problem(412, "precondition failed", "listing changed")
        response.headers["ETag"] = stale.current.etag
        return response
    return _with_etag(ListingChanged(listing=Listing.of(row), changed=changed), row)
