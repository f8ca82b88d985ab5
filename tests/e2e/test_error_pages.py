"""Every error page in Chromium, in English and in Spanish, with ``DEBUG=False`` (as
pytest-django runs the live server): the site header, the page's language, the message, a way
back that works, and no WCAG 2.2 AA violation (axe-core)."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import Locator, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.e2e import axe
from tests.e2e.test_instrument_page import CHROMIUM_ARGS, PHONE
from tests.web import factories as f

#: A host name the site does not serve (its requests get 400), resolved to the live server.
OTHER_HOST = "not-this-site.test"

WORDS = {
    "en": {
        400: "The request could not be read",
        403: "You do not have access to this page",
        404: "Page not found",
        500: "Something went wrong on our side",
        "csrf": "This form has expired",
        "back_org": "Back to Sunrise Clinic",
        "home": "Go to the home page",
        "back": "Back to the page",
        "survey": "We could not accept this page",
        "start": "Start from the beginning",
    },
    "es": {
        400: "No se pudo leer la solicitud",
        403: "No tiene acceso a esta página",
        404: "Página no encontrada",
        500: "Algo salió mal de nuestro lado",
        "csrf": "Este formulario ha caducado",
        "back_org": "Volver a Sunrise Clinic",
        "home": "Ir a la página de inicio",
        "back": "Volver a la página",
        "survey": "No pudimos aceptar esta página",
        "start": "Empezar desde el principio",
    },
}


def follow(page: Page, target: Locator) -> None:
    """Click a link or a submit button and wait for the page it leads to."""
    with page.expect_navigation():
        target.click()
    page.wait_for_load_state()


def check(page: Page, language: str, heading: Any) -> None:
    """The layout, the language, the message, and axe-core, on the page as it is now."""
    assert page.locator("header.site-header").is_visible()
    assert page.locator("html").get_attribute("lang") == language
    assert page.get_by_role("heading", level=1, name=WORDS[language][heading]).is_visible()
    axe.assert_accessible(page)


def sign_in(page: Page, base: str, user: Any) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(f.PASSWORD)
    follow(page, page.locator("#main button[type=submit]").first)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_every_error_page_in_both_languages(
    live_server: LiveServer, two_tenants: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert settings.DEBUG is False
    base = live_server.url
    port = urlsplit(base).port
    org = two_tenants["org_a"]
    analyst = two_tenants["members_a"]["analyst"]
    args = [*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {OTHER_HOST} 127.0.0.1"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        try:
            page = browser.new_page(viewport=PHONE)
            for language, prefix in (("en", ""), ("es", "/es")):
                # 400: a host this site does not serve
                response = page.goto(f"http://{OTHER_HOST}:{port}{prefix}/")
                assert response is not None
                assert response.status == 400
                check(page, language, 400)
                home = page.get_by_role("main").get_by_role("link", name=WORDS[language]["home"])
                assert home.get_attribute("href") == f"{prefix}/"

                # a refused form: the sign-in page, its cookies gone before sending
                page.goto(f"{base}{prefix}/accounts/login/")
                page.context.clear_cookies()
                page.locator("input[name=username]").fill(analyst.email)
                page.locator("input[name=password]").fill(f.PASSWORD)
                with page.expect_response(lambda r: r.request.method == "POST") as refused:
                    follow(page, page.locator("#main button[type=submit]").first)
                assert refused.value.status == 403
                check(page, language, "csrf")
                follow(page, page.get_by_role("link", name=WORDS[language]["back"]))
                assert page.url == f"{base}{prefix}/accounts/login/"

                # a family's refused consent page: the survey's own page, back to the start
                page.goto(f"{base}{prefix}/s/{two_tenants['token_a']}/agree/")
                page.context.clear_cookies()
                page.locator("input[type=checkbox]").first.check()
                with page.expect_response(lambda r: r.request.method == "POST") as refused:
                    follow(page, page.locator("#main button[type=submit]").first)
                assert refused.value.status == 403
                check(page, language, "survey")
                follow(page, page.get_by_role("link", name=WORDS[language]["start"]))
                assert page.url == f"{base}{prefix}/s/{two_tenants['token_a']}/"

            sign_in(page, base, analyst)
            for language, prefix in (("en", ""), ("es", "/es")):
                # 404: an organization that does not exist; the way back is their organization
                response = page.goto(f"{base}{prefix}/orgs/{uuid.uuid4()}/dashboard/")
                assert response is not None
                assert response.status == 404
                check(page, language, 404)
                follow(page, page.get_by_role("main").get_by_role("link", name=org.name))
                assert page.url == f"{base}{prefix}/orgs/{org.public_id}/"

                # 403: the members page is for org admins
                response = page.goto(f"{base}{prefix}/orgs/{org.public_id}/members/")
                assert response is not None
                assert response.status == 403
                check(page, language, 403)
                follow(page, page.get_by_role("link", name=WORDS[language]["back_org"]))
                assert page.url == f"{base}{prefix}/orgs/{org.public_id}/"

            # 500: a bug in the home page's view
            from hopeful.web.core import views

            def broken(**_: Any) -> Any:
                raise RuntimeError("a bug, on purpose")

            monkeypatch.setattr(views, "building_blocks_for_display", broken)
            # the built-in home page, whether or not the database has a CMS home page (a fresh
            # one does; after other tests have emptied the tables, it does not)
            monkeypatch.setattr(views, "live_home", lambda language: None)
            for language, prefix in (("en", ""), ("es", "/es")):
                response = page.goto(f"{base}{prefix}/")
                assert response is not None
                assert response.status == 500
                check(page, language, 500)
                assert response.headers["x-request-id"] in page.content()
            monkeypatch.undo()
            follow(page, page.get_by_role("main").get_by_role("link", name=WORDS["es"]["home"]))
            assert page.url == f"{base}/es/"
            assert page.locator("html").get_attribute("lang") == "es"
        finally:
            browser.close()
