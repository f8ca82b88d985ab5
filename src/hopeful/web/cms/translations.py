"""English and Spanish versions of the site's pages: which version a language link goes to,
and the English page behind a Spanish address that has no Spanish page yet."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils import translation
from wagtail.models import Page, Site

from hopeful.web.core.selectors import LanguageLink, language_links


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


def page_language_links(page: Page, *, current: str, path: str) -> list[LanguageLink]:
    """The site's language links (:func:`hopeful.web.core.selectors.language_links`), each
    going to ``page``'s live translation in that language when there is one; otherwise to
    the same address in that language (which says the page is not translated)."""
    translations = {
        other.locale.language_code: other
        for other in page.get_translations().live().select_related("locale")
    }
    return [
        replace(link, url=translations[link.code].url) if link.code in translations else link
        for link in language_links(path=path, current=current)
    ]
