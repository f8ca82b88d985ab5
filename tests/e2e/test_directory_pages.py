"""The trainer directory and the Innovation Network's pages pass axe-core (WCAG 2.2 AA) in
Chromium, in English and in Spanish, on a phone (no sideways scrolling): the search with its
results, a bad ZIP code's error, a listing with its contact form (and the form's errors), the
network's members and a member's page; and the certified person's own listing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from hopeful.framework.certification import Tier
from hopeful.web.directory.models import Listing
from hopeful.web.learning.models import LearnerProfile
from tests.e2e.test_instrument_page import PHONE
from tests.e2e.test_learning_pages import LANGUAGES, check, launch, sign_in, visit
from tests.web import factories as f
from tests.web.directory.helpers import NOW, certify, organization_listing, person_listing


@dataclass
class Data:
    person: Listing
    organization: Listing
    trainer: Any


def build() -> Data:
    person = person_listing(
        "Ana Rivera",
        "02139",
        languages=["en", "es"],
        sectors=["health_care", "education"],
        about="Workshops for parents and clinic teams.",
    )
    certify(user=person.user, tier=Tier.CHAMPION)
    person_listing("Ben Okafor", "01901", virtual=False)
    organization = organization_listing(
        "Harbor Family Center", "02301", website="https://harbor.example.org", about="We help."
    )
    organization.organization.network_member = True
    organization.organization.save()
    f.make_org("Mesa Clinic", state="NM", kind="clinic", network_member=True)
    trainer = f.make_user("tess@example.org", display_name="Tess")
    LearnerProfile.objects.create(
        user=trainer, full_name="Tess Okafor", state="MA", zip_code="02116"
    )
    certify(user=trainer)
    return Data(person=person, organization=organization, trainer=trainer)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_directory_pages_pass_axe_on_a_phone(live_server: LiveServer) -> None:
    base = live_server.url
    with time_machine.travel(NOW, tick=True):
        data = build()
        person = data.person.public_id
        member = data.organization.organization.public_id
        with sync_playwright() as p:
            browser = launch(p)
            try:
                page = browser.new_page(viewport=PHONE)
                for language, prefix in LANGUAGES:
                    visit(page, f"{base}{prefix}/trainers/", language, phone=True)
                    visit(
                        page,
                        f"{base}{prefix}/trainers/?zip=02111&radius=25&language=es",
                        language,
                        phone=True,
                    )
                    visit(page, f"{base}{prefix}/trainers/?zip=02111", language, phone=True)
                    assert page.locator("#main ol.cards > li").count() == 3
                    visit(
                        page,
                        f"{base}{prefix}/trainers/?zip=00000",
                        language,
                        phone=True,
                        status=400,
                    )
                    assert page.locator(".error-summary").first.is_visible()
                    for listing in (person, data.organization.public_id):
                        visit(page, f"{base}{prefix}/trainers/{listing}/", language, phone=True)
                    # sent at once: "that was very quick", with the error summary
                    page.goto(f"{base}{prefix}/trainers/{person}/")
                    page.locator("input[name=name]").fill("Dana")
                    page.locator("input[name=email]").fill("dana@example.org")
                    page.locator("textarea[name=message]").fill("Could you present in April?")
                    with page.expect_navigation():
                        page.locator("#main form.form button[type=submit]").click()
                    assert page.locator(".error-summary").first.is_visible()
                    check(page, language, phone=True)
                    visit(page, f"{base}{prefix}/network/members/", language, phone=True)
                    visit(page, f"{base}{prefix}/network/members/?state=MA", language, phone=True)
                    visit(page, f"{base}{prefix}/network/members/{member}/", language, phone=True)
                signed_in = browser.new_context(viewport=PHONE).new_page()
                sign_in(signed_in, base, data.trainer)
                for language, prefix in LANGUAGES:
                    visit(signed_in, f"{base}{prefix}/trainers/me/", language, phone=True)
            finally:
                browser.close()
