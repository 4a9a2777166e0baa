"""Shared checks on what a URL carries, so bad input gets a clear answer before it reaches SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator

from agent.services.dashboard.bounds import EARLIEST_DAY, INT64_MAX, LATEST_DAY, in_range

RowId = Annotated[int, Path(ge=1, le=INT64_MAX)]
"""A row's id in a path. Out of range answers 404 on pages and under /api (errors.py): no such row can exist."""


def _sane(moment: datetime) -> datetime:
    if not in_range(moment):
        raise ValueError(f"must be between {EARLIEST_DAY.year} and {LATEST_DAY.year}")
    return moment


Moment = Annotated[datetime, AfterValidator(_sane)]
"""A moment from the caller (a query or a body): years 2000-2100 only, so date arithmetic cannot overflow."""
