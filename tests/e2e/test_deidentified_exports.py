"""The de-identified exports' pages pass axe-core (WCAG 2.2 A/AA) in Chromium, in English and
Spanish, on a desktop and a phone: the list with its request form (also after a bad
submission, its error summary shown) and an export's page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from hopeful.web.deidentified import services
from hopeful.web.families.models import ConsentPurpose
from hopeful.web.organizations.access import get_organization_for_user
from hopeful.web.organizations.models import Role
from tests.e2e.test_learning_pages import DESKTOP, LANGUAGES, launch, sign_in, submit_badly, visit
from tests.web import factories as f
from tests.web.practice.factories import make_submission

PHONE = {"width": 390, "height": 844}


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_the_export_pages_pass_axe(
    live_server: LiveServer, two_tenants: dict[str, Any], viewport: dict[str, int]
) -> None:
    t = two_tenants
    for i in range(12):
        family = f.make_family(t["org_a"], t["program_a"], f"Family {i}")
        f.grant_consent(family, ConsentPurpose.RESEARCH)
        make_submission(family, t["campaign_a"], t["link_a"])
    researcher = t["members_a"][Role.RESEARCHER]
    access = get_organization_for_user(researcher, t["org_a"].public_id)
    export = services.export_create(
        access=access,
        actor=researcher,
        purpose="Flourishing study, IRB-2026-0042 (State University)",
        fmt="csv",
        confirmed=True,
    )
    base = live_server.url
    exports = f"/orgs/{t['org_a'].public_id}/research/exports/"
    phone = viewport is PHONE
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport=viewport)
            sign_in(page, base, researcher)
            for language, prefix in LANGUAGES:
                visit(page, f"{base}{prefix}{exports}", language, phone=phone)
                assert page.locator("table.data-table tbody tr").count() == 1
                submit_badly(
                    page,
                    language,
                    "#main form.form button[type=submit]",
                    phone=phone,
                    before=lambda: page.locator("#id_purpose").fill("too short"),
                )
                visit(page, f"{base}{prefix}{exports}{export.public_id}/", language, phone=phone)
                assert page.locator("a[href$='/download/']").count() == 1
        finally:
            browser.close()
