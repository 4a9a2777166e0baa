"""Which form a noun takes after a number, by CLDR's plural rules (Babel): Russian has three forms
(1 спальня, 2 спальни, 5 спален), Arabic six (zero, one, two, few, many, other), English and Persian two."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache

from babel import Locale


@cache
def _rule(language: str) -> Callable[[float | int], str]:
    return Locale.parse(language).plural_form


def plural_category(n: int, language: str) -> str:
    """ "one", "two", "few", "many", "zero" or "other" for `n` in `language`."""
    return _rule(language)(n)


def counted(n: int, language: str, forms: Mapping[str, str]) -> str:
    """The form of `forms` for `n` (keyed by plural category); "other" stands in for a category not given."""
    return forms.get(plural_category(n, language)) or forms["other"]
