"""Lists of live pages other pages show: the home page's newest resources and posts, a
building block's resources. Always in the page's own language, live pages only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wagtail.models import Locale

from hopeful.web.cms.models.library import ResourcePage
from hopeful.web.cms.models.news import NewsPage

if TYPE_CHECKING:
    from wagtail.query import PageQuerySet

HOME_RESOURCES = 4
HOME_POSTS = 3
BLOCK_RESOURCES = 6


def live_resources(locale: Locale) -> PageQuerySet:
    """The live public resources in ``locale`` (a Wagtail page query set of ResourcePage)."""
    return (
        ResourcePage.objects.live()
        .public()
        .filter(locale=locale)
        .order_by("-published_on", "-first_published_at")
    )


def live_posts(locale: Locale) -> PageQuerySet:
    """The live public posts in ``locale`` (a Wagtail page query set of NewsPage)."""
    return (
        NewsPage.objects.live()
        .public()
        .filter(locale=locale)
        .select_related("lead_image")
        .order_by("-date", "-first_published_at")
    )


def home_listings(page: Any) -> dict[str, Any]:
    return {
        "recent_resources": list(live_resources(page.locale)[:HOME_RESOURCES]),
        "recent_posts": list(live_posts(page.locale)[:HOME_POSTS]),
    }


def resources_for_block(block: str, *, locale: Locale) -> list[ResourcePage]:
    return list(live_resources(locale).filter(blocks__code=block).distinct()[:BLOCK_RESOURCES])
