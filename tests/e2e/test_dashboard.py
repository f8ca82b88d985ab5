"""An analyst opens the program dashboard, switches the breakdown to preferred language, and
downloads a CSV whose numbers match the page."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.e2e.test_instrument_page import CHROMIUM_ARGS
from tests.web import factories as f
from tests.web.practice.factories import make_submission


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_an_analyst_switches_a_breakdown_and_downloads_matching_numbers(
    live_server: LiveServer, two_tenants: dict[str, Any]
) -> None:
    org = two_tenants["org_a"]
    program = two_tenants["program_a"]
    campaign, link = two_tenants["campaign_a"], two_tenants["link_a"]
    analyst = two_tenants["members_a"]["analyst"]
    for n in range(80):
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
            page.goto(f"{base}/orgs/{org.public_id}/dashboard/")
            assert page.get_by_role("heading", name="Reach").is_visible()

            page.locator("select[name=breakdown]").select_option("language")
            page.locator("#main form button[type=submit]").first.click()
            page.wait_for_load_state()
            assert "breakdown=language" in page.url
            table = page.locator("#equity-table")
            spanish = table.locator("tr", has_text="Spanish").first
            cells = spanish.locator("td").all_inner_texts()
            share = cells[0].strip()
            assert share.endswith("%"), cells  # shown, not hidden
            assert "75.0%" not in cells  # the group's own share, not everyone's

            with page.expect_download() as download_info:
                page.get_by_role("link", name="Download this view (CSV)").click()
            content = download_info.value.path().read_text(encoding="utf-8")
            rows = list(csv.reader(io.StringIO(content)))
            matching = [r for r in rows if "Spanish" in r and share in r]
            assert matching, f"{share} for Spanish not in the CSV"
            for row in rows:
                for cell in row:
                    assert not (cell.isdigit() and 1 <= int(cell) <= 10), row
        finally:
            browser.close()
