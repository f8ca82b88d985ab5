"""``/network/figures/`` passes axe-core (WCAG 2.2 AA) in Chromium, in English and in
Spanish, on a phone (no sideways scrolling) and on a desktop, with certifications in a few
states so that every band of the map and the growth charts have something to draw."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from hopeful.framework.certification import State, Tier
from hopeful.web.certification.models import Certification
from hopeful.web.learning.models import LearnerProfile
from tests.e2e import axe
from tests.e2e.test_instrument_page import CHROMIUM_ARGS, PHONE
from tests.web import factories as f

LANGUAGES = (("en", ""), ("es", "/es"))
DESKTOP = {"width": 1280, "height": 900}


def build() -> None:
    """Certified people in three states (3, 12 and 60: the three bands above 0), a few
    organizations, and first certifications spread over the last two years."""
    now = timezone.now()
    until = timezone.localdate() + dt.timedelta(days=365)
    serial = 0
    for state, count in (("WI", 3), ("CA", 12), ("TX", 60)):
        for i in range(count):
            serial += 1
            user = f.make_user(f"holder{serial}@example.org")
            LearnerProfile.objects.create(user=user, full_name=f"Holder {serial}", state=state)
            Certification.objects.create(
                tier=Tier.FACILITATOR.value,
                state=State.CERTIFIED.value,
                user=user,
                certified_at=now - dt.timedelta(days=(serial * 11) % 700),
                valid_until=until,
            )
            if i % 4 == 0:
                Certification.objects.create(
                    tier=Tier.CHAMPION.value,
                    state=State.CERTIFIED.value,
                    user=user,
                    certified_at=now - dt.timedelta(days=(serial * 7) % 300),
                    valid_until=until,
                )
    for name, state in (("Lakeside Center", "WI"), ("Bay Family Services", "CA")):
        Certification.objects.create(
            tier=Tier.ORGANIZATION.value,
            state=State.CERTIFIED.value,
            organization=f.make_org(name, state=state),
            certified_at=now - dt.timedelta(days=90),
            valid_until=until,
        )


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_network_figures_pass_axe(live_server: LiveServer, settings: Any) -> None:
    settings.SITE_URL = live_server.url
    build()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for viewport in (PHONE, DESKTOP):
                page = browser.new_page(viewport=viewport)
                for language, prefix in LANGUAGES:
                    response = page.goto(f"{live_server.url}{prefix}/network/figures/")
                    assert response is not None
                    assert response.status == 200
                    assert page.locator("html").get_attribute("lang") == language
                    assert page.locator("svg[role=img]").count() == 4  # the map, three charts
                    assert page.locator("#state-WI td").first.inner_text() == "1–10"
                    axe.assert_accessible(page)
                    width = page.evaluate("document.documentElement.scrollWidth")
                    assert width <= viewport["width"], (page.url, width)
                page.close()
        finally:
            browser.close()
