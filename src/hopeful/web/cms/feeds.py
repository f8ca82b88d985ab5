"""The news as RSS 2.0 and Atom 1.0 feeds, one pair per language (``/feeds/news.rss``,
``/es/feeds/news.atom``), linked from every page's head."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext as _
from wagtail.models import Locale

from hopeful.web.cms.models import NewsIndexPage, NewsPage
from hopeful.web.cms.models.listings import live_posts

#: How many of the newest posts a feed carries.
ITEMS = 20


class NewsRss(Feed[NewsPage, None]):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.locale = Locale.get_active()
        return super().__call__(request, *args, **kwargs)

    def title(self) -> str:
        return _("HOPEful news")

    def description(self) -> str:
        return _("News from the HOPE network: resources, research and events.")

    def link(self) -> str:
        index = NewsIndexPage.objects.live().filter(locale=self.locale).first()
        return index.url if index is not None else reverse("core:home")

    def feed_url(self) -> str:
        return reverse("cms:news_rss")

    def items(self) -> list[NewsPage]:
        return list(live_posts(self.locale)[:ITEMS])

    def item_title(self, item: NewsPage) -> str:
        return cast(str, item.title)

    def item_description(self, item: NewsPage) -> str:
        return item.summary

    def item_link(self, item: NewsPage) -> str:
        return cast(str, item.url)

    def item_author_name(self, item: NewsPage) -> str:
        return item.authors

    def item_pubdate(self, item: NewsPage) -> dt.datetime:
        return dt.datetime.combine(item.date, dt.time(12), tzinfo=dt.UTC)

    def item_updateddate(self, item: NewsPage) -> dt.datetime:
        return item.last_published_at or timezone.now()

    def item_categories(self, item: NewsPage) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class NewsAtom(NewsRss):
    feed_type = Atom1Feed
    subtitle = NewsRss.description

    def feed_url(self) -> str:
        return reverse("cms:news_atom")


news_rss = login_not_required(NewsRss())
news_atom = login_not_required(NewsAtom())
