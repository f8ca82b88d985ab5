"""The presentation request pages pass axe-core (WCAG 2.2 AA) in Chromium, in English and
in Spanish: the public form (empty, with a trainer asked for, and after a bad submission),
the thank-you page, and the staff's queue and a request's page (before and after a bad
step). A person sends a request, and staff assign it: the requester is emailed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from hopeful.web.presentations.models import PresentationRequest
from tests.e2e.test_instrument_page import PHONE
from tests.e2e.test_learning_pages import DESKTOP, LANGUAGES, launch, sign_in, submit_badly, visit
from tests.web.certification.helpers import make_staff
from tests.web.newsletter.helpers import run_queued
from tests.web.presentations.helpers import make_request, make_trainer


@pytest.fixture
def data(live_server: LiveServer, settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.SITE_URL = live_server.url
    settings.HOPEFUL_CREDENTIAL_KEYS_FILE = tmp_path / "keys" / "credentials.jwks"
    with translation.override("en"):
        trainer = make_trainer("Ana Ortiz", "02139", email="ana@example.org")
        make_trainer("Wes Worcester", "01608")
        return {"trainer": trainer, "staff": make_staff(), "request": make_request()}


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_public_pages_pass_axe_on_a_phone(live_server: LiveServer, data: dict[str, Any]) -> None:
    base = live_server.url
    trainer = data["trainer"].public_id
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport=PHONE)
            for language, prefix in LANGUAGES:
                visit(page, f"{base}{prefix}/request-a-presentation/", language, phone=True)
                visit(
                    page,
                    f"{base}{prefix}/request-a-presentation/?trainer={trainer}",
                    language,
                    phone=True,
                )
                assert page.locator("text=Ana Ortiz").count() >= 1
                submit_badly(page, language, "#main form.form button[type=submit]", phone=True)
                visit(page, f"{base}{prefix}/request-a-presentation/thanks/", language, phone=True)
        finally:
            browser.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_staff_pages_pass_axe(live_server: LiveServer, data: dict[str, Any]) -> None:
    base = live_server.url
    item = data["request"]
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport=DESKTOP)
            sign_in(page, base, data["staff"])
            for language, prefix in LANGUAGES:
                visit(page, f"{base}{prefix}/staff/presentations/", language, phone=False)
                visit(
                    page,
                    f"{base}{prefix}/staff/presentations/?status=new",
                    language,
                    phone=False,
                )
                url = f"{base}{prefix}/staff/presentations/{item.public_id}/"
                visit(page, url, language, phone=False)
                assert page.locator("#suggestions tbody tr").count() == 2
                submit_badly(
                    page, language, "#main button[name=action][value=decline]", phone=False
                )
        finally:
            browser.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_request_is_sent_then_assigned_and_the_requester_emailed(
    live_server: LiveServer, data: dict[str, Any]
) -> None:
    base = live_server.url
    trainer = data["trainer"]
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport=PHONE)
            page.goto(f"{base}/es/request-a-presentation/?trainer={trainer.public_id}")
            form = page.locator("#main form.form")
            form.locator("input[name=requester_name]").fill("Lucía Reyes")
            form.locator("input[name=requester_email]").fill("lucia@example.org")
            form.locator("input[name=organization_name]").fill("Centro Comunitario Sol")
            form.locator("select[name=audience]").select_option("families")
            form.locator("input[name=audience_size]").fill("35")
            form.locator("select[name=topic]").select_option("families")
            form.locator("input[name=modality][value=in_person]").check()
            form.locator("input[name=zip_code]").fill("02128")
            form.locator("input[name=preferred_dates]").fill("Un sábado de abril")
            # the form's time check: a person takes more than a few seconds
            page.wait_for_timeout(3200)
            with page.expect_navigation():
                form.locator("button[type=submit]").click()
            assert page.url.endswith("/es/request-a-presentation/thanks/"), page.url
            item = PresentationRequest.objects.get(requester_email="lucia@example.org")
            assert item.wished_listing_id == trainer.pk
            assert item.requester_language == "es"

            staff = browser.new_page(viewport=DESKTOP)
            sign_in(staff, base, data["staff"])
            staff.goto(f"{base}/staff/presentations/{item.public_id}/")
            staff.locator("select[name=assign-listing]").select_option(str(trainer.public_id))
            with staff.expect_navigation():
                staff.locator("#main button[name=action][value=assign]").click()
            assert "assigned" in staff.locator(".messages").inner_text()
            item.refresh_from_db()
            assert item.assigned_listing_id == trainer.pk
        finally:
            browser.close()
    run_queued()
    to_requester = [m for m in mail.outbox if m.to == ["lucia@example.org"]]
    assert len(to_requester) == 2  # the confirmation, then "a trainer was found"
    assert "Ana Ortiz" in to_requester[-1].body
    assert any(m.to == ["ana@example.org"] for m in mail.outbox)
