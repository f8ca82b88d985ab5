"""Fixtures of the bright-spots tests."""

from __future__ import annotations

import pytest

from hopeful.web.brightspots.selectors import clear_cache


@pytest.fixture(autouse=True)
def _fresh_bright_spots() -> None:
    """Row ids repeat after a test's transaction is rolled back, so a data version could
    repeat across tests: each test starts with no remembered result."""
    clear_cache()
