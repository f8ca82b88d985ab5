"""The public site in Chromium, as a newcomer meets it on the demo: every published page in
English and in Spanish passes axe-core (WCAG 2.2 AA), at a phone's width and a desktop's;
the library is reached by clicking, filtered and searched through its form; an untranslated
page says so; the news feeds are linked; the newsletter and contact forms are reachable."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright
from pytest_django.live_server_helper import LiveServer
from wagtail.models import Page as WagtailPage

from hopeful.web.cms.demo import site_load
from tests.e2e import axe
from tests.e2e.test_error_pages import follow
from tests.e2e.test_instrument_page import CHROMIUM_ARGS, PHONE
from tests.web.cms.site import ensure_skeleton, reindex

DESKTOP = {"width": 1280, "height": 900}


def visit(page: Page, url: str, language: str) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, url
    assert page.locator("html").get_attribute("lang") == language, url
    assert page.locator("h1").count() == 1, url
    axe.assert_accessible(page)


@pytest.fixture
def demo_site(settings: Any, tmp_path: Any) -> list[tuple[str, str]]:
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_skeleton()
    site_load(today=dt.date(2026, 6, 1))
    reindex()
    return [
        (page.url, page.locale.language_code)
        for page in WagtailPage.objects.live().public().filter(depth__gte=2).specific()
    ]


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_every_public_page_in_both_languages_passes_axe(
    live_server: LiveServer, demo_site: list[tuple[str, str]]
) -> None:
    base = live_server.url
    languages = {language for _url, language in demo_site}
    assert languages == {"en", "es"}
    assert len(demo_site) >= 100  # home, sections, blocks, ~40 resources, 10 posts, twice
    extra = [
        ("/resources/?block=relationships&audience=families", "en"),
        ("/resources/?q=bedtime", "en"),
        ("/resources/?block=nonsense", "en"),
        ("/news/?page=2", "en"),
        ("/es/resources/?language=es&age=0-2", "es"),
        ("/es/news/?page=2", "es"),
        ("/newsletter/", "en"),
        ("/es/newsletter/", "es"),
        ("/instruments/", "en"),
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            wide = browser.new_page(viewport=DESKTOP)
            for url, language in [*demo_site, *extra]:
                visit(wide, base + url, language)
            phone = browser.new_page(viewport=PHONE)
            for url, language in [
                ("/", "en"),
                ("/es/", "es"),
                ("/resources/", "en"),
                ("/es/news/", "es"),
            ]:
                visit(phone, base + url, language)
                width = phone.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE["width"], (url, width)
        finally:
            browser.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_newcomer_finds_resources_by_clicking(
    live_server: LiveServer, demo_site: list[tuple[str, str]]
) -> None:
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=PHONE)
            page.goto(base + "/")
            head = page.locator("head")
            assert head.locator('link[type="application/rss+xml"]').count() == 1
            assert head.locator('link[type="application/atom+xml"]').count() == 1
            follow(page, page.locator(".site-nav").get_by_role("link", name="Resources"))
            assert page.url == base + "/resources/"
            page.get_by_label("Families").check()
            page.get_by_label("Relationships").check()
            follow(page, page.get_by_role("button", name="Show resources"))
            assert "audience=families" in page.url
            assert "block=relationships" in page.url
            shown = page.locator(".library__results .card").count()
            assert shown > 0
            follow(page, page.locator(".library__results .card a").first)
            assert page.locator(".sample-note").is_visible()
            axe.assert_accessible(page)
            # Spanish through the language switch, then a page only in English
            follow(page, page.locator(".lang-switch").get_by_role("link", name="Español"))
            assert page.locator("html").get_attribute("lang") == "es"
            page.goto(base + "/es/resources/")
            page.get_by_role("searchbox", name="Buscar").fill("zzzz-nada")
            follow(page, page.get_by_role("button", name="Mostrar recursos"))
            assert page.locator(".empty-state").is_visible()
            axe.assert_accessible(page)
        finally:
            browser.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_an_untranslated_page_offers_the_english_one(
    live_server: LiveServer, demo_site: list[tuple[str, str]]
) -> None:
    english = {url for url, language in demo_site if language == "en"}
    spanish = {url.removeprefix("/es") for url, language in demo_site if language == "es"}
    untranslated = sorted(english - spanish)
    assert untranslated, "the demo leaves some pages in English only"
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=PHONE)
            visit(page, base + "/es" + untranslated[0], "es")
            follow(page, page.get_by_role("link", name="Leer en inglés"))
            assert page.url == base + untranslated[0]
        finally:
            browser.close()
