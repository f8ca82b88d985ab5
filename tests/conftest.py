"""Shared test set-up.

Browser tests (marked ``e2e``) need Debian's chromium. Without it they are skipped with the
reason shown, except in CI (``CI=true``), where a missing browser is a failure: a green CI run
must mean the browser tests ran.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("e2e") is None or CHROMIUM.exists():
        return
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"chromium is required in CI: {CHROMIUM} is missing (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium to run browser tests)")
