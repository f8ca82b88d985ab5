"""A family's rights in a real browser on a phone, in Spanish: from its personal link it finds
everything kept about it, asks for deletion (refused without the tick, then done), and the
link answers that the information is gone; every page passes axe. Staff see a flagged link's
notice on the campaign page, which passes axe too."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from hopeful.web.families.models import Family
from hopeful.web.surveys.models import LinkFlag, LinkKind
from tests.e2e.axe import assert_accessible
from tests.e2e.test_family_survey import sign_in_with_code
from tests.e2e.test_instrument_page import CHROMIUM_ARGS, PHONE
from tests.web import factories as f
from tests.web.practice.factories import make_submission


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_family_sees_downloads_and_deletes_its_information_in_spanish_on_a_phone(
    live_server: LiveServer, two_tenants: dict[str, Any]
) -> None:
    base = live_server.url
    family = two_tenants["family_a"]
    admin = two_tenants["members_a"]["org_admin"]
    personal, token = f.make_link(
        two_tenants["campaign_a"], admin, kind=LinkKind.PERSONAL, family=family
    )
    make_submission(family, two_tenants["campaign_a"], personal, language="es")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=PHONE)
            page.goto(f"{base}/es/s/{token}/")
            page.get_by_role("link", name="Ver, descargar o borrar todo lo que guardamos").click()
            page.wait_for_url(f"{base}/es/s/{token}/your-data/")
            assert page.locator("html").get_attribute("lang") == "es"
            assert_accessible(page)
            # the downloads are links on the page
            hrefs = {a.get_attribute("href") for a in page.locator("#main a").all()}
            assert {f"/es/s/{token}/your-data/data.json", f"/es/s/{token}/your-data/data.pdf"} <= (
                hrefs
            )

            page.locator(f"#main a[href='/es/s/{token}/your-data/delete/']").click()
            page.wait_for_url("**/your-data/delete/")
            assert_accessible(page)
            # without the tick: an error, nothing deleted
            page.locator("#main button[type=submit]").click()
            page.wait_for_load_state()
            assert page.locator("#confirm-error").is_visible()
            assert_accessible(page)
            assert Family.objects.filter(pk=family.pk).exists()
            # with it: deleted, and the page says so
            page.locator("#main input[type=checkbox]").check()
            page.locator("#main button[type=submit]").click()
            page.wait_for_load_state()
            assert_accessible(page)
            assert not Family.objects.filter(pk=family.pk).exists()
            # the personal link now answers that the information is gone (410)
            response = page.goto(f"{base}/es/s/{token}/")
            assert response is not None
            assert response.status == 410
            assert_accessible(page)
        finally:
            browser.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_staff_see_a_flagged_links_notice_on_the_campaign_page(
    live_server: LiveServer, two_tenants: dict[str, Any]
) -> None:
    base = live_server.url
    org = two_tenants["org_a"]
    campaign = two_tenants["campaign_a"]
    LinkFlag.objects.create(
        organization=org,
        link=two_tenants["link_a"],
        hour_start=timezone.now().replace(minute=0, second=0, microsecond=0)
        - dt.timedelta(hours=1),
        submissions=4321,
    )
    admin = two_tenants["members_a"]["org_admin"]
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = sign_in_with_code(browser, base, admin.email, device)
            page.goto(f"{base}/orgs/{org.public_id}/campaigns/{campaign.public_id}/")
            notice = page.locator("#link-flags")
            assert notice.is_visible()
            assert "4321" in notice.inner_text().replace(",", "")
            assert_accessible(page)
        finally:
            browser.close()
