"""The stylesheet's colour pairs meet WCAG 2.2 AA contrast."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import hopeful.web

CSS = Path(hopeful.web.__file__).parent / "core" / "static" / "hopeful" / "css" / "hopeful.css"

#: (foreground, background, minimum ratio): 4.5 for text, 3 for focus rings and borders.
PAIRS = [
    ("--ink", "--paper", 4.5),
    ("--ink-muted", "--paper", 4.5),
    ("--ink", "--paper-tint", 4.5),
    ("--ink-muted", "--paper-tint", 4.5),
    ("--link", "--paper", 4.5),
    ("--link-visited", "--paper", 4.5),
    ("--brand-ink", "--brand", 4.5),
    ("--focus", "--brand", 3.0),
    ("--focus-ink", "--focus", 4.5),
    ("--ink", "--note-bg", 4.5),
    ("--link", "--note-bg", 4.5),
    ("--error", "--paper", 4.5),
    ("--error", "--note-bg", 4.5),
    ("--border", "--paper", 3.0),
    # an empty list's box (.empty-state): links and its border on the tint
    ("--link", "--paper-tint", 4.5),
    ("--link-visited", "--paper-tint", 4.5),
    ("--border", "--paper-tint", 3.0),
    ("--focus-ink", "--paper", 3.0),
    ("--block-relationships", "--paper-tint", 3.0),
    ("--block-environment", "--paper-tint", 3.0),
    ("--block-engagement", "--paper-tint", 3.0),
    ("--block-emotional_growth", "--paper-tint", 3.0),
]


def colours() -> dict[str, str]:
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", CSS.read_text("utf-8")))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(("fg", "bg", "minimum"), PAIRS)
def test_it_meets_wcag_aa_contrast(fg: str, bg: str, minimum: float) -> None:
    palette = colours()
    ratio = contrast(palette[fg], palette[bg])
    assert ratio >= minimum, f"{fg} on {bg}: {ratio:.2f} < {minimum}"
