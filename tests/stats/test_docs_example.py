"""The worked example in docs/statistics.md runs and prints what the page says it prints."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "statistics.md"


def test_it_runs_the_worked_example_and_prints_the_documented_output() -> None:
    text = DOC.read_text(encoding="utf-8")
    example = re.search(r"## Worked example.*?```python\n(.*?)```", text, re.S)
    printed = re.search(r"It prints:\n\n```\n(.*?)```", text, re.S)
    assert example is not None
    assert printed is not None
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(example.group(1), str(DOC), "exec"), {})  # noqa: S102 - our own docs
    assert out.getvalue() == printed.group(1)
