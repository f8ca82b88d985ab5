"""Fixtures of the presentation requests' tests: a throwaway credential signing key (the
trainers are certified through the certification services) and a fixed public address."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

SITE = "https://hope.example.org"


@pytest.fixture(autouse=True)
def _settings(settings: Any, tmp_path: Path) -> None:
    settings.HOPEFUL_CREDENTIAL_KEYS_FILE = tmp_path / "keys" / "credentials.jwks"
    settings.SITE_URL = SITE
