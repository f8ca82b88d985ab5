"""The site's own pages: home, about and other plain pages, the building blocks, support."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from hopeful.web.cms.blocks import TEXT_FEATURES, BodyBlock
from hopeful.web.cms.models.base import SitePage
from hopeful.web.cms.models.listings import home_listings, resources_for_block
from hopeful.web.cms.vocab import BLOCKS


class HomePage(SitePage):
    """The site's front page: what HOPE is, the Four Building Blocks, how to take part, and
    the newest resources and posts (those come from the library and the news, not typed)."""

    intro = RichTextField(features=TEXT_FEATURES, help_text=_("What HOPE is, in a few lines."))
    body = StreamField(BodyBlock(), blank=True, help_text=_("How to take part, and more."))

    content_panels = [*SitePage.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*SitePage.search_fields, index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1
    template = "cms/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = {**super().get_context(request, *args, **kwargs), **home_listings(self)}
        links = context["site_links"]
        language = get_language() or "en"
        context["blocks"] = [
            {
                "id": code,
                "name": block.name.get_text(language),
                "description": block.description.get_text(language),
                "url": links.blocks.get(code),
            }
            for code, block in BLOCKS.items()
        ]
        context["take_part"] = links.take_part
        return context


class StandardPage(SitePage):
    """About, get involved, and any other page of text."""

    intro: models.TextField[str, str] = models.TextField(
        _("introduction"), max_length=600, blank=True
    )
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [*SitePage.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*SitePage.search_fields, index.SearchField("intro"), index.SearchField("body")]
    template = "cms/standard_page.html"

    class Meta:
        verbose_name = _("page")


class BuildingBlockPage(SitePage):
    """One of the Four Building Blocks of HOPE, with the library's resources about it."""

    block: models.CharField[str, str] = models.CharField(
        _("building block"),
        max_length=32,
        choices=[(code, b.name.get_text("en")) for code, b in BLOCKS.items()],
    )
    intro: models.TextField[str, str] = models.TextField(_("introduction"), max_length=600)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [
        *SitePage.content_panels,
        FieldPanel("block"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*SitePage.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    template = "cms/building_block_page.html"

    class Meta:
        verbose_name = _("building block page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["resources"] = resources_for_block(self.block, locale=self.locale)
        return context


class SupportPage(SitePage):
    """Ways to support the work. The donate button goes to the processor set in
    ``HOPEFUL_DONATION_URL``: HOPEful takes no payments."""

    intro: models.TextField[str, str] = models.TextField(_("introduction"), max_length=600)
    body = StreamField(BodyBlock(), blank=True)
    donate_label: models.CharField[str, str] = models.CharField(
        _("donate button"), max_length=60, default="Donate"
    )

    content_panels = [
        *SitePage.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("donate_label"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "cms/support_page.html"

    class Meta:
        verbose_name = _("support page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["donation_url"] = settings.HOPEFUL_DONATION_URL
        return context
