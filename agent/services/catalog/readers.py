"""Read listing files (CSV, JSON, JSON Lines, SGD Homes dialogues) into raw rows that remember their line.

A file that cannot be read as a whole (missing, not UTF-8, malformed JSON or CSV, no header) raises
CatalogFileError; a single bad row is left for validation to report with its line number.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from agent.services.catalog.schema import COLUMNS, REQUIRED_COLUMNS

FileFormat = Literal["csv", "json", "sgd"]


class CatalogFileError(Exception):
    """The file cannot be read at all; nothing was imported."""


@dataclass(frozen=True)
class RawRow:
    line: int
    data: Any
    where: str = ""
    """Extra position detail, e.g. "dialogue 3_00111, listing 2"."""
    error: str | None = None
    """Set when the row could not even be parsed (a malformed JSON line)."""

    @property
    def label(self) -> str:
        return f"line {self.line}" + (f" ({self.where})" if self.where else "")


@dataclass
class RawCatalog:
    format: FileFormat
    rows: list[RawRow]
    warnings: list[str] = field(default_factory=list)
    merged_duplicates: int = 0
    """Identical listings seen more than once in the file (SGD dialogues repeat them) and kept once."""


def read_catalog(path: Path, fmt: FileFormat | None = None) -> RawCatalog:
    """Parse `path` in `fmt`, or the format its name and first line suggest."""
    text = _read_text(path)
    fmt = fmt or detect_format(path, text)
    if fmt == "csv":
        return _read_csv(text)
    if fmt == "sgd":
        return _read_sgd(text)
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return RawCatalog("json", _json_lines(text))
    return RawCatalog("json", _json_document(text))


def detect_format(path: Path, text: str) -> FileFormat:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        first = next((line for line in text.splitlines() if line.strip()), "")
        try:
            head = json.loads(first)
        except json.JSONDecodeError:
            return "json"
        return "sgd" if isinstance(head, dict) and "listings" in head and "turns" in head else "json"
    if suffix == ".json":
        return "json"
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    return "json" if text.lstrip()[:1] in ("[", "{") else "csv"


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CatalogFileError(f"{path}: no such file") from None
    except OSError as exc:
        raise CatalogFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CatalogFileError(
            f"{path}: not UTF-8 text (bad byte at line {line}); save it as UTF-8 and try again"
        ) from None


# ---------------------------------------------------------------------------------------------------------
# CSV


def _column_name(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _read_csv(text: str) -> RawCatalog:
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise CatalogFileError("the CSV file is empty: the first line must name the columns")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect, strict=True)
    try:
        header = [_column_name(name) for name in next(reader)]
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise CatalogFileError(
                f"the CSV header lacks required column(s): {', '.join(missing)} (it has: {', '.join(header)})"
            )
        if len(set(header)) != len(header):
            raise CatalogFileError(f"the CSV header names a column twice: {', '.join(header)}")
        catalog = RawCatalog("csv", [])
        unknown = [name for name in header if name not in COLUMNS and name != "extra"]
        if unknown:
            catalog.warnings.append(f"unknown column(s) kept in each listing's extra: {', '.join(unknown)}")
        line = reader.line_num
        for values in reader:
            start, line = line + 1, reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(header):
                error = f"has {len(values)} fields, the header has {len(header)}"
                catalog.rows.append(RawRow(start, None, error=error))
                continue
            catalog.rows.append(RawRow(start, dict(zip(header, values, strict=True))))
    except csv.Error as exc:
        raise CatalogFileError(f"malformed CSV at line {reader.line_num}: {exc}") from None
    return catalog


# ---------------------------------------------------------------------------------------------------------
# JSON


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _skip_ws(text: str, offset: int) -> int:
    while offset < len(text) and text[offset] in " \t\r\n":
        offset += 1
    return offset


def _json_document(text: str) -> list[RawRow]:
    """A JSON array of listings, or an object with a "listings" array; each row keeps its starting line."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogFileError(
            f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    decoder = json.JSONDecoder()
    offset = _skip_ws(text, 0)
    if isinstance(document, dict) and isinstance(document.get("listings"), list):
        offset = _find_key(decoder, text, offset, "listings")
    elif not isinstance(document, list):
        raise CatalogFileError('expected a JSON array of listings, or an object with a "listings" array')
    rows: list[RawRow] = []
    offset = _skip_ws(text, offset + 1)  # past "["
    while text[offset] != "]":
        item, end = decoder.raw_decode(text, offset)
        rows.append(RawRow(_line_of(text, offset), item, where=f"item {len(rows) + 1}"))
        offset = _skip_ws(text, end)
        if text[offset] == ",":
            offset = _skip_ws(text, offset + 1)
    return rows


def _find_key(decoder: json.JSONDecoder, text: str, offset: int, wanted: str) -> int:
    """Offset of the value of top-level key `wanted` in the (valid) JSON object starting at `offset`."""
    offset = _skip_ws(text, offset + 1)  # past "{"
    while True:
        key, offset = decoder.raw_decode(text, offset)
        offset = _skip_ws(text, _skip_ws(text, offset) + 1)  # past ":"
        if key == wanted:
            return offset
        _, offset = decoder.raw_decode(text, offset)
        offset = _skip_ws(text, _skip_ws(text, offset) + 1)  # past ","


def _json_lines(text: str) -> list[RawRow]:
    rows: list[RawRow] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(RawRow(number, json.loads(line)))
        except json.JSONDecodeError as exc:
            rows.append(RawRow(number, None, error=f"malformed JSON: {exc.msg} (column {exc.colno})"))
    return rows


# ---------------------------------------------------------------------------------------------------------
# SGD Homes dialogues (shared/data/sgd_homes). Two shapes: Homes_1 listings are US rentals with a monthly `rent`;
# the other shape (Homes_2) has a `price` and an `intent` (rent or buy), may say `has_garage` / `in_unit_laundry`,
# and may leave out `area` (the area the dialogue searched is used then).

SGD_INTENTS = {"rent": "rent", "buy": "sale"}
"""SGD `intent` -> our transaction."""

_SGD_ID_KEYS = ("property_name", "address", "area", "number_of_beds", "number_of_baths", "rent", "pets_allowed",
                "furnished", "phone_number")  # fmt: skip
_SGD_ID_EXTRA_KEYS = ("price", "intent", "has_garage", "in_unit_laundry")
"""Digested only when present, so a Homes_1 listing keeps the id it always had."""


def sgd_external_id(listing: dict[str, Any]) -> str:
    """Stable id of one SGD listing: its name plus a digest of everything the dataset says about it.

    The dataset repeats a building (name + address) with different unit layouts and rents, so the digest
    covers the whole record: identical records across dialogues collapse into one listing.
    """
    parts = [str(listing.get(key, "")) for key in _SGD_ID_KEYS]
    parts += [f"{key}={listing[key]}" for key in _SGD_ID_EXTRA_KEYS if key in listing]
    digest = hashlib.sha1("|".join(parts).encode()).hexdigest()[:10]
    slug = re.sub(r"[^a-z0-9]+", "-", str(listing.get("property_name", "")).lower()).strip("-")[:40]
    return f"sgd-{slug}-{digest}"


def sgd_search_area(dialogue: dict[str, Any]) -> str | None:
    """The one area the dialogue's searches asked for (a service call's `area`), or None when none or several."""
    areas = {
        str(call["parameters"]["area"]).strip()
        for turn in dialogue.get("turns") or []
        if isinstance(call := turn.get("service_call"), dict)
        and isinstance(call.get("parameters"), dict)
        and str(call["parameters"].get("area") or "").strip()
    }
    return areas.pop() if len(areas) == 1 else None


_SGD_AMENITY_WORDS = {"garage": "garage", "laundry": "in-unit laundry"}


def _flag(value: Any) -> bool | None:
    text = str(value).strip().lower() if value is not None else ""
    return True if text == "true" else False if text == "false" else None


def sgd_listing_row(listing: dict[str, Any], *, area: str | None = None) -> dict[str, Any]:
    """The documented mapping of one SGD listing onto our columns; `area` stands in when the listing has none."""
    beds, baths = listing.get("number_of_beds"), listing.get("number_of_baths")
    furnished, pets = _flag(listing.get("furnished")), _flag(listing.get("pets_allowed"))
    location = str(listing.get("area") or area or "").strip() or None
    address = listing.get("address", "")
    intent = str(listing.get("intent") or ("rent" if "rent" in listing else "")).strip().lower()
    transaction = SGD_INTENTS.get(intent, intent or None)
    price = listing.get("rent") if "rent" in listing else listing.get("price")
    amenities = [
        amenity
        for key, amenity in (("has_garage", "garage"), ("in_unit_laundry", "laundry"))
        if _flag(listing.get(key))
    ]
    facts = [
        *([] if furnished is None else ["Furnished" if furnished else "Unfurnished"]),
        *([] if pets is None else ["pets allowed" if pets else "no pets"]),
        *(_SGD_AMENITY_WORDS[amenity] for amenity in amenities),
    ]
    what = {"rent": " for rent", "sale": " for sale"}.get(transaction or "", "")
    place = ", ".join(str(part) for part in (address, location) if part)
    description = f"{beds}-bedroom, {baths}-bathroom apartment{what} at {place}."
    if facts:
        description += " " + "; ".join(facts) + "."
    return {
        "external_id": sgd_external_id(listing),
        "title": listing.get("property_name"),
        "description": description,
        "property_type": "apartment",
        "transaction": transaction,
        "price": price,
        "currency": "USD",
        "price_period": "month" if transaction == "rent" else None,
        "bedrooms": beds,
        "bathrooms": baths,
        "location": location,
        "address": address,
        "units_available": 1,
        "amenities": amenities,
        "pets_allowed": listing.get("pets_allowed"),
        "furnished": listing.get("furnished"),
        "language": "en",
        "extra": {"source": "sgd_homes", "phone_number": listing.get("phone_number")},
    }


def _read_sgd(text: str) -> RawCatalog:
    catalog = RawCatalog("sgd", [])
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            dialogue = json.loads(line)
        except json.JSONDecodeError as exc:
            catalog.rows.append(RawRow(number, None, error=f"malformed JSON: {exc.msg} (column {exc.colno})"))
            continue
        listings = dialogue.get("listings") if isinstance(dialogue, dict) else None
        if not isinstance(listings, list):
            catalog.rows.append(RawRow(number, None, error='not an SGD dialogue: no "listings" array'))
            continue
        for index, listing in enumerate(listings, start=1):
            where = f"dialogue {dialogue.get('dialogue_id', '?')}, listing {index}"
            if not isinstance(listing, dict):
                catalog.rows.append(RawRow(number, None, where=where, error="a listing must be an object"))
                continue
            row = sgd_listing_row(listing, area=sgd_search_area(dialogue))
            if row["external_id"] in seen:
                catalog.merged_duplicates += 1
                continue
            seen.add(row["external_id"])
            catalog.rows.append(RawRow(number, row, where=where))
    return catalog
