"""The pce7 paper form on a phone: switch to Spanish with the language link."""

from __future__ import annotations

import pytest
from playwright.sync_api import ViewportSize, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.e2e.axe import assert_accessible

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.mark.e2e
def test_it_switches_the_instrument_page_to_spanish_on_a_phone(live_server: LiveServer) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=PHONE)
            page.goto(f"{live_server.url}/instruments/pce7/")
            assert page.locator("html").get_attribute("lang") == "en"
            assert page.get_by_role("button", name="Print this form").is_visible()
            assert_accessible(page)

            spanish = page.get_by_role("navigation", name="Language").get_by_role(
                "link", name="Español"
            )
            box = spanish.bounding_box()
            assert box is not None
            assert box["height"] >= 44  # a touch target a thumb can hit
            spanish.click()

            page.wait_for_url(f"{live_server.url}/es/instruments/pce7/")
            assert page.locator("html").get_attribute("lang") == "es"
            item = page.get_by_text(
                "¿Sentía que podía hablar con su familia sobre sus sentimientos?"
            )
            assert item.is_visible()
            assert page.get_by_role("heading", name="Preguntas", exact=True).is_visible()
            assert page.get_by_role("button", name="Imprimir este formulario").is_visible()
            assert_accessible(page)
        finally:
            browser.close()
