from __future__ import annotations

from pathlib import Path

import pytest

from hopeful.credentials import KeyStore


@pytest.fixture
def keystore(tmp_path: Path) -> KeyStore:
    return KeyStore(tmp_path / "keys" / "signing-keys.json")


@pytest.fixture
def other_keystore(tmp_path: Path) -> KeyStore:
    """Someone else's keys: a forger's, or another deployment's."""
    return KeyStore(tmp_path / "other" / "signing-keys.json")
