"""English and Spanish versions of the site's pages: which version a language link goes to,
and the English page behind a Spanish address that has no Spanish page yet."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale, Page, Site

from hopeful.framework import LANGUAGES


def untranslated_original(request: HttpRequest, path: str, *, language: str) -> Page | None:
    """The live page of the default language at ``path``, when the request is in another
    language (whose version of it is missing, or has another address)."""
    if language == settings.LANGUAGE_CODE:
        return None
    site = Site.find_for_request(request)
    if site is None:
        return None
    root = site.root_page.specific
    components = [part for part in path.split("/") if part]
    try:
        with translation.override(settings.LANGUAGE_CODE):
            page, _args, _kwargs = root.route(request, components)
    except Http404:
        return None
    if page.locale.language_code != settings.LANGUAGE_CODE:
        return None
    return page


def page_language_links(page: Page, *, current: str, path: str) -> list[dict[str, Any]]:
    """A link to ``page`` in every UI language: its live translation when there is one,
    otherwise the same address in that language (which says the page is not translated)."""
    links = []
    for code, name in settings.LANGUAGES:
        url = None
        if code != current:
            locale = Locale.objects.filter(language_code=code).first()
            other = page.get_translation_or_none(locale) if locale else None
            if other is not None and other.live:
                url = other.url
        links.append(
            {
                "code": code,
                "name": LANGUAGES.get(code, str(name)),
                "url": url or translate_url(path, code),
                "is_current": code == current,
            }
        )
    return links
