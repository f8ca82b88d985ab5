"""The API tokens page and the API's interactive documentation pass axe-core (WCAG 2.2 A/AA)
in Chromium: an org admin makes a token (shown once), sees it listed and revokes it, in
English and Spanish, on a desktop and a phone; a bad form shows its error summary. The
documentation page (Swagger UI, served by HOPEful, its colours darkened for contrast) renders
the operations from the schema and passes axe, closed and with an operation opened."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from hopeful.web.api.models import ApiToken
from hopeful.web.organizations.models import Role
from tests.e2e.axe import assert_accessible
from tests.e2e.test_learning_pages import DESKTOP, LANGUAGES, launch, submit_badly, visit
from tests.e2e.test_outreach_kit import sign_in
from tests.web import factories as f

PHONE = {"width": 390, "height": 844}


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_an_admin_makes_lists_and_revokes_a_token(live_server: LiveServer) -> None:
    org = f.make_org("Sunrise Pediatrics")
    admin = f.make_member(org, Role.ORG_ADMIN, "admin@sunrise.example.org")
    base = live_server.url
    tokens = f"/orgs/{org.public_id}/api-tokens/"
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport=DESKTOP)
            sign_in(page, base, admin)
            for viewport, phone in ((DESKTOP, False), (PHONE, True)):
                page.set_viewport_size(viewport)
                for language, prefix in LANGUAGES:
                    visit(page, f"{base}{prefix}{tokens}", language, phone=phone)
                    submit_badly(page, language, "#main form button[type=submit]", phone=phone)
                    page.locator("input[name=name]").fill(f"REDCap {language} {phone}")
                    page.locator("input[value='aggregates:read']").check()
                    with page.expect_navigation():
                        page.locator("#main form button[type=submit]").first.click()
                    shown = page.locator("#token-value").input_value()
                    assert shown.startswith("hpf_")
                    assert_accessible(page)
                    visit(page, f"{base}{prefix}{tokens}", language, phone=phone)
                    assert shown not in page.content()
                    with page.expect_navigation():
                        page.locator("#main form.inline-form button").first.click()
                    assert_accessible(page)
        finally:
            browser.close()
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 4


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_interactive_documentation_renders_the_schema(live_server: LiveServer) -> None:
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport=DESKTOP)
            response = page.goto(f"{live_server.url}/api/v1/docs")
            assert response is not None
            assert response.status == 200
            page.locator(".opblock-summary-path", has_text="/api/v1/submissions").first.wait_for()
            assert page.locator(".opblock").count() >= 11
            assert_accessible(page)
            # an operation opened, with its parameters and responses
            page.locator(".opblock-summary-control").first.click()
            page.locator(".opblock-body").first.wait_for()
            assert_accessible(page)
        finally:
            browser.close()
