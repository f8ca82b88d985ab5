"""The library's own pages: its index (``/resources/``) and the community toolkit."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from hopeful.web.cms.blocks import BodyBlock
from hopeful.web.cms.library import library_listing
from hopeful.web.cms.models.base import SitePage
from hopeful.web.cms.models.listings import live_resources


class ResourceIndexPage(SitePage):
    """``/resources/``: every resource, filtered by plain GET parameters and searchable
    (:mod:`hopeful.web.cms.library`)."""

    intro: models.TextField[str, str] = models.TextField(_("introduction"), max_length=600)

    content_panels = [*SitePage.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ResourcePage", "cms.ToolkitPage"]
    max_count_per_parent = 1
    template = "cms/resource_index_page.html"

    class Meta:
        verbose_name = _("resource library")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["listing"] = library_listing(self, request.GET)
        context["toolkits"] = list(self.get_children().live().public().type(ToolkitPage))
        return context


class ToolkitPage(SitePage):
    """The community toolkit: a section of the library for community leaders, with its own
    resources (how to host a HOPE conversation, slides, flyers) and the library's resources
    for community leaders."""

    intro: models.TextField[str, str] = models.TextField(_("introduction"), max_length=600)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [*SitePage.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.ResourceIndexPage"]
    subpage_types = ["cms.ResourcePage"]
    template = "cms/toolkit_page.html"

    class Meta:
        verbose_name = _("community toolkit")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        resources = live_resources(self.locale)
        context["own_resources"] = list(resources.child_of(self))
        context["community_resources"] = list(
            resources.filter(audiences__code="community").not_child_of(self).distinct()[:12]
        )
        return context
