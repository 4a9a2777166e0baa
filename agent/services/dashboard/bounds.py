"""What a number or a date from outside may be before it reaches SQL or date arithmetic."""

from __future__ import annotations

import re
from datetime import date, datetime

INT32_MAX = 2**31 - 1
"""PostgreSQL's integer (counts such as a listing's units, a score)."""
INT64_MAX = 2**63 - 1
"""PostgreSQL's bigint: a larger number makes asyncpg raise instead of finding nothing."""

EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)
"""The days a page or the API accepts; near year 1 or 9999 date arithmetic overflows, and nothing is planned there."""

_NUMBER = re.compile(r"[0-9]{1,18}")


def as_number(text: str) -> int | None:
    """`text` as a non-negative number that fits bigint, or None (`str.isdigit` accepts "²", `int` does not)."""
    return int(text) if _NUMBER.fullmatch(text) else None


def in_range(moment: date | datetime) -> bool:
    day = moment.date() if isinstance(moment, datetime) else moment
    return EARLIEST_DAY <= day <= LATEST_DAY


def fits_bigint(number: int) -> bool:
    return -INT64_MAX - 1 <= number <= INT64_MAX
