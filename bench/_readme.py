"""Writing a benchmark's measured numbers into its own section of bench/README.md."""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"
INTRO = """# Benchmarks

Benchmarks are scripts, not tests; numbers below are measured by the command shown, on the
machine shown.
"""


def write_section(name: str, section: str, readme: Path = README) -> None:
    """Replace the text between ``<!-- name:start -->`` and ``<!-- name:end -->`` (or append)."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = readme.read_text(encoding="utf-8") if readme.exists() else INTRO
    block = f"{start}\n{section.rstrip()}\n{end}"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")
