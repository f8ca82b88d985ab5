"""The resource library's listing: filters by plain GET parameters (linkable, no JavaScript)
and full-text search through Wagtail's search backend (PostgreSQL's full-text search on
PostgreSQL, SQLite's FTS5 or the plain fallback on SQLite).

Parameters: ``block``, ``audience``, ``language``, ``age`` (each may repeat: any of the values
matches; different parameters must all match), ``format`` (one), ``q`` (words to search) and
``page``. An unknown value is named in a message and ignored; nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page

from hopeful.web.cms.models.library import ResourcePage
from hopeful.web.cms.models.listings import live_resources
from hopeful.web.cms.vocab import (
    AGE_BANDS,
    AUDIENCES,
    BLOCKS,
    FORMATS,
    MATERIAL_LANGUAGES,
    facet_label,
)

PER_PAGE = 12
#: Most results a search ranks (the library has hundreds of resources, not millions).
SEARCH_LIMIT = 1000
#: parameter -> (facet kind, the ResourcePage field, the codes).
FACETS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "block": ("block", "blocks", dict.fromkeys(BLOCKS)),
    "audience": ("audience", "audiences", AUDIENCES),
    "language": ("language", "languages", MATERIAL_LANGUAGES),
    "age": ("age", "age_bands", AGE_BANDS),
}


@dataclass(frozen=True, slots=True)
class Option:
    code: str
    label: str
    checked: bool


@dataclass(frozen=True, slots=True)
class Filter:
    parameter: str
    legend: str
    options: list[Option]


@dataclass
class Listing:
    results: PaginatorPage[ResourcePage]
    total: int
    query: str
    format: str
    filters: list[Filter]
    formats: list[Option]
    active: list[tuple[str, str]]
    """(label, link without it) for each filter in use, to remove it in one click."""
    notices: list[str] = field(default_factory=list)
    base_query: str = ""
    """The query string of the current filters without ``page``, for pagination links."""


def _legends() -> dict[str, str]:
    return {
        "block": _("Building block"),
        "audience": _("Audience"),
        "language": _("Language"),
        "age": _("Child's age"),
    }


def library_listing(index: Page, params: QueryDict) -> Listing:
    """The library's resources under ``index`` matching ``params``, a page of them."""
    language = get_language() or "en"
    notices: list[str] = []
    chosen: dict[str, list[str]] = {}
    resources = live_resources(index.locale).descendant_of(index)
    for parameter, (kind, field_name, codes) in FACETS.items():
        values = [v for v in dict.fromkeys(params.getlist(parameter)) if v]
        unknown = [v for v in values if v not in codes]
        if unknown:
            notices.append(
                _("Unknown %(filter)s ignored: %(values)s")
                % {"filter": _legends()[parameter].lower(), "values": ", ".join(unknown)}
            )
        values = [v for v in values if v in codes]
        chosen[parameter] = values
        if values:
            resources = resources.filter(
                **{f"{field_name}__kind": kind, f"{field_name}__code__in": values}
            )
    format_code = params.get("format", "")
    if format_code and format_code not in FORMATS:
        notices.append(_("Unknown format ignored: %(value)s") % {"value": format_code})
        format_code = ""
    if format_code:
        resources = resources.filter(format=format_code)
    resources = resources.distinct()
    query = " ".join(params.get("q", "").split())[:200]
    if query:
        matching = set(resources.values_list("pk", flat=True))
        ranked = live_resources(index.locale).search(query)[:SEARCH_LIMIT]
        results: list[ResourcePage] | Any = [r for r in ranked if r.pk in matching]
    else:
        results = resources
    paginator = Paginator(results, PER_PAGE)
    page = paginator.get_page(params.get("page"))
    kept: list[tuple[str, str]] = [
        (parameter, value) for parameter, values in chosen.items() for value in values
    ]
    if format_code:
        kept.append(("format", format_code))
    if query:
        kept.append(("q", query))
    active = []
    for item in kept:
        label = (
            item[1]
            if item[0] == "q"
            else (
                str(FORMATS[item[1]])
                if item[0] == "format"
                else facet_label(FACETS[item[0]][0], item[1], language)
            )
        )
        rest = [other for other in kept if other != item]
        active.append((label, "?" + urlencode(rest) if rest else "?"))
    return Listing(
        results=page,
        total=paginator.count,
        query=query,
        format=format_code,
        filters=[
            Filter(
                parameter=parameter,
                legend=_legends()[parameter],
                options=[
                    Option(code, facet_label(kind, code, language), code in chosen[parameter])
                    for code in codes
                ],
            )
            for parameter, (kind, _field, codes) in FACETS.items()
        ],
        formats=[Option(code, str(label), code == format_code) for code, label in FORMATS.items()],
        active=active,
        notices=notices,
        base_query=urlencode(kept),
    )
