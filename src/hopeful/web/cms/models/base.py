"""What every page of the public site shares."""

from __future__ import annotations

from http import HTTPMethod
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from hopeful.web.cms.navigation import site_links
from hopeful.web.cms.translations import page_language_links


class SitePage(Page):  # type: ignore[misc]  # wagtail ships no type information
    """A page of the public site. ``sample`` marks demo text (shown as such to readers)."""

    sample: models.BooleanField[bool, bool] = models.BooleanField(
        _("sample content"),
        default=False,
        help_text=_("Text written for the demo: pages say so to their readers."),
    )

    settings_panels = [*Page.settings_panels, FieldPanel("sample")]
    #: Pages are read, not written to (the contact page adds POST for its form).
    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD]

    class Meta:
        abstract = True

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        language = get_language() or "en"
        links = site_links(language)
        context["language_links"] = page_language_links(
            self, current=language, path=request.get_full_path()
        )
        context["site_links"] = links
        context["library_url"] = links.url("resourceindexpage")
        context["news_url"] = links.url("newsindexpage")
        return context
