"""An org admin creates a public link in Chromium and downloads its outreach kit from the page
that shows the link once: the page passes axe-core (WCAG 2.2 AA) before and after the
download, the download does not leave the page, and the kit's QR code scans to the link."""

from __future__ import annotations

import re
from typing import Any

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.e2e import axe
from tests.e2e.test_instrument_page import CHROMIUM_ARGS, PHONE
from tests.web import factories as f


def sign_in(page: Page, base: str, user: Any) -> None:
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(f.PASSWORD)
    with page.expect_navigation():
        page.locator("#main button[type=submit]").first.click()
    page.locator("#main input[type=text], #main input[inputmode=numeric]").first.fill(
        f"{totp(device.bin_key):06d}"
    )
    with page.expect_navigation():
        page.locator("#main button[type=submit]").first.click()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_an_admin_downloads_a_spanish_card_kit_from_the_link_page(
    live_server: LiveServer, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    base = live_server.url
    campaign_url = f"{base}/orgs/{t['org_a'].public_id}/campaigns/{t['campaign_a'].public_id}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(accept_downloads=True, viewport=PHONE)
            sign_in(page, base, t["members_a"]["org_admin"])
            page.goto(campaign_url + "links/new/")
            page.get_by_label("Public link").check()
            with page.expect_navigation():
                page.get_by_role("button", name="Create link").click()
            axe.assert_accessible(page)
            # the long link wraps on a phone instead of widening the page
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            match = re.search(r"/es/s/([A-Za-z0-9_-]+)/", page.content())
            assert match is not None
            link = f"{base}/es/s/{match.group(1)}/"

            kit = page.get_by_role("region", name="Outreach kit for families")
            kit.get_by_role("group", name="What to print").get_by_label("Hand-out cards").check()
            kit.get_by_role("group", name="Language").get_by_label("Español").check()
            kit.get_by_role("group", name="Paper").get_by_label("A4").check()
            with page.expect_download() as download:
                kit.get_by_role("button", name="Download the kit").click()
            assert download.value.suggested_filename == "hopeful-card-es-a4.pdf"
            pdf = download.value.path().read_bytes()
            # still on the page that holds the link: another piece can be downloaded
            assert page.url == campaign_url + "links/new/"
            assert link in page.content()
            axe.assert_accessible(page)

            document = pdfium.PdfDocument(pdf)
            image = document[0].render(scale=2).to_pil()
            document.close()
            assert link in {code.text for code in zxingcpp.read_barcodes(image)}

            # an impossible choice (a tampered form) is a designed 400 page
            page.evaluate("document.querySelector('input[name=paper]').value = 'legal'")
            page.locator("input[name=paper]").first.check()
            with page.expect_navigation():
                kit.get_by_role("button", name="Download the kit").click()
            assert "The kit could not be made" in page.content()
            assert match.group(1) not in page.content()
            axe.assert_accessible(page)
        finally:
            browser.close()
