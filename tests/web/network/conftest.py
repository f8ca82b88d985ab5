from __future__ import annotations

import pytest

from hopeful.web.network import selectors


@pytest.fixture(autouse=True)
def _fresh_network_caches() -> None:
    """Each test starts with nothing remembered: row ids are reused after a test's
    transaction is rolled back, so a data version could repeat across tests."""
    selectors.clear_caches()
