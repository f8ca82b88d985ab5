"""Fixtures of the certification tests: a throwaway signing key per test and a fixed public
address (the credentials' ids and the QR code point there)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

SITE = "https://hope.example.org"


@pytest.fixture(autouse=True)
def _credential_settings(settings: Any, tmp_path: Path) -> None:
    settings.HOPEFUL_CREDENTIAL_KEYS_FILE = tmp_path / "keys" / "credentials.jwks"
    settings.SITE_URL = SITE
