"""A budget in another currency than the catalog's, put honestly into the catalog's currency (or not at all).

Prices are stated in the listing's currency. With the agency's own rate for the budget's currency the budget is
converted; without one it is not guessed: the search drops the price bound and the lead is asked for the budget in
the catalog's currency.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class PriceBounds:
    """The price filter to search with, and what was done to the lead's budget (None: nothing to say)."""

    min_price: Decimal | None
    max_price: Decimal | None
    currency: str | None
    note: dict[str, Any] | None = None
    """{"budget_currency": "EUR", "catalog_currency": "USD", "rate": 1.08 or None, "converted": bool}."""


def exchange_rate(rates: Mapping[str, object] | None, currency: str) -> Decimal | None:
    """The agency's rate for `currency` (units of its default currency per one unit), when it is a positive number."""
    raw = (rates or {}).get(currency.upper())
    if raw is None or isinstance(raw, bool):
        return None
    try:
        rate = Decimal(str(raw))
    except InvalidOperation:
        return None
    return rate if rate.is_finite() and rate > 0 else None


def in_catalog_currency(
    min_price: Decimal | None,
    max_price: Decimal | None,
    currency: str | None,
    *,
    catalog_currency: str,
    listed_currencies: Iterable[str],
    rates: Mapping[str, object] | None,
) -> PriceBounds:
    """The budget as a price filter over the catalog.

    Unchanged when there is no bound, no currency, or listings are priced in the budget's currency; converted at the
    agency's rate when it has one; otherwise without a price bound, with a note saying so.
    """
    same = PriceBounds(min_price, max_price, currency)
    if (min_price is None and max_price is None) or not currency:
        return same
    code = currency.upper()
    if code == catalog_currency.upper() or code in {c.upper() for c in listed_currencies}:
        return same
    rate = exchange_rate(rates, code)
    note: dict[str, Any] = {"budget_currency": code, "catalog_currency": catalog_currency.upper()}
    if rate is None:
        return PriceBounds(None, None, None, {**note, "rate": None, "converted": False})

    def convert(amount: Decimal | None) -> Decimal | None:
        return None if amount is None else (amount * rate).quantize(_CENT)

    return PriceBounds(
        convert(min_price),
        convert(max_price),
        catalog_currency.upper(),
        {**note, "rate": float(rate), "converted": True},
    )
