from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language

import hopeful
from hopeful.web.cms.navigation import site_links
from hopeful.web.core.selectors import language_links, site_nav


def site(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs on every page: the header's links, the language links, the
    public site's sections (footer) and the version."""
    links = site_links(get_language() or "en")
    return {
        "site_nav": site_nav(
            user=getattr(request, "user", None),
            path=request.path,
            match=getattr(request, "resolver_match", None),
            menu=links.menu,
        ),
        "site_links": links,
        "language_links": language_links(
            path=request.get_full_path(), current=get_language() or "en"
        ),
        "hopeful_version": hopeful.__version__,
    }
