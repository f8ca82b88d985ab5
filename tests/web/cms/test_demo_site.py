"""The demo's public site (hopeful.web.cms.demo): published in English and Spanish, marked
as sample content, with files that download, and loaded only once.

Loading the site takes some seconds, so each test checks many things about one load."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.test import Client
from wagtail.models import Locale, Page, PageLogEntry, Site

from hopeful.web.cms.demo import site_load
from hopeful.web.cms.demo_content_files import ILLUSTRATIONS
from hopeful.web.cms.models import (
    BuildingBlockPage,
    HomePage,
    NewsPage,
    ResourceIndexPage,
    ResourcePage,
    StandardPage,
    ToolkitPage,
)
from hopeful.web.cms.vocab import BLOCKS

TODAY = dt.date(2026, 6, 1)
SPANISH_HOME_TITLE = "HOPE: Resultados saludables a partir de experiencias positivas"

pytestmark = pytest.mark.django_db

# Loading the whole demo site takes half a minute; what it publishes does not depend on the
# database (publishing and translating pages is checked on both by tests/web/cms), so the two
# checks of the whole site run in the SQLite pass only.
ONE_DATABASE = pytest.mark.one_database


def _locales() -> tuple[Locale, Locale]:
    return Locale.objects.get(language_code="en"), Locale.objects.get(language_code="es")


def _text(response: object) -> str:
    assert response.status_code == 200  # type: ignore[attr-defined]
    return response.content.decode()  # type: ignore[attr-defined]


def _check_resources(en: Locale, es: Locale) -> None:
    resources = ResourcePage.objects.live().filter(locale=en)
    assert resources.count() >= 40
    assert ResourcePage.objects.live().filter(locale=es).count() >= 38
    formats = {r.format for r in resources}
    assert formats >= {"handout", "toolkit", "video", "research", "guide", "flyer", "slides"}
    dates = [r.published_on for r in resources]
    assert TODAY - dt.timedelta(days=550) <= min(dates) <= max(dates) < TODAY
    for resource in resources:
        assert 1 <= resource.blocks.count() <= 2
        assert 1 <= resource.audiences.count() <= 3
        assert 1 <= resource.languages.count() <= 2
        assert 1 <= resource.age_bands.count() <= 3
        if resource.format == "research":
            assert resource.citation.endswith("HOPEful demo material.")
        if resource.link:
            assert resource.link.startswith("https://example.org/")
        assert resource.files.exists() or resource.link
    assert resources.filter(audiences__code="community").distinct().count() >= 8
    toolkit = ToolkitPage.objects.get(locale=en)
    assert (toolkit.slug, toolkit.url) == ("community-toolkit", "/resources/community-toolkit/")
    assert ResourcePage.objects.child_of(toolkit).live().count() == 5
    # the Spanish versions are translations, with the same tags and files
    for spanish in ResourcePage.objects.live().filter(locale=es):
        english = spanish.get_translation(en)
        assert spanish.slug == english.slug
        assert (spanish.title, spanish.summary) != (english.title, english.summary)
        for facets in ("blocks", "audiences", "languages", "age_bands"):
            assert set(getattr(spanish, facets).all()) == set(getattr(english, facets).all())
        assert [f.document_id for f in spanish.files.all()] == [
            f.document_id for f in english.files.all()
        ]


def _check_posts(en: Locale, es: Locale) -> None:
    posts = NewsPage.objects.live().filter(locale=en)
    assert posts.count() == 10
    dates = [post.date for post in posts]
    assert TODAY - dt.timedelta(days=310) <= min(dates) <= max(dates) < TODAY
    for post in posts:
        assert post.lead_image is not None
        assert post.lead_image.width == 1200
        assert post.lead_image_alt.startswith("Abstract illustration:")
        assert post.body
        assert post.authors
        assert post.summary
        assert 1 <= post.tags.count() <= 3
    spanish = NewsPage.objects.live().filter(locale=es)
    assert spanish.count() == 9
    alts = {illustration.alt[1] for illustration in ILLUSTRATIONS}
    assert all(post.lead_image_alt in alts for post in spanish)


@ONE_DATABASE
def test_the_demo_publishes_a_whole_site_in_english_and_spanish_once() -> None:
    result = site_load(today=TODAY)
    en, es = _locales()
    home = Site.objects.get(is_default_site=True).root_page.specific
    spanish_home = home.get_translation(es).specific
    assert result.created
    assert (result.resources, result.posts, result.documents, result.images) == (40, 10, 8, 5)

    _check_resources(en, es)
    _check_posts(en, es)
    for locale in (en, es):
        pages = BuildingBlockPage.objects.live().filter(locale=locale)
        assert sorted(p.block for p in pages) == sorted(BLOCKS)
        assert {p.slug for p in pages} == {
            "relationships",
            "environment",
            "engagement",
            "emotional-growth",
        }

    # the migration's home page, filled in (its title kept), with its Spanish version
    assert isinstance(home, HomePage)
    assert home.title == "HOPE: Healthy Outcomes from Positive Experiences"
    assert spanish_home.title == SPANISH_HOME_TITLE
    for page in (home, spanish_home):
        assert [block.block_type for block in page.body].count("action") >= 2
    actions = [block.value["page"] for block in spanish_home.body if block.block_type == "action"]
    assert all(page.locale == es for page in actions)
    library = ResourceIndexPage.objects.get(locale=en)
    assert (library.slug, library.title, library.url) == ("resources", "Resources", "/resources/")
    assert ResourceIndexPage.objects.get(locale=es).url == "/es/resources/"
    menu = {p.slug for p in home.get_children().live().filter(show_in_menus=True)}
    assert menu == {"about", "get-involved", "resources", "news"}

    # every page published through a revision, and marked as sample content
    for root in (home, spanish_home):
        pages = Page.objects.descendant_of(root, inclusive=True).specific()
        assert len(pages) > 55
        for page in pages:
            assert page.sample, page.url_path
            assert page.live, page.url_path
            assert page.live_revision_id is not None, page.url_path
            assert page.locale == root.locale
    assert (result.english, result.spanish) == (62, 59)
    assert PageLogEntry.objects.filter(action="wagtail.publish").count() >= 120
    assert PageLogEntry.objects.filter(action="wagtail.copy_for_translation").count() >= 58

    # exactly two resources and one post in English only; everything else translated
    assert len(result.untranslated) == 3
    english = Page.objects.descendant_of(home, inclusive=True).specific()
    missing = [p for p in english if p.get_translation_or_none(es) is None]
    assert sorted(p.slug for p in missing) == sorted(result.untranslated)
    assert sorted(type(p).__name__ for p in missing) == ["NewsPage", "ResourcePage", "ResourcePage"]

    # loading it again adds nothing, quietly
    before = (Page.objects.count(), PageLogEntry.objects.count())
    lines: list[str] = []
    again = site_load(today=TODAY, progress=lines.append)
    assert not again.created
    assert (Page.objects.count(), PageLogEntry.objects.count()) == before
    assert (again.english, again.spanish) == (result.english, result.spanish)
    assert lines == []
    assert "62 pages in English and 59 in Spanish" in again.line()
    assert result.line().startswith("Public site: 62 pages in English and 59 in Spanish")


@ONE_DATABASE
def test_the_demo_site_answers_in_both_languages(client: Client) -> None:
    result = site_load(today=TODAY)
    english = _text(client.get("/"))
    assert "HOPE: Healthy Outcomes from Positive Experiences" in english
    assert "Sample content" in english
    assert "Answer a strengths questionnaire" in english
    spanish = _text(client.get("/es/"))
    assert SPANISH_HOME_TITLE in spanish
    assert "Responda un cuestionario de fortalezas" in spanish

    assert "Serve-and-return moments at bedtime" in _text(client.get("/resources/"))
    listing = _text(client.get("/es/resources/"))
    assert "Momentos de ida y vuelta a la hora de dormir" in listing
    # the search works at once, without the worker
    found = _text(client.get("/resources/", {"q": "bedtime"}))
    assert "Serve-and-return moments at bedtime" in found
    assert "Talking with teens about feelings" not in found

    for path in (
        "/about/",
        "/es/get-involved/",
        "/relationships/",
        "/es/emotional-growth/",
        "/support/",
        "/es/contact/",
        "/resources/community-toolkit/",
        "/es/resources/community-toolkit/how-to-host-a-hope-conversation/",
        "/resources/positive-experiences-and-adult-health/",
        "/news/",
        "/es/news/",
        "/news/families-map-safe-places/",
        "/es/news/families-map-safe-places/",
    ):
        _text(client.get(path))

    # a page left in English says so at its Spanish address
    for slug in result.untranslated:
        page = Page.objects.get(slug=slug, locale__language_code="en")
        untranslated = _text(client.get(f"/es{page.url}"))
        assert html.escape(page.title) in untranslated

    # the library's files are PDFs that download
    resources = ResourcePage.objects.live().filter(locale__language_code="en")
    files = [f for r in resources for f in r.files.select_related("document")]
    assert len({f.page_id for f in files}) >= 30
    documents = {f.document for f in files}
    assert len(documents) == 8
    for document in documents:
        response = client.get(document.url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert document.file_size
        assert document.file_hash


def test_the_demo_site_stays_out_of_the_way_of_pages_staff_made() -> None:
    home = Site.objects.get(is_default_site=True).root_page.specific
    home.add_child(instance=StandardPage(title="About us", slug="about"))
    lines: list[str] = []
    result = site_load(today=TODAY, progress=lines.append)
    assert not result.created
    assert lines == ["Public site: not loaded, its home page already has pages at /about/."]
    assert not ResourcePage.objects.exists()
    assert home.get_children().count() == 1
