"""Where the public site's sections are, in one language: its home page and the home page's
live children (the library, the news, the building blocks, contact, support, the pages staff
put in the menu). The header and footer of every page show them, so they are kept in the
cache (plain titles and addresses) and not read from the database on every request: a page
published, unpublished, moved or deleted clears them at once in this process, and other
processes (the worker's scheduled publishing, other web processes) see the change within
:data:`CACHE_SECONDS`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

CACHE_SECONDS = 60
_VERSION_KEY = "cms:site-links:version"


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class SiteLinks:
    home_url: str | None = None
    menu: list[tuple[str, str]] = field(default_factory=list)
    """(title, url) of the home page's children marked "show in menus", in tree order."""
    sections: dict[str, Link] = field(default_factory=dict)
    """model name ("resourceindexpage", "newsindexpage", "contactpage", "supportpage",
    "standardpage") -> the first live page of that type under the home page."""
    blocks: dict[str, str] = field(default_factory=dict)
    """building block id -> the address of its live page."""
    take_part: list[Link] = field(default_factory=list)
    """The plain pages, contact and support, for the home page's "Take part"."""

    def url(self, section: str) -> str | None:
        link = self.sections.get(section)
        return link.url if link is not None else None


def live_home(language: str) -> Page | None:
    """The live home page of the site in ``language`` (None when it has no page in it)."""
    site = (
        Site.objects.filter(is_default_site=True)
        .select_related("root_page", "root_page__locale")
        .first()
    )
    if site is None:
        return None
    root = site.root_page
    if root.locale.language_code == language:
        home = root
    else:
        home = (
            Page.objects.filter(translation_key=root.translation_key)
            .filter(locale__language_code=language)
            .first()
        )
    if home is None or not home.live:
        return None
    return home


def _read(language: str) -> SiteLinks:
    home = live_home(language)
    if home is None:
        return SiteLinks()
    sections: dict[str, Link] = {}
    blocks: dict[str, str] = {}
    menu: list[tuple[str, str]] = []
    take_part: list[Link] = []
    for child in home.get_children().live().public().specific():
        name = child._meta.model_name
        link = Link(child.title, child.url)
        if name == "buildingblockpage":
            blocks.setdefault(child.block, link.url)
        else:
            sections.setdefault(name, link)
        if name in ("standardpage", "contactpage", "supportpage"):
            take_part.append(link)
        if child.show_in_menus:
            menu.append((link.title, link.url))
    return SiteLinks(
        home_url=home.url, menu=menu, sections=sections, blocks=blocks, take_part=take_part
    )


def site_links(language: str) -> SiteLinks:
    """The site's sections in ``language`` (from the cache when it has them)."""
    version = cache.get_or_set(_VERSION_KEY, 1)
    key = f"cms:site-links:{version}:{language}"
    links: SiteLinks | None = cache.get(key)
    if links is None:
        links = _read(language)
        cache.set(key, links, CACHE_SECONDS)
    return links


def forget(**_kwargs: Any) -> None:
    """Drop the cached sections (the site's pages changed)."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1)


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(forget, dispatch_uid=f"hopeful.cms.nav.{id(signal)}")
    post_delete.connect(forget, sender=Page, dispatch_uid="hopeful.cms.nav.delete")
    post_save.connect(forget, sender=Site, dispatch_uid="hopeful.cms.nav.site")
