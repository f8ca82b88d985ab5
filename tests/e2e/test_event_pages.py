"""The events' pages pass axe-core (WCAG 2.2 AA) in Chromium, in English and in Spanish: the
list, an event's page (and its form after a bad submission, and the page that answers a
registration), a registrant's private manage page, and the network staff's pages. The public
pages must not scroll sideways on a phone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from hopeful.web.events.models import Event, Mode
from hopeful.web.events.services import registration_create
from hopeful.web.events.tokens import manage_token_issue
from tests.e2e.test_instrument_page import PHONE
from tests.e2e.test_learning_pages import (
    DESKTOP,
    LANGUAGES,
    check,
    launch,
    sign_in,
    submit_badly,
    visit,
)
from tests.web.certification.helpers import make_staff
from tests.web.events.helpers import make_event


@dataclass
class Data:
    summit: Event
    webinar: Event
    tokens: dict[str, str]
    staff: Any


def build() -> Data:
    summit = make_event(
        slug="hope-summit",
        title="HOPE Summit",
        kind="summit",
        mode=Mode.HYBRID,
        location="Convention Center, Boston",
        time_zone="America/New_York",
        capacity=1,
    )
    webinar = make_event(slug="webinar-es", title="Seminario web: experiencias", language="es")
    make_event(slug="gone", title="Cancelled webinar", status="cancelled")
    placed, _ = registration_create(event=summit, name="Rosa Díaz", email="rosa@example.org")
    waiting, _ = registration_create(event=summit, name="Wen Li", email="wen@example.org")
    assert placed is not None
    assert waiting is not None
    tokens = {"placed": manage_token_issue(placed), "waiting": manage_token_issue(waiting)}
    return Data(summit=summit, webinar=webinar, tokens=tokens, staff=make_staff())


@pytest.fixture
def data(live_server: LiveServer, settings: Any) -> Data:
    settings.SITE_URL = live_server.url
    with translation.override("en"):
        return build()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_public_event_pages_pass_axe_on_a_phone(live_server: LiveServer, data: Data) -> None:
    base = live_server.url
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport=PHONE)
            for language, prefix in LANGUAGES:
                visit(page, f"{base}{prefix}/events/", language, phone=True)
                visit(page, f"{base}{prefix}/events/?kind=webinar", language, phone=True)
                visit(page, f"{base}{prefix}/events/gone/", language, phone=True)
                for token in data.tokens.values():
                    visit(
                        page, f"{base}{prefix}/events/registrations/{token}/", language, phone=True
                    )
                visit(page, f"{base}{prefix}/events/{data.webinar.slug}/", language, phone=True)
                # sent at once: "too quick", the error summary shows
                submit_badly(page, language, "#main form.form button[type=submit]", phone=True)
                # then sent right: the page that answers a registration
                page.wait_for_timeout(3000)  # the form's "too quick" guard
                page.locator("input[name=name]").fill("Sam Lee")
                page.locator("input[name=email]").fill(f"sam.{language}@example.org")
                with page.expect_navigation():
                    page.locator("#main form.form button[type=submit]").first.click()
                assert page.locator(".error-summary").count() == 0, page.url
                check(page, language, phone=True)
                visit(page, f"{base}{prefix}/events/{data.summit.slug}/", language, phone=True)
                submit_badly(
                    page,
                    language,
                    "#main form.form button[type=submit]",
                    phone=True,
                    before=lambda: page.locator("input[name=email]").fill("not an address"),
                )
        finally:
            browser.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_staff_event_pages_pass_axe(live_server: LiveServer, data: Data) -> None:
    base = live_server.url
    summit = data.summit.public_id
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport=DESKTOP)
            sign_in(page, base, data.staff)
            for language, prefix in LANGUAGES:
                for path in ("/staff/events/", "/staff/events/new/", f"/staff/events/{summit}/"):
                    visit(page, base + prefix + path, language, phone=False)
                visit(page, f"{base}{prefix}/staff/events/{summit}/edit/", language, phone=False)
                submit_badly(
                    page,
                    language,
                    "#main form.form button[type=submit]",
                    phone=False,
                    before=lambda: page.locator("input[name=title]").fill(""),
                )
        finally:
            browser.close()
