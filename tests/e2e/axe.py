"""axe-core in the browser tests: the vendored ``vendor/axe-core/axe.min.js`` (from the npm
registry, with its licence) is injected into the page and run against WCAG 2.2 A and AA."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 A/AA violations of the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the browser's devtools protocol: the page's Content Security
        # Policy (no inline scripts) stays in force for the page itself.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
            }));
        }""",
        TAGS,
    )
    return list(result)


def assert_accessible(page: Page) -> None:
    """Fail with axe-core's findings when the page has any WCAG 2.2 A/AA violation."""
    found = violations(page)
    assert found == [], (page.url, found)
