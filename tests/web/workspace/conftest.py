from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def research_dir(settings: Any, tmp_path: Path) -> Path:
    """Each test keeps its uploaded files in its own directory."""
    path = tmp_path / "research"
    settings.HOPEFUL_RESEARCH_DIR = path
    return path
