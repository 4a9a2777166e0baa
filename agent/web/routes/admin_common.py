"""What the admin pages and the admin API share: the admin check that audits a refusal, amounts in a locale."""

from __future__ import annotations

import copy
from decimal import Decimal
from functools import cache
from typing import Annotated

from babel import Locale
from babel.numbers import NumberPattern, UnknownCurrencyError, parse_pattern
from fastapi import Depends, Request

from agent.services.web_access import Viewer, audit_refusal
from agent.web.deps import current_viewer, services_of
from agent.web.errors import Forbidden
from prompts.catalogue import text

ADMIN_PAGE = "web.admin_page"
"""The audit action of a person without the admin role opening an admin page."""


async def admin_only(request: Request, viewer: Annotated[Viewer, Depends(current_viewer)]) -> Viewer:
    """An admin of the viewer's agency; anyone else is refused, and the refusal is audited."""
    if not viewer.is_admin:
        services = services_of(request)
        await audit_refusal(
            services.database, services.clock, viewer, ADMIN_PAGE, request.url.path, "not_admin"
        )
        raise Forbidden("admins only")
    return viewer


AdminPageDep = Annotated[Viewer, Depends(admin_only)]


@cache
def _pattern(language: str, whole: bool) -> tuple[Locale, NumberPattern]:
    locale = Locale.parse(language)
    pattern = copy.copy(parse_pattern(locale.currency_formats["standard"]))  # babel caches the parsed one
    pattern.frac_prec = (0, 0) if whole else (2, 2)
    return locale, pattern


def money(amount: Decimal, currency: str, period: str | None, language: str) -> str:
    """425000 USD -> "$425,000" (en) or "425 000 $" (ru); a rent says per month or year; no cents when whole."""
    whole = amount == amount.to_integral_value()
    locale, pattern = _pattern(language, whole)
    try:
        shown = pattern.apply(amount, locale, currency=currency, currency_digits=False)
    except UnknownCurrencyError:
        shown = f"{amount:,.{0 if whole else 2}f} {currency}"
    if period in ("month", "year"):
        return text(language, "web_admin", f"per_{period}", amount=shown)
    return shown
