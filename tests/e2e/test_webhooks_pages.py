"""The webhooks pages pass axe-core (WCAG 2.2 A/AA) in Chromium, at 1280 px and 390 px, in
English and in Spanish: the list, the page that shows a new secret once (after adding a
webhook through the form, and after a refused address with its error summary) and a
webhook's page with its delivery log, and the question before deleting one. The data is made through the webhooks' services."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from hopeful.web.organizations.access import Access
from hopeful.web.organizations.models import Role
from hopeful.web.webhooks import services
from hopeful.web.webhooks.models import Delivery, DeliveryStatus, EventType, Webhook
from tests.e2e.test_instrument_page import PHONE
from tests.e2e.test_learning_pages import DESKTOP, LANGUAGES, check, launch, visit
from tests.e2e.test_outreach_kit import sign_in as sign_in_with_code
from tests.web import factories as f

RECEIVER = "http://127.0.0.1:9/hopeful/webhook"


def build() -> dict[str, Any]:
    """An organization with one webhook and a log of every kind of delivery."""
    org = f.make_org("Sunrise Pediatrics")
    admin = f.make_member(org, Role.ORG_ADMIN, "admin@sunrise.example.org")
    access = Access(organization=org, role=Role.ORG_ADMIN, membership=org.memberships.get())
    webhook, _secret = services.webhook_create(
        access=access, actor=admin, url=RECEIVER, description="Clinic records system"
    )
    for status, code, error, attempts in (
        (DeliveryStatus.DELIVERED, 200, "", 1),
        (DeliveryStatus.PENDING, 503, "HTTP 503 Service Unavailable: down for maintenance", 2),
        (DeliveryStatus.FAILED, None, "No answer within 10 seconds", 6),
    ):
        Delivery.objects.create(
            organization=org,
            webhook=webhook,
            event_type=EventType.SUBMISSION_CREATED,
            payload={"type": "submission.created", "data": {}},
            status=status,
            attempts=attempts,
            last_status_code=code,
            last_error=error,
        )
    return {"org": org, "admin": admin, "webhook": webhook}


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("phone", [False, True], ids=["1280px", "390px"])
def test_the_webhooks_pages_pass_axe(live_server: LiveServer, settings: Any, phone: bool) -> None:
    settings.HOPEFUL_WEBHOOK_ALLOW_PRIVATE = True
    data = build()
    base = live_server.url
    org = data["org"].public_id
    webhook: Webhook = data["webhook"]
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport=PHONE if phone else DESKTOP)
            sign_in_with_code(page, base, data["admin"])
            for language, prefix in LANGUAGES:
                visit(page, f"{base}{prefix}/orgs/{org}/webhooks/", language, phone=phone)
                # a refused address: the error summary
                page.locator("#id_url").fill("ftp://records.example.org/")
                with page.expect_navigation():
                    page.locator("#main form.form button[type=submit]").click()
                assert page.locator(".error-summary").is_visible()
                check(page, language, phone=phone)
                # a good one: the secret, shown once
                page.locator("#id_url").fill(f"{RECEIVER}/{language}")
                with page.expect_navigation():
                    page.locator("#main form.form button[type=submit]").click()
                assert page.locator("#secret-value").input_value().startswith("whsec_")
                check(page, language, phone=phone)
                visit(
                    page,
                    f"{base}{prefix}/orgs/{org}/webhooks/{webhook.public_id}/",
                    language,
                    phone=phone,
                )
                assert page.locator(".data-table tbody tr").count() == 3
                assert webhook.secret not in page.content()
                visit(
                    page,
                    f"{base}{prefix}/orgs/{org}/webhooks/{webhook.public_id}/delete/",
                    language,
                    phone=phone,
                )
        finally:
            browser.close()
    assert Webhook.objects.count() == 3
