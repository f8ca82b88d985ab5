"""The resource library's resources (handouts, toolkits, videos, research summaries) with their
files, tagged by building block, audience, language and age band. Their index page and the
community toolkit are in :mod:`hopeful.web.cms.models.library_pages`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import models
from django.forms import CheckboxSelectMultiple
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from hopeful.web.cms.blocks import TEXT_FEATURES
from hopeful.web.cms.models.base import SitePage
from hopeful.web.cms.vocab import FORMATS, facet_label

if TYPE_CHECKING:
    from hopeful.web.cms.models.documents import ResourceDocument


class Facet(models.Model):
    """One value of one of the library's vocabularies (``kind`` block, audience, language or
    age; ``code`` as in :mod:`hopeful.web.cms.vocab`). Seeded by a migration, fixed."""

    kind = models.CharField(max_length=16)
    code = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="cms_facet_unique")]
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return facet_label(self.kind, self.code, get_language() or "en")


def _today() -> dt.date:
    return timezone.localdate()


def _checkboxes() -> type[CheckboxSelectMultiple]:
    return CheckboxSelectMultiple


def _facets(kind: str, label: Any) -> ParentalManyToManyField:
    return ParentalManyToManyField(
        Facet, blank=True, related_name="+", limit_choices_to={"kind": kind}, verbose_name=label
    )


class ResourcePage(SitePage):
    """One resource: a summary, its files, where to cite it from, its date and its tags."""

    summary: models.TextField[str, str] = models.TextField(
        _("summary"), max_length=600, help_text=_("Two or three sentences: what it is, for whom.")
    )
    format: models.CharField[str, str] = models.CharField(
        _("format"), max_length=16, choices=list(FORMATS.items())
    )
    published_on: models.DateField[dt.date, dt.date] = models.DateField(_("date"), default=_today)
    body = RichTextField(_("description"), features=TEXT_FEATURES, blank=True)
    link: models.URLField[str, str] = models.URLField(
        _("link"), blank=True, help_text=_("A video, a slide deck or a page elsewhere.")
    )
    citation: models.TextField[str, str] = models.TextField(
        _("citation"), max_length=1000, blank=True
    )
    blocks = _facets("block", _("building blocks"))
    audiences = _facets("audience", _("audiences"))
    languages = _facets("language", _("languages of the material"))
    age_bands = _facets("age", _("child age bands"))

    content_panels = [
        *SitePage.content_panels,
        FieldPanel("summary"),
        FieldPanel("format"),
        FieldPanel("published_on"),
        FieldPanel("body"),
        FieldPanel("link"),
        InlinePanel("files", label=_("Files")),
        FieldPanel("citation"),
        MultiFieldPanel(
            [
                FieldPanel("blocks", widget=_checkboxes()),
                FieldPanel("audiences", widget=_checkboxes()),
                FieldPanel("languages", widget=_checkboxes()),
                FieldPanel("age_bands", widget=_checkboxes()),
            ],
            heading=_("Tags"),
        ),
    ]
    search_fields = [
        *SitePage.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("citation"),
        index.FilterField("format"),
        index.FilterField("published_on"),
    ]
    parent_page_types = ["cms.ResourceIndexPage", "cms.ToolkitPage"]
    subpage_types: list[str] = []
    template = "cms/resource_page.html"

    class Meta:
        verbose_name = _("resource")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["files"] = [f for f in self.files.select_related("document") if f.document]
        return context


class ResourceFile(Orderable):  # type: ignore[misc]  # wagtail ships no type information
    """A file of a resource (a PDF from the CMS's documents)."""

    page = ParentalKey(ResourcePage, on_delete=models.CASCADE, related_name="files")
    document: models.ForeignKey[ResourceDocument, ResourceDocument] = models.ForeignKey(
        "cms.ResourceDocument", on_delete=models.PROTECT, related_name="+"
    )
    label: models.CharField[str, str] = models.CharField(
        _("label"), max_length=120, blank=True, help_text=_("For example: Letter size, color")
    )

    panels = [FieldPanel("document"), FieldPanel("label")]
