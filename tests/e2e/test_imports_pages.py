"""The import pages pass axe-core (WCAG 2.2 A/AA) in Chromium at 1280 and 390 px, in English
and in Spanish: the list (empty and with imports), the new import form (also after a bad
file, its error summary shown) and a preview with rows that have problems; and the
questionnaire page with its downloads for other tools."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from hopeful.framework import get_instrument
from tests.e2e.test_learning_pages import DESKTOP, LANGUAGES, check, launch, visit
from tests.e2e.test_outreach_kit import sign_in
from tests.web.imports.csvs import central_csv, synthetic

PHONE = {"width": 390, "height": 844}


def _upload_badly(page: Page, language: str, *, phone: bool, tmp: Any) -> None:
    bad = tmp / "bad.csv"
    bad.write_text("record_id,colour\n1,blue\n")
    page.locator("#id_format").select_option("redcap")
    page.locator("#id_file").set_input_files(str(bad))
    with page.expect_navigation():
        page.locator("#main form button[type=submit]").first.click()
    assert page.locator(".error-summary").first.is_visible(), page.url
    check(page, language, phone=phone)


def _upload(page: Page, tmp: Any) -> str:
    pce7 = get_instrument("pce7")
    records = synthetic(pce7, 6)
    records[0].answers["pce1"] = 6
    records[1].consent = dict.fromkeys(records[1].consent, False)
    good = tmp / "odk.csv"
    good.write_text(central_csv(pce7, records))
    page.locator("#id_format").select_option("odk")
    page.locator("#id_file").set_input_files(str(good))
    with page.expect_navigation():
        page.locator("#main form button[type=submit]").first.click()
    return page.url


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_import_pages_pass_axe(
    live_server: LiveServer, two_tenants: dict[str, Any], viewport: dict[str, int], tmp_path: Any
) -> None:
    t = two_tenants
    base = live_server.url
    imports = f"/orgs/{t['org_a'].public_id}/imports/"
    phone = viewport == PHONE
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport=viewport)
            sign_in(page, base, t["members_a"]["org_admin"])
            preview = ""
            for language, prefix in LANGUAGES:
                visit(page, f"{base}{prefix}{imports}", language, phone=phone)
                visit(page, f"{base}{prefix}{imports}new/", language, phone=phone)
                _upload_badly(page, language, phone=phone, tmp=tmp_path)
                if not preview:
                    visit(page, f"{base}{prefix}{imports}new/", language, phone=phone)
                    preview = _upload(page, tmp_path).removeprefix(base)
                    assert "/imports/" in preview
                visit(page, f"{base}{prefix}{preview.removeprefix('/es')}", language, phone=phone)
                assert page.locator("table.data-table tbody tr").count() == 2
                visit(page, f"{base}{prefix}{imports}", language, phone=phone)
                visit(page, f"{base}{prefix}/instruments/pce7/", language, phone=phone)
                assert page.locator("#other-tools a").count() == 3  # XLSForm, REDCap, FHIR
                box = page.locator("#other-tools").bounding_box()
                assert box is not None
                assert box["x"] + box["width"] <= viewport["width"]
        finally:
            browser.close()
