"""An analyst opens the program dashboard on a phone and on a desktop: axe-core finds no
accessibility violation, the trend's axis labels do not overlap, numbers do not wrap, the
table of contents reaches every section, nothing scrolls sideways; then switches the breakdown
to preferred language and downloads a CSV whose numbers match the page.

Screenshots for a person to look at: /tmp/dashboard-390.png and /tmp/dashboard-1280.png.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.e2e import axe
from tests.e2e.test_instrument_page import CHROMIUM_ARGS
from tests.web import factories as f
from tests.web.practice.factories import make_submission

WIDTHS = (390, 1280)
QUARTERS = 8
PER_QUARTER = 60


def quarter_dates(today: dt.date) -> list[dt.datetime]:
    """A moment in each of the last :data:`QUARTERS` quarters, this one first (now)."""
    out = [timezone.now()]
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _ in range(QUARTERS - 1):
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        moment = dt.datetime(year, quarter * 3 - 1, 15, 12, tzinfo=dt.UTC)
        out.append(moment)
    return out


def check_layout(page: Page, width: int) -> None:
    """The trend's axis labels, the numbers of the tables, the table of contents, and no
    sideways scrolling, at the page's current width."""
    labels = page.locator("svg text.axis-label")
    assert labels.count() >= 2, width
    boxes = [labels.nth(i).bounding_box() for i in range(labels.count())]
    assert all(box is not None for box in boxes)
    for left, right in itertools.pairwise(boxes):
        assert left is not None
        assert right is not None
        assert left["x"] + left["width"] <= right["x"], (width, left, right)

    wrapped = page.evaluate(
        """() => {
            const out = [];
            for (const cell of document.querySelectorAll('.data-table td.num')) {
                if (!cell.textContent.trim()) continue;
                const range = document.createRange();
                range.selectNodeContents(cell);
                const tops = new Set();
                for (const r of range.getClientRects()) {
                    if (r.width > 0 && r.height > 0) tops.add(Math.round(r.top));
                }
                // one line: every piece of its text on the same line
                const lines = [...tops].sort((a, b) => a - b);
                const style = getComputedStyle(cell);
                const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
                if (lines.length && lines[lines.length - 1] - lines[0] >= line * 0.5) {
                    out.push(cell.textContent.trim());
                }
            }
            return out;
        }"""
    )
    assert wrapped == [], (width, wrapped)
    cells = page.locator(".data-table td.num").count()
    assert cells > 20

    targets = page.locator("nav.toc a").evaluate_all(
        "links => links.map(a => [a.getAttribute('href'), !!document.getElementById("
        "a.getAttribute('href').slice(1))])"
    )
    hrefs = [href for href, _found in targets]
    assert all(href.startswith("#") and found for href, found in targets), targets
    for section in ("#headline", "#reach", "#profile", "#groups", "#trend", "#equity", "#notes"):
        assert section in hrefs, (section, hrefs)

    overflow = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]"
    )
    assert max(overflow[:2]) <= overflow[2], (width, overflow)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_an_analyst_reads_the_dashboard_on_a_phone_and_a_desktop_and_downloads_matching_numbers(
    live_server: LiveServer, two_tenants: dict[str, Any]
) -> None:
    org = two_tenants["org_a"]
    program = two_tenants["program_a"]
    campaign, link = two_tenants["campaign_a"], two_tenants["link_a"]
    analyst = two_tenants["members_a"]["analyst"]
    moments = quarter_dates(timezone.localdate())
    for n in range(QUARTERS * PER_QUARTER):
        language = "es" if n % 2 else "en"
        family = f.make_family(org, program, f"Family {n}")
        f.grant_consent(family)
        # Spanish-speaking families report more positive experiences in this synthetic set.
        strong = n % 2 == 1 or n % 4 == 0
        code = 5 if strong else 2
        make_submission(
            family,
            campaign,
            link,
            answers={"pce7": {f"pce{i}": code for i in range(1, 8)}},
            language=language,
            submitted_at=moments[n // PER_QUARTER],
        )
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
            page.goto(f"{base}/accounts/login/")
            page.locator("input[name=username]").fill(analyst.email)
            page.locator("input[name=password]").fill(f.PASSWORD)
            page.locator("#main button[type=submit]").first.click()
            page.wait_for_load_state()

            dashboard = f"{base}/orgs/{org.public_id}/dashboard/"
            # the screenshots first, so the lead has both even when a check below fails
            # (fixed paths the lead looks at; nothing is read back from them)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(dashboard)
                screenshot = f"/tmp/dashboard-{width}.png"  # noqa: S108
                page.screenshot(path=screenshot, full_page=True)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(dashboard)
                assert page.get_by_role("heading", name="Reach").is_visible()
                assert page.get_by_role("heading", name="Headline").is_visible()
                violations = axe.violations(page)
                assert violations == [], (width, violations)
                check_layout(page, width)

            page.set_viewport_size({"width": 1280, "height": 900})
            page.locator("select[name=breakdown]").select_option("language")
            page.locator("#main form button[type=submit]").first.click()
            page.wait_for_load_state()
            assert "breakdown=language" in page.url
            assert axe.violations(page) == []
            table = page.locator("#equity-table")
            shown_rows: dict[str, tuple[str, str]] = {}
            for row in table.locator("tbody tr").all():
                label = row.locator("th").inner_text().strip()
                cells = [c.strip() for c in row.locator("td").all_inner_texts()]
                # a shown group: share, interval, n; a hidden one: "not shown", n
                share, n = (cells[0], cells[2]) if cells[0].endswith("%") else ("", cells[1])
                shown_rows[label] = (share, n.rstrip("*"))
            spanish_share, _n = shown_rows["Spanish"]
            everyone_share, _n = shown_rows["Everyone"]
            assert spanish_share.endswith("%"), shown_rows  # shown, not hidden
            assert spanish_share != everyone_share  # the group's own share, not everyone's

            with page.expect_download() as download_info:
                page.get_by_role("link", name="Download this view (CSV)").click()
            content = download_info.value.path().read_text(encoding="utf-8-sig")
            rows = list(csv.reader(io.StringIO(content)))
            header = rows[0]
            assert header[:6] == ["section", "measure", "group", "category", "period", "n"]
            equity = {r[3]: r for r in rows[1:] if r[0] == "equity"}
            assert set(equity) == set(shown_rows)
            for label, (share, n) in shown_rows.items():
                row = equity[label]
                exported = f"{float(row[6]) * 100:.1f}%" if row[6] else ""
                assert exported == share, (label, row, share)
                assert (row[5] or "fewer than 11") == n, (label, row, n)
            total = next(
                r for r in rows if r[:3] == ["reach", "submissions_counted", "All programs"]
            )
            counted = page.locator("dl.facts > div", has_text="Submissions counted").locator("dd")
            assert counted.inner_text().strip() == total[5]
            for row in rows[1:]:
                assert not (row[5].isdigit() and 1 <= int(row[5]) <= 10), row
        finally:
            browser.close()
