"""Shared checks on what a URL carries, so bad input gets a clear answer before it reaches SQL."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from agent.services.dashboard.bounds import INT64_MAX

RowId = Annotated[int, Path(ge=1, le=INT64_MAX)]
"""A row's id in a path. Out of range answers 404 on pages and under /api (errors.py): no such row can exist."""
