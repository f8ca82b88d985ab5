"""The core loop in a real browser on a phone: a family answers pce7 in Spanish through a
public link, loses the connection on submit and retries (one stored submission), and sees its
strengths summary; a practitioner signs in with a TOTP code and sees the answers; a member of
another organization gets 404 on the same pages."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, Route, sync_playwright
from pytest_django.live_server_helper import LiveServer

from hopeful.web.surveys.models import Submission
from tests.e2e.axe import assert_accessible
from tests.e2e.test_instrument_page import CHROMIUM_ARGS, PHONE
from tests.web.factories import PASSWORD


def sign_in_with_code(browser: Browser, base: str, email: str, device: TOTPDevice) -> Page:
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("#main button[type=submit]").first.click()
    page.wait_for_url("**/two-factor/**")
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.locator("input[name=code]").fill(f"{code:06d}")
    page.locator("#main button[type=submit]").first.click()
    page.wait_for_load_state()
    return page


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_family_answers_in_spanish_survives_a_dropped_connection_and_staff_see_it(
    live_server: LiveServer, two_tenants: dict[str, Any]
) -> None:
    base = live_server.url
    token = two_tenants["token_a"]
    org_a = two_tenants["org_a"]
    practitioner = two_tenants["members_a"]["practitioner"]
    outsider = two_tenants["members_b"]["practitioner"]
    devices = {
        user.pk: TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        for user in (practitioner, outsider)
    }
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            family = browser.new_page(viewport=PHONE)
            family.goto(f"{base}/s/{token}/")
            assert_accessible(family)
            family.locator("#main").get_by_role("link", name="Español").click()
            family.wait_for_url(f"{base}/es/s/{token}/**")
            assert family.locator("html").get_attribute("lang") == "es"
            assert_accessible(family)

            # consent: every purpose
            for box in family.locator("input[type=checkbox]").all():
                box.check()
            family.locator("button[type=submit]").first.click()
            # a name or code the family chooses
            assert_accessible(family)
            family.locator("input[type=text]").first.fill("Colibrí")
            family.locator("button[type=submit]").first.click()
            # pce7, one page: "Siempre" / "Todo el tiempo" everywhere
            assert family.get_by_text("¿Sentía que podía hablar con su familia").is_visible()
            assert_accessible(family)
            for fieldset in family.locator("fieldset").all():
                fieldset.locator("input[value='5']").check()
            family.locator("button[type=submit]").first.click()
            # the optional questions about the family: skipped
            family.wait_for_url("**/about/")
            assert_accessible(family)
            family.locator("button[name=skip]").click()
            family.wait_for_url("**/review/")
            assert_accessible(family)

            # The first send reaches the server, but the answer never comes back.
            sent: list[str] = []

            def drop_first(route: Route) -> None:
                sent.append(route.request.method)
                if len(sent) == 1:
                    route.fetch()  # the server stores the answers...
                    route.abort("connectionreset")  # ...and the phone loses the reply
                else:
                    route.continue_()

            family.route("**/submit/", drop_first)
            family.locator("form[data-retry] button[type=submit]").click()
            family.wait_for_url("**/done/**", timeout=30_000)
            assert len(sent) >= 2  # it was retried
            assert Submission.objects.filter(organization=org_a).count() == 1
            heading = family.locator("h1").inner_text()
            assert "Gracias" in heading
            assert_accessible(family)
            body = family.locator("main").inner_text()
            assert "ACE" not in body
            assert "Relaciones" in body

            submission = Submission.objects.get(organization=org_a)
            family_id = submission.family.public_id
            urls = [
                f"{base}/orgs/{org_a.public_id}/submissions/",
                f"{base}/orgs/{org_a.public_id}/families/{family_id}/",
            ]

            staff = sign_in_with_code(browser, base, practitioner.email, devices[practitioner.pk])
            staff.goto(urls[0])
            assert staff.get_by_text("Colibrí").first.is_visible()
            response = staff.goto(urls[1])
            assert response is not None
            assert response.status == 200
            assert staff.get_by_text("Colibrí").first.is_visible()

            other = sign_in_with_code(browser, base, outsider.email, devices[outsider.pk])
            for url in urls:
                response = other.goto(url)
                assert response is not None
                assert response.status == 404, url
                assert "Colibrí" not in other.content()
        finally:
            browser.close()
