"""News: posts with authors, tags and a lead image (its alternative text required)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from hopeful.web.cms.blocks import BodyBlock
from hopeful.web.cms.models.base import SitePage

if TYPE_CHECKING:
    from wagtail.images.models import Image

POSTS_PER_PAGE = 10


def _today() -> dt.date:
    return timezone.localdate()


class NewsIndexPage(SitePage):
    """``/news/``: the posts, newest first, ten to a page (the feeds link from every page)."""

    intro: models.TextField[str, str] = models.TextField(
        _("introduction"), max_length=600, blank=True
    )

    content_panels = [*SitePage.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    max_count_per_parent = 1
    template = "cms/news_index_page.html"

    class Meta:
        verbose_name = _("news")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        posts = NewsPage.objects.live().public().child_of(self).order_by("-date", "-pk")
        context["posts"] = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
        return context


class NewsPageTag(TaggedItemBase):  # type: ignore[misc]  # taggit ships no type information
    content_object = ParentalKey(
        "cms.NewsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class NewsPage(SitePage):
    """A post. It cannot be saved without its summary, lead image and the image's text."""

    date: models.DateField[dt.date, dt.date] = models.DateField(_("date"), default=_today)
    authors: models.CharField[str, str] = models.CharField(
        _("authors"), max_length=200, help_text=_("As they should be shown: “Ana Ruiz, Lee Chen”")
    )
    summary: models.TextField[str, str] = models.TextField(_("summary"), max_length=400)
    lead_image: models.ForeignKey[Image | None, Image | None] = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.PROTECT,
        null=True,
        blank=False,
        related_name="+",
        verbose_name=_("lead image"),
    )
    lead_image_alt: models.CharField[str, str] = models.CharField(
        _("lead image's alternative text"),
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    body = StreamField(BodyBlock())
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True)

    content_panels = [
        *SitePage.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("authors"), FieldPanel("tags")], heading=_("Post")
        ),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("lead_image"), FieldPanel("lead_image_alt")], heading=_("Lead image")
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *SitePage.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("authors"),
        index.FilterField("date"),
    ]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []
    template = "cms/news_page.html"

    class Meta:
        verbose_name = _("post")
        ordering = ["-date"]
