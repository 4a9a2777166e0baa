"""Validate raw rows into listings (one clear error per rejected row) and write the valid ones in one go."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from agent.services.catalog.readers import RawCatalog
from agent.services.catalog.schema import COLUMNS, ListingIn
from storage.repositories.listings import ListingRecord, Progress, UpsertReport, upsert_listings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from agent.adapters.embeddings import Embedder


@dataclass(frozen=True)
class RowError:
    line: int
    label: str
    """"line 7" or "line 3 (dialogue 3_00111, listing 2)"."""
    external_id: str | None
    reason: str


@dataclass
class ValidatedCatalog:
    listings: list[ListingRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.errors)


def _describe(error: ValidationError) -> str:
    reasons = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "missing":
            message = "is required"
        elif item["type"] == "enum":
            message = message.replace("Input should be", "must be one of")
        elif item["type"] in (
            "int_parsing",
            "decimal_parsing",
            "bool_parsing",
            "int_from_float",
        ) and not isinstance(item.get("input"), dict | list):
            message = f"{message} (got {item['input']!r})"
        reasons.append(f"{where}: {message}" if where else message)
    return "; ".join(reasons)


def _with_extra(data: dict[str, Any]) -> dict[str, Any]:
    """Columns we do not know go into the listing's `extra`, so nothing the feed said is lost."""
    known = {key: value for key, value in data.items() if key in COLUMNS}
    extra = data.get("extra")
    extra = dict(extra) if isinstance(extra, dict) else {}
    extra.update({key: value for key, value in data.items() if key not in COLUMNS and key != "extra"})
    if extra:
        known["extra"] = {key: value for key, value in extra.items() if value not in (None, "")}
    return known


def validate_catalog(raw: RawCatalog, *, default_currency: str | None = None) -> ValidatedCatalog:
    """Every row either becomes a listing or an error naming its line and reason; duplicates are errors."""
    result = ValidatedCatalog()
    first_line: dict[str, int] = {}
    context = {"default_currency": default_currency}
    for row in raw.rows:
        external_id = row.data.get("external_id") if isinstance(row.data, dict) else None
        external_id = str(external_id).strip() if external_id not in (None, "") else None
        if row.error is not None:
            result.errors.append(RowError(row.line, row.label, external_id, row.error))
            continue
        data = _with_extra(row.data) if isinstance(row.data, dict) else row.data
        try:
            listing = ListingIn.model_validate(data, context=context)
        except ValidationError as exc:
            result.errors.append(RowError(row.line, row.label, external_id, _describe(exc)))
            continue
        if listing.external_id in first_line:
            reason = f"duplicate external_id {listing.external_id!r} (first on line {first_line[listing.external_id]})"
            result.errors.append(RowError(row.line, row.label, listing.external_id, reason))
            continue
        first_line[listing.external_id] = row.line
        result.listings.append(listing.to_record())
    return result


async def import_listings(
    session: AsyncSession,
    tenant_id: int,
    catalog: ValidatedCatalog,
    embedder: Embedder,
    *,
    progress: Progress | None = None,
) -> UpsertReport:
    """Upsert the valid listings by (tenant, external_id) in the caller's transaction: re-import is a no-op."""
    return await upsert_listings(session, tenant_id, catalog.listings, embedder, progress=progress)
