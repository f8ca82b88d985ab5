"""The bright-spots pages pass axe-core (WCAG 2.2 A/AA) in Chromium, in English and Spanish,
at 1280 px and on a phone (390 px, no sideways scrolling): an organization's programs
compared (with a small program too few to compare), the same page after bad filters (its
error summary), and the network's member organizations for network staff."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from hopeful.web.organizations.models import Role
from tests.e2e.test_learning_pages import DESKTOP, LANGUAGES, launch, sign_in, visit
from tests.web import factories as f
from tests.web.brightspots.factories import add_program_families

PHONE = {"width": 390, "height": 844}


def build() -> dict[str, Any]:
    orgs = []
    for i, (name, bases) in enumerate(
        (("Sunrise Pediatrics", (3, 3, 5)), ("Riverbend Home Visiting", (4, 4, 4)))
    ):
        org = f.make_org(name, network_member=True)
        admin = f.make_member(org, Role.ORG_ADMIN, f"admin{i}@example.org")
        programs = [f.make_program(org, n) for n in ("Main clinic", "Eastside", "West site")]
        campaign = f.make_campaign(org, programs[0], admin)
        link, _token = f.make_link(campaign, admin)
        for j, (program, base) in enumerate(zip(programs, bases, strict=True)):
            add_program_families(
                program,
                campaign,
                link,
                24,
                base=base,
                high_income=8,
                income_bonus=1,
                start=1000 * i + 100 * j,
            )
        pilot = f.make_program(org, "Tiny pilot")
        add_program_families(pilot, campaign, link, 3, base=6, start=1000 * i + 900)
        orgs.append(org)
    analyst = f.make_member(orgs[0], Role.ANALYST, "analyst@example.org")
    staff = f.make_user("net@hope.example.org", is_network_staff=True)
    return {"org": orgs[0], "analyst": analyst, "staff": staff}


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_bright_spots_pages_pass_axe(live_server: LiveServer) -> None:
    data = build()
    base = live_server.url
    org_page = f"/orgs/{data['org'].public_id}/bright-spots/"
    with sync_playwright() as p:
        browser = launch(p)
        try:
            for viewport, phone in ((DESKTOP, False), (PHONE, True)):
                page = browser.new_page(viewport=viewport)
                sign_in(page, base, data["analyst"])
                for language, prefix in LANGUAGES:
                    visit(page, f"{base}{prefix}{org_page}", language, phone=phone)
                    assert page.locator("#bright-table tbody tr").count() == 3
                    assert page.locator("svg[role=img]").count() == 1
                    assert page.locator("#too-few-list li").count() == 1
                    query = "?instrument=pce7&outcome=top_band&period=all&adjust=income"
                    visit(page, f"{base}{prefix}{org_page}{query}", language, phone=phone)
                    visit(
                        page,
                        f"{base}{prefix}{org_page}?outcome=median&period=1999",
                        language,
                        phone=phone,
                        status=400,
                    )
                    assert page.locator(".error-summary").is_visible()
                page.close()
                page = browser.new_page(viewport=viewport)
                sign_in(page, base, data["staff"])
                for language, prefix in LANGUAGES:
                    visit(page, f"{base}{prefix}/network/bright-spots/", language, phone=phone)
                    assert page.locator("#bright-table tbody tr").count() == 2
                page.close()
        finally:
            browser.close()
