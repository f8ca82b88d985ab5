from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language

import hopeful
from hopeful.web.core.selectors import language_links, site_nav


def site(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs on every page: the header's links, the language links and
    the version."""
    return {
        "site_nav": site_nav(
            user=getattr(request, "user", None),
            path=request.path,
            match=getattr(request, "resolver_match", None),
        ),
        "language_links": language_links(
            path=request.get_full_path(), current=get_language() or "en"
        ),
        "hopeful_version": hopeful.__version__,
    }
