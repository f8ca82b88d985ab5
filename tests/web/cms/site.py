"""Building a small public site in tests: pages under the home page the migration creates,
published with revisions (as staff publish them), and their Spanish translations."""

from __future__ import annotations

import datetime as dt
import io
from importlib import import_module
from typing import Any

from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from wagtail.models import Collection, Locale, Page, Site

from hopeful.web.cms.models import (
    Facet,
    HomePage,
    NewsIndexPage,
    NewsPage,
    ResourceIndexPage,
    ResourcePage,
    StandardPage,
)


def ensure_skeleton() -> None:
    """What the migrations put in the database (Wagtail's root page and collection, the
    locales, the site's home page and the library's facets), again: a browser test's
    database is emptied between tests, migration data included."""
    english, _ = Locale.objects.get_or_create(language_code="en")
    Locale.objects.get_or_create(language_code="es")
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Page.objects.filter(depth=1).exists():
        Page.objects.create(
            title="Root",
            draft_title="Root",
            slug="root",
            content_type=ContentType.objects.get_for_model(Page),
            path="0001",
            depth=1,
            numchild=0,
            url_path="/",
            locale=english,
        )
    if not HomePage.objects.exists() or not Facet.objects.exists():
        migration = import_module("hopeful.web.cms.migrations.0002_site_and_facets")
        migration.forwards(django_apps, None)


def home(language: str = "en") -> HomePage:
    root = Site.objects.get(is_default_site=True).root_page.specific
    if language == "en":
        return root
    return root.get_translation(Locale.objects.get(language_code=language)).specific


def publish(page: Page, user: Any = None) -> Page:
    page.save_revision(user=user).publish(user=user)
    page.refresh_from_db()
    return page


def add(parent: Page, page: Page, *, live: bool = True, user: Any = None) -> Page:
    """Add ``page`` under ``parent`` as a draft, then publish it unless ``live`` is False."""
    page.live = False
    parent.add_child(instance=page)
    if live:
        return publish(page, user)
    page.save_revision(user=user)
    return page


def translate(page: Page, language: str = "es", **fields: Any) -> Page:
    """Page's translation in ``language`` (parents too), with ``fields`` set, published."""
    spanish = page.copy_for_translation(
        Locale.objects.get(language_code=language), copy_parents=True
    ).specific
    for name, value in fields.items():
        setattr(spanish, name, value)
    return publish(spanish)


def spanish_home() -> HomePage:
    return translate(home(), title="HOPE en español", intro="<p>Inicio</p>")


def library(parent: Page | None = None) -> ResourceIndexPage:
    return add(
        parent or home(),
        ResourceIndexPage(title="Resources", slug="resources", intro="The library."),
    )


def resource(
    index: Page,
    title: str,
    *,
    summary: str = "A short summary.",
    format: str = "handout",
    blocks: tuple[str, ...] = (),
    audiences: tuple[str, ...] = (),
    languages: tuple[str, ...] = (),
    ages: tuple[str, ...] = (),
    on: dt.date = dt.date(2026, 5, 1),
    live: bool = True,
) -> ResourcePage:
    page = ResourcePage(
        title=title,
        summary=summary,
        format=format,
        published_on=on,
        blocks=list(Facet.objects.filter(kind="block", code__in=blocks)),
        audiences=list(Facet.objects.filter(kind="audience", code__in=audiences)),
        languages=list(Facet.objects.filter(kind="language", code__in=languages)),
        age_bands=list(Facet.objects.filter(kind="age", code__in=ages)),
    )
    return add(index, page, live=live)


def standard(parent: Page, title: str, slug: str, **kw: Any) -> StandardPage:
    return add(parent, StandardPage(title=title, slug=slug, intro=kw.pop("intro", ""), **kw))


def news(parent: Page | None = None) -> NewsIndexPage:
    return add(parent or home(), NewsIndexPage(title="News", slug="news"))


def post(
    index: Page, title: str, image: Any, *, on: dt.date, tags: tuple[str, ...] = ()
) -> NewsPage:
    page = NewsPage(
        title=title,
        date=on,
        authors="Sample Author",
        summary=f"Summary of {title}.",
        lead_image=image,
        lead_image_alt="An abstract illustration",
        body=[("paragraph", "<p>Body text.</p>")],
    )
    page.tags.add(*tags)
    return add(index, page)


def reindex() -> None:
    """Bring the search index up to date now (the worker does it after each publish)."""
    call_command("wagtail_update_index", stdout=io.StringIO(), stderr=io.StringIO())
