"""The community strengths pages pass axe-core (WCAG 2.2 A/AA) in Chromium, in English and
in Spanish: the map with its results (on a phone, no sideways scrolling), a place's page, and
an organization admin's list and form (also after a bad submission, its error summary
shown). The data is made through the assets' services, as in use."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from hopeful.web.assets.models import CommunityAsset
from hopeful.web.organizations.models import Role
from tests.e2e.test_learning_pages import DESKTOP, LANGUAGES, launch, submit_badly, visit
from tests.e2e.test_outreach_kit import sign_in as sign_in_with_code
from tests.web import factories as f
from tests.web.assets.helpers import make_asset


def build() -> dict[str, Any]:
    org = f.make_org("Sunrise Pediatrics")
    admin = f.make_member(org, Role.ORG_ADMIN, "admin@sunrise.example.org")
    assets = [
        make_asset(org, admin, name="Riverside Community Library", zip_code="02116"),
        make_asset(
            None,
            None,
            name="Lakeside Park and Playground",
            kind="park",
            zip_code="02139",
            blocks=["environment", "engagement"],
        ),
        make_asset(
            None,
            None,
            name="Hillcrest Youth Club",
            kind="youth_program",
            zip_code="02116",
            blocks=["emotional_growth"],
        ),
        make_asset(
            org,
            admin,
            name="Maple Street Parent Circle",
            kind="health",
            zip_code="02169",
            visibility="members",
        ),
    ]
    return {"org": org, "admin": admin, "assets": assets}


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_public_map_and_a_place_pass_axe_on_a_phone(live_server: LiveServer) -> None:
    data = build()
    asset: CommunityAsset = data["assets"][0]
    base = live_server.url
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            for language, prefix in LANGUAGES:
                visit(page, f"{base}{prefix}/strengths/", language, phone=True)
                visit(page, f"{base}{prefix}/strengths/?zip=02111&radius=25", language, phone=True)
                assert page.locator("svg[role=img] .strengths-map__point").count() == 3
                assert page.locator(".strengths__list > li").count() == 3
                visit(page, f"{base}{prefix}/strengths/{asset.public_id}/", language, phone=True)
                visit(
                    page,
                    f"{base}{prefix}/strengths/?zip=00000&radius=25",
                    language,
                    phone=True,
                    status=400,
                )
                assert page.locator(".error-summary").is_visible()
        finally:
            browser.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_an_organizations_list_and_form_pass_axe(live_server: LiveServer) -> None:
    data = build()
    base = live_server.url
    strengths = f"/orgs/{data['org'].public_id}/strengths/"
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport=DESKTOP)
            sign_in_with_code(page, base, data["admin"])
            for language, prefix in LANGUAGES:
                visit(page, f"{base}{prefix}{strengths}", language, phone=False)
                visit(page, f"{base}{prefix}/strengths/?zip=02111&radius=25", language, phone=False)
                assert page.locator("svg[role=img] .strengths-map__point").count() == 4
                visit(page, f"{base}{prefix}{strengths}new/", language, phone=False)
                submit_badly(page, language, "#main form.form button[type=submit]", phone=False)
        finally:
            browser.close()
