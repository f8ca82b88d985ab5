"""The contact page: a form with the public forms' spam protection and rate limit."""

from __future__ import annotations

from http import HTTPMethod
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from hopeful.web.cms.contact import contact_serve
from hopeful.web.cms.models.base import SitePage


class ContactPage(SitePage):
    """A page with the contact form (:mod:`hopeful.web.cms.contact` handles its posts)."""

    intro: models.TextField[str, str] = models.TextField(_("introduction"), max_length=600)
    thanks: models.TextField[str, str] = models.TextField(
        _("thank-you text"), max_length=600, help_text=_("Shown after a message is sent.")
    )

    content_panels = [*SitePage.content_panels, FieldPanel("intro"), FieldPanel("thanks")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "cms/contact_page.html"

    class Meta:
        verbose_name = _("contact page")

    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD, HTTPMethod.POST]

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return contact_serve(self, request)
