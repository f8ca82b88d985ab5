"""A community leader finds a HOPE trainer near them, in Spanish, on a phone, and asks for a
presentation; the resource center's staff assign the trainer, and the leader is emailed.

Everything is reached by clicking from the Spanish home page: "Buscar capacitador" in the
header, a search near a ZIP code in Spanish, the nearest trainer's page, its "request a
presentation" button and the request form. Staff go from their header to the staff area, the
queue and the request, and pick the first suggested trainer. Every page met passes axe-core
(WCAG 2.2 AA). A trainer who let their certification lapse, and one who did not opt in, are
never offered, neither to the public nor among the staff's suggestions."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from hopeful.framework.certification import State
from hopeful.web.presentations.models import PresentationRequest, Status
from tests.e2e import axe
from tests.e2e.test_instrument_page import PHONE
from tests.e2e.test_learning_pages import DESKTOP, launch, sign_in
from tests.web.certification.helpers import make_staff
from tests.web.newsletter.helpers import run_queued
from tests.web.presentations.helpers import make_trainer

NEAR = "Ana Ortiz"  # Cambridge, 2.3 miles from 02111, speaks Spanish
FARTHER = "Wes Worcester"  # Worcester, about 40 miles: beyond a 25-mile search
LAPSED = "Lena Lapsed"  # Boston, but her certification expired
HIDDEN = "Hal Hidden"  # Boston, certified, but did not opt in


@pytest.fixture
def data(live_server: LiveServer, settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.SITE_URL = live_server.url
    settings.HOPEFUL_CREDENTIAL_KEYS_FILE = tmp_path / "keys" / "credentials.jwks"
    with translation.override("en"):
        near = make_trainer(NEAR, "02139", email="ana@example.org", language="es")
        make_trainer(FARTHER, "01608")
        lapsed = make_trainer(LAPSED, "02116")
        lapsed.user.certifications.update(state=State.EXPIRED.value)
        make_trainer(HIDDEN, "02116", opted_in=False)
        return {"near": near, "staff": make_staff()}


def click(page: Page, name: str | re.Pattern[str]) -> None:
    with page.expect_navigation():
        page.locator("#main").get_by_role("link", name=name).first.click()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_leader_finds_a_trainer_in_spanish_and_staff_assign_the_request(
    live_server: LiveServer, data: dict[str, Any]
) -> None:
    base = live_server.url
    with sync_playwright() as p:
        browser = launch(p)
        try:
            phone = browser.new_page(viewport=PHONE)
            phone.goto(f"{base}/es/")
            with phone.expect_navigation():
                phone.get_by_role("navigation", name="Principal").get_by_role(
                    "link", name="Buscar capacitador"
                ).click()
            assert phone.url.endswith("/es/trainers/"), phone.url
            axe.assert_accessible(phone)

            # -- a search near 02111, for trainers who speak Spanish -------------------------
            search = phone.locator("#main form.search-form")
            search.locator("input[name=zip]").fill("02111")
            search.locator("select[name=language]").select_option("es")
            with phone.expect_navigation():
                search.get_by_role("button", name="Buscar").click()
            assert "zip=02111" in phone.url
            results = phone.locator("#main ol.cards").inner_text()
            assert NEAR in results
            assert FARTHER not in results  # beyond 25 miles
            assert LAPSED not in results
            assert HIDDEN not in results
            assert "2,3" in results or "2.3" in results  # the distance, in miles
            assert "@" not in phone.locator("#main").inner_text()  # no address shown
            axe.assert_accessible(phone)

            # -- the trainer's page, and the request form from it -----------------------------
            click(phone, NEAR)
            assert phone.get_by_role("heading", level=1).inner_text() == NEAR
            axe.assert_accessible(phone)
            click(phone, "Pedir una presentación a este capacitador")
            assert "/es/request-a-presentation/" in phone.url
            assert NEAR in phone.locator("#main").inner_text()  # "you asked for ..."
            form = phone.locator("#main form.form")
            form.locator("input[name=requester_name]").fill("Lucía Reyes")
            form.locator("input[name=requester_email]").fill("lucia@example.org")
            form.locator("input[name=organization_name]").fill("Centro Comunitario Sol")
            form.locator("select[name=audience]").select_option("families")
            form.locator("input[name=audience_size]").fill("35")
            form.locator("select[name=topic]").select_option("families")
            form.locator("input[name=modality][value=in_person]").check()
            form.locator("input[name=zip_code]").fill("02128")
            form.locator("input[name=preferred_dates]").fill("Un sábado de abril")
            axe.assert_accessible(phone)
            phone.wait_for_timeout(3200)  # the form's time check: people take a while
            with phone.expect_navigation():
                form.locator("button[type=submit]").click()
            assert phone.url.endswith("/es/request-a-presentation/thanks/"), phone.url
            axe.assert_accessible(phone)
            item = PresentationRequest.objects.get(requester_email="lucia@example.org")
            assert item.requester_language == "es"
            assert item.status == Status.NEW

            # -- staff: from the header to the request; the nearest speaker is suggested ------
            staff = browser.new_page(viewport=DESKTOP)
            sign_in(staff, base, data["staff"])
            with staff.expect_navigation():
                staff.get_by_role("navigation", name="Main").get_by_role(
                    "link", name="Learning and certification"
                ).click()
            click(staff, "Presentation requests")
            axe.assert_accessible(staff)
            click(staff, "Centro Comunitario Sol")
            suggestions = staff.locator("#suggestions").inner_text()
            assert NEAR in suggestions
            assert LAPSED not in suggestions
            assert HIDDEN not in suggestions
            axe.assert_accessible(staff)
            choice = staff.locator("select[name=assign-listing]")
            first = choice.locator("optgroup option").first
            assert NEAR in first.inner_text()
            choice.select_option(first.get_attribute("value"))
            with staff.expect_navigation():
                staff.locator("#main button[name=action][value=assign]").click()
            assert "assigned" in staff.locator(".messages").inner_text()
            axe.assert_accessible(staff)
            item.refresh_from_db()
            assert item.status == Status.ASSIGNED
            assert item.assigned_listing_id == data["near"].pk
        finally:
            browser.close()

    # -- the worker sends the emails: the requester's in Spanish, naming the trainer ----------
    run_queued()
    to_requester = [m for m in mail.outbox if m.to == ["lucia@example.org"]]
    assert len(to_requester) == 2  # the confirmation, then the trainer found
    assert NEAR in to_requester[-1].body
    assert "ana@example.org" not in to_requester[-1].body  # the trainer's address is not given
    to_trainer = [m for m in mail.outbox if m.to == ["ana@example.org"]]
    assert len(to_trainer) == 1
    assert "lucia@example.org" in to_trainer[0].body  # the assigned trainer may answer
