"""Goals, celebrations and case reviews in Chromium on a 390 px phone, without JavaScript
needed: a supervising practitioner adds a goal, records it reached, celebrates it, writes a
case review; another supervisor signs it off. Every page fits the phone's width and has no
WCAG 2.2 AA violation (axe-core). The pages load no script of their own: plain links and forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from hopeful.web.casework.models import CaseReview, Celebration, Goal, GoalStatus
from hopeful.web.organizations.models import Role
from tests.e2e import axe
from tests.e2e.test_instrument_page import CHROMIUM_ARGS, PHONE
from tests.web import factories as f


def open_as(browser: Browser, base: str, user: Any) -> Page:
    """A phone-sized page signed in as ``user`` (with a verified second factor)."""
    client = Client()
    f.login_verified(client, user)
    context = browser.new_context(viewport=PHONE)
    name = settings.SESSION_COOKIE_NAME
    context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def follow(page: Page, target: Locator) -> None:
    """Click a link or a submit button and wait for the page it leads to (the database is
    read right after, and the checks need the new document)."""
    with page.expect_navigation():
        target.click()
    page.wait_for_load_state()


def check(page: Page) -> None:
    """Nothing wider than the phone, and no WCAG 2.2 A/AA violation."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url
    axe.assert_accessible(page)


@pytest.mark.one_database  # a browser test; the same views' queries run on both databases in tests/web/casework
@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_goals_celebrations_and_a_signed_review_on_a_phone(
    live_server: LiveServer, two_tenants: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Playwright's sync API runs an event loop in this thread; the database calls are still
    # made synchronously here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    t = two_tenants
    org, program = t["org_a"], t["program_a"]
    author = f.make_member(
        org, Role.PRACTITIONER, "ana@a.example.org", [program], is_supervisor=True
    )
    signer = f.make_member(
        org, Role.PRACTITIONER, "ben@a.example.org", [program], is_supervisor=True
    )
    base = live_server.url
    family_goals = base + reverse(
        "casework:family_goals", args=[org.public_id, t["family_a"].public_id]
    )
    due = (timezone.localdate() + dt.timedelta(days=21)).isoformat()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = open_as(browser, base, author)
            page.goto(family_goals)
            check(page)  # the empty states

            follow(page, page.get_by_role("link", name="Add a goal").first)
            check(page)
            page.get_by_label("Engagement").check()
            page.get_by_label("The goal, in the family's words").fill("Join the Saturday choir")
            page.get_by_label("Next step").fill("Ask at the community centre")
            page.get_by_label("By when").fill(due)
            follow(page, page.get_by_role("button", name="Add the goal"))
            assert Goal.objects.get().text == "Join the Saturday choir"
            check(page)

            page.get_by_label("What happened").fill("Sang at the spring concert")
            page.get_by_label("Reached").check()
            follow(page, page.get_by_role("button", name="Save the progress"))
            assert Goal.objects.get().status == GoalStatus.REACHED
            check(page)
            follow(page, page.get_by_role("main").get_by_role("link", name="Record a celebration"))
            check(page)
            page.get_by_label("In the family's words").fill("We sang on a real stage")
            follow(page, page.get_by_role("button", name="Record the celebration"))
            celebration = Celebration.objects.get()
            assert (celebration.goal, celebration.block) == (Goal.objects.get(), "engagement")
            check(page)

            page.goto(family_goals)
            follow(page, page.get_by_role("link", name="Write a case review").first)
            check(page)
            page.get_by_label("Relationships").fill("Sings with grandmother every evening")
            page.get_by_label("What the family wants").fill("More music together")
            page.get_by_label("Plan").fill("Look for a family choir")
            page.get_by_label("Follow up by").fill(due)
            follow(page, page.get_by_role("button", name="Save the review"))
            review = CaseReview.objects.get()
            assert page.get_by_text("another supervisor").is_visible()
            check(page)

            # the other supervisor finds it in the reviews due and signs it off
            other = open_as(browser, base, signer)
            other.goto(base + reverse("practice:home", args=[org.public_id]))
            follow(other, other.get_by_role("link", name="Case reviews due"))
            check(other)
            follow(other, other.get_by_role("link", name="Family A: review of").first)
            follow(other, other.get_by_role("button", name="Sign off"))
            review.refresh_from_db()
            assert review.signed_off_by == signer
            check(other)
        finally:
            browser.close()
