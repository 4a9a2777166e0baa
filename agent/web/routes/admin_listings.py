"""/listings (admins): the agency's listings; edit price, currency, status and units; hide and show again."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from agent.services.dashboard.bounds import as_number
from agent.web.deps import FormDep, ServicesDep
from agent.web.errors import BadInput
from agent.web.params import RowId
from agent.web.routes.admin_common import AdminPageDep, money
from agent.web.routes.admin_listing_changes import (
    STATUSES,
    FieldProblem,
    ListingRow,
    checked_edit,
    edit_one,
    listing_page,
    one_listing,
    set_hidden,
)
from agent.web.templating import render

router = APIRouter(include_in_schema=False)

DONE = frozenset({"saved", "nothing_changed", "hidden_done", "unhidden_done", "already_hidden", "not_hidden"})


def _shown(row: ListingRow, language: str) -> dict[str, Any]:
    return {"row": row, "price": money(row.price, row.currency, row.price_period, language)}


def _after(value: str | None) -> int | None:
    """A cursor: a listing's number; anything else is refused (400), like every cursor."""
    number = as_number(value) if value else None
    if value and number is None:
        raise BadInput("after")
    return number


@router.get("/listings")
async def listings(
    request: Request,
    viewer: AdminPageDep,
    services: ServicesDep,
    q: str = "",
    status: str = "",
    after: str | None = None,
    done: str | None = None,
    listing: str | None = None,
) -> Response:
    """The agency's listings, by number, searched by title or ref and filtered by status."""
    async with services.database.session() as session:
        page = await listing_page(session, viewer, query=q[:120], status=status or None, after=_after(after))
    notice = None
    done_id = as_number(listing or "")
    if done in DONE and done_id is not None:
        changed = await one_listing(services, viewer, done_id)
        notice = ("web_admin:" + done, changed.title)
    return render(
        request,
        "admin/listings.html",
        viewer,
        {
            "nav": "listings",
            "items": [_shown(row, viewer.language) for row in page.rows],
            "next_after": page.next_after,
            "paged": after is not None,
            "q": q,
            "status": status if status in STATUSES else "",
            "statuses": STATUSES,
            "notice": notice,
        },
    )


@router.get("/listings/{listing_id}")
async def listing_form(
    request: Request, listing_id: RowId, viewer: AdminPageDep, services: ServicesDep
) -> Response:
    """The edit form of one listing."""
    row = await one_listing(services, viewer, listing_id)
    return _form(request, viewer, row, None, None)


def _form(
    request: Request,
    viewer: Any,
    row: ListingRow,
    values: dict[str, str] | None,
    problem: str | None,
    *,
    status_code: int = 200,
) -> Response:
    shown = values or {
        "price": f"{row.price.normalize():f}",
        "currency": row.currency,
        "status": row.status,
        "units": str(row.units_available),
    }
    return render(
        request,
        "admin/listing.html",
        viewer,
        {
            "nav": "listings",
            **_shown(row, viewer.language),
            "values": shown,
            "statuses": STATUSES,
            "problem": problem,
        },
        status_code=status_code,
    )


@router.post("/listings/{listing_id}")
async def save_listing(
    request: Request, listing_id: RowId, viewer: AdminPageDep, services: ServicesDep, form: FormDep
) -> Response:
    """Save price, currency, status and units through the listing service (the CLI's validation)."""
    values = {name: str(form.get(name) or "").strip() for name in ("price", "currency", "status", "units")}
    try:
        edit = checked_edit(
            price=values["price"],
            currency=values["currency"],
            status=values["status"],
            units=values["units"],
        )
    except FieldProblem as problem:
        row = await one_listing(services, viewer, listing_id)
        return _form(request, viewer, row, values, f"bad_{problem.field}", status_code=400)
    row, changed = await edit_one(services, viewer, listing_id, edit)
    return _back(row, "saved" if changed else "nothing_changed")


@router.post("/listings/{listing_id}/hide")
async def hide(listing_id: RowId, viewer: AdminPageDep, services: ServicesDep, form: FormDep) -> Response:
    """Hide it from leads (kept, with its status for later)."""
    row, changed = await set_hidden(services, viewer, listing_id, hidden=True)
    return _back(row, "hidden_done" if changed else "already_hidden")


@router.post("/listings/{listing_id}/unhide")
async def unhide(listing_id: RowId, viewer: AdminPageDep, services: ServicesDep, form: FormDep) -> Response:
    """Show it to leads again, with the status it had."""
    row, changed = await set_hidden(services, viewer, listing_id, hidden=False)
    return _back(row, "unhidden_done" if changed else "not_hidden")


def _back(row: ListingRow, done: str) -> Response:
    return RedirectResponse(f"/listings?done={done}&listing={row.id}#listing-{row.id}", status_code=303)
