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
# SGD Homes dialogues (shared/data/sgd_homes): each line a dialogue whose "listings" are US rentals.


def sgd_external_id(listing: dict[str, Any]) -> str:
    """Stable id of one SGD listing: its name plus a digest of everything the dataset says about it.

    The dataset repeats a building (name + address) with different unit layouts and rents, so the digest
    covers the whole record: identical records across dialogues collapse into one listing.
    """
    keys = ("property_name", "address", "area", "number_of_beds", "number_of_baths", "rent", "pets_allowed",
            "furnished", "phone_number")  # fmt: skip
    digest = hashlib.sha1("|".join(str(listing.get(key, "")) for key in keys).encode()).hexdigest()[:10]
    slug = re.sub(r"[^a-z0-9]+", "-", str(listing.get("property_name", "")).lower()).strip("-")[:40]
    return f"sgd-{slug}-{digest}"


def sgd_listing_row(listing: dict[str, Any]) -> dict[str, Any]:
    """The documented mapping of one SGD listing onto our columns."""
    beds, baths = listing.get("number_of_beds"), listing.get("number_of_baths")
    furnished = str(listing.get("furnished", "")).lower() == "true"
    pets = str(listing.get("pets_allowed", "")).lower() == "true"
    area, address = listing.get("area", ""), listing.get("address", "")
    description = (
        f"{beds}-bedroom, {baths}-bathroom apartment for rent at {address}, {area}. "
        f"{'Furnished' if furnished else 'Unfurnished'}; {'pets allowed' if pets else 'no pets'}."
    )
    return {
        "external_id": sgd_external_id(listing),
        "title": listing.get("property_name"),
        "description": description,
        "property_type": "apartment",
        "transaction": "rent",
        "price": listing.get("rent"),
        "currency": "USD",
        "price_period": "month",
        "bedrooms": beds,
        "bathrooms": baths,
        "location": area,
        "address": address,
        "units_available": 1,
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
            row = sgd_listing_row(listing)
            if row["external_id"] in seen:
                catalog.merged_duplicates += 1
                continue
            seen.add(row["external_id"])
            catalog.rows.append(RawRow(number, row, where=where))
    return catalog
