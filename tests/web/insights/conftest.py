"""Fixtures of the dashboard's tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hopeful.web.insights.selectors import clear_caches


@pytest.fixture
def shares_from_counts(settings: Any) -> Iterator[None]:
    """Shares of their two published counts alone (``HOPEFUL_SHARES_FROM_TABLES`` off), for
    the tests that check a share's arithmetic from its own counts; the default, shares from
    their tables, is tested in ``test_smoothing.py``."""
    settings.HOPEFUL_SHARES_FROM_TABLES = False
    clear_caches()
    yield
    clear_caches()
