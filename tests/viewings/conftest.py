"""Fixtures the viewing tests share."""

from __future__ import annotations

import pytest

from tests.fakes.google_api import GoogleStub


@pytest.fixture
def google() -> GoogleStub:
    """A fresh stand-in for Google's Calendar API (real wire format), per test."""
    return GoogleStub()
