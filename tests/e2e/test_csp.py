"""Every page in Chromium under the site's Content-Security-Policy: none of them breaks it.

Which pages: the ones the role crawl reaches (tests/web/test_role_crawl.py), by following
links with the Django test client from where each person starts, one page per URL name (in
the admins, one per kind of view):
signed out from the home page, an organization admin from their organizations (plus
organization A's pages of the URL inventory's outsider registry, tests/web/test_url_inventory.py,
some of which no link reaches in this data), network staff from the network view and the
learning staff area, the CMS admin (Wagtail) and Django's admin; the family's survey is
answered in the browser, page by page. Then one browser opens every page, one context per
person (signed in by copying the test client's session cookie), and a ``securitypolicyviolation``
listener added to every page and frame reports to the test, as do console errors and warnings
about the Content Security Policy or the Permissions-Policy header.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, ConsoleMessage, sync_playwright
from pytest_django.live_server_helper import LiveServer

from hopeful.web.accounts.models import User
from hopeful.web.organizations.models import Role
from tests.e2e.test_instrument_page import CHROMIUM_ARGS
from tests.web import test_role_crawl
from tests.web.cms.site import ensure_skeleton
from tests.web.test_url_inventory import OUTSIDER_CASES

#: The role crawl's people: organization A with one object of each kind, network staff.
cast = test_role_crawl.cast
NETWORK_STAFF = test_role_crawl.NETWORK_STAFF

#: Reports every violation (and the page it happened on) to the test, in every frame.
LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation([location.pathname, event.violatedDirective, event.blockedURI,
                         `${event.sourceFile}:${event.lineNumber}`, event.sample].join(" | "));
});
"""
#: Bounds of one crawl (one page per URL name; the admins have many URL names).
MAX_PAGES = 90


def _kind(path: str) -> str | None:
    """The page's URL name; in the admins, where each model has its own names for the same
    few views (list, add, change, history, delete), the view's kind only."""
    try:
        name = resolve(path).view_name
    except Resolver404:
        return None
    if name.startswith("admin:"):
        return "admin:" + name.rsplit("_", 1)[-1]
    if name.startswith("wagtailsnippets_"):
        return "wagtailsnippets:" + name.rsplit(":", 1)[-1]
    return name


def pages(client: Client, starts: Iterable[str], within: tuple[str, ...] = ("/",)) -> list[str]:
    """HTML pages reached by links from ``starts`` (English, under ``within``, one page per
    kind, see :func:`_kind`), never signing out."""
    skip = (settings.STATIC_URL, "/es/", "/open-data/", "/media/", "/documents/")
    found: list[str] = []
    names: set[str] = set()
    queue = deque(starts)
    seen = set(queue)
    while queue and len(found) < MAX_PAGES:
        path = queue.popleft()
        name = _kind(path)
        if name is None or name in names or "logout" in path:
            continue
        response = client.get(path)
        if response.status_code in (301, 302):
            location = urlsplit(urljoin(path, response["Location"])).path
            if location not in seen:
                seen.add(location)
                queue.appendleft(location)
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        if response.get("Content-Disposition", "").startswith("attachment"):
            continue  # a file to save (an analysis's HTML report), not a page the browser shows
        names.add(name)
        found.append(path)
        parser = test_role_crawl.LinkTargets()
        parser.feed(response.content.decode())
        for target in parser.targets:
            url = urlsplit(urljoin(path, target))
            if url.netloc not in ("", "testserver") or url.path in seen:
                continue
            if url.path.startswith(within) and not url.path.startswith(skip):
                seen.add(url.path)
                queue.append(url.path)
    return found


def sign_in(client: Client, user: User) -> str:
    """The test client signed in with a verified second factor; returns its session key."""
    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name="phone", confirmed=True
    )
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return session.session_key or ""


def new_context(browser: Browser, base: str, found: list[str], session_key: str = "") -> Any:
    """A browser context (signed in with ``session_key``) that reports every violation of
    its pages and frames, and every console error about the policies, into ``found``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if session_key:
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": base}]
        )

    def report(violation: str) -> None:
        found.append(violation)

    def on_console(message: ConsoleMessage) -> None:
        text = message.text
        # Chromium reports a policy it cannot read (an unknown Permissions-Policy feature)
        # as a warning, a blocked resource as an error: both fail.
        if message.type in ("error", "warning") and (
            "Content Security Policy" in text or "Permissions-Policy" in text
        ):
            found.append(f"console: {text}")

    context.expose_function("__cspViolation", report)
    context.add_init_script(LISTENER)
    context.on("console", on_console)
    return context


def close(context: Any) -> None:
    """Close ``context`` once the reports its pages sent have arrived (a round trip after
    them: the browser's messages arrive in order)."""
    for page in context.pages:
        page.evaluate("0")
    context.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_no_page_breaks_the_content_security_policy(
    live_server: LiveServer, two_tenants: dict[str, Any], cast: dict[str, User]
) -> None:
    # A browser test's database is emptied between tests, migration data included: the
    # public site's locales, root and home page come back first (as in test_public_site).
    ensure_skeleton()
    base = live_server.url
    t = two_tenants
    signed_out = pages(Client(), ["/", "/accounts/login/", "/accounts/password-reset/"])

    admin_client = Client()
    admin_session = sign_in(admin_client, t["members_a"][Role.ORG_ADMIN])
    tenant = [reverse(name, kwargs=build(t)) for name, build in sorted(OUTSIDER_CASES.items())]
    org_admin = pages(admin_client, [reverse("practice:organizations"), *tenant])

    staff = cast[NETWORK_STAFF]
    staff.is_staff = staff.is_superuser = True  # Django's admin too
    staff.save()
    staff_client = Client()
    staff_session = sign_in(staff_client, staff)
    staff_pages = pages(
        staff_client, [reverse("network:dashboard"), reverse("learning:staff_home")]
    )
    staff_pages += pages(staff_client, ["/cms/"], within=("/cms/",))
    staff_pages += pages(staff_client, ["/admin/"], within=("/admin/",))

    assert len(signed_out) > 10, signed_out
    assert len(org_admin) > 40, org_admin
    assert len(staff_pages) > 40, staff_pages
    violations: list[str] = []
    visited = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for session, paths in (
                ("", [*signed_out, "/no-such-page/"]),
                (admin_session, org_admin),
                (staff_session, staff_pages),
            ):
                context = new_context(browser, base, violations, session)
                page = context.new_page()
                for path in paths:
                    response = page.goto(base + path, wait_until="load")
                    assert response is not None, path
                    assert response.status in (200, 404), (path, response.status)
                    visited += 1
                close(context)

            # the family's survey, answered page by page
            context = new_context(browser, base, violations)
            family = context.new_page()
            family.goto(f"{base}/s/{t['token_a']}/", wait_until="load")
            family.locator("#main").get_by_role("link", name="English").click()
            for box in family.locator("input[type=checkbox]").all():
                box.check()
            family.locator("button[type=submit]").first.click()  # consent
            family.locator("input[type=text]").first.fill("Hummingbird")
            family.locator("button[type=submit]").first.click()  # name
            for fieldset in family.locator("fieldset").all():
                fieldset.locator("input[value='5']").check()
            family.locator("button[type=submit]").first.click()  # the questions
            family.wait_for_url("**/about/")
            family.locator("button[name=skip]").click()
            family.wait_for_url("**/review/")
            family.locator("form[data-retry] button[type=submit]").click()
            family.wait_for_url("**/done/**")
            visited += 5
            close(context)
        finally:
            browser.close()
    assert violations == [], "\n".join(violations)
    assert visited > 100
