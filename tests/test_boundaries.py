"""The architecture's import boundaries (design.md): the pure core never imports Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "module",
    [
        "hopeful.framework",
        "hopeful.stats",
        "hopeful.scorefile",
        "hopeful.credentials",
        "hopeful.research",
        "hopeful.cli",
        "hopeful.interop.fhir",
        "hopeful.interop.xlsform",
        "hopeful.interop.redcap",
        "hopeful.interop.odk",
        "hopeful.interop.statfiles",
    ],
)
def test_it_imports_the_pure_modules_without_django(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith(('django.', "
        "'hopeful.web')))\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"{module} pulled in {out}"


def test_it_keeps_the_import_linter_contracts() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--config", str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 10 kept, 0 broken." in result.stdout
