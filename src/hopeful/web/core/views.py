from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

import hopeful
from hopeful.web.cms import views as cms_views
from hopeful.web.cms.navigation import live_home
from hopeful.web.core.selectors import building_blocks_for_display, database_is_reachable


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The public site's home page in this language (staff edit it in the CMS); until it has
    one in this language, the built-in home page."""
    language = get_language() or "en"
    if live_home(language) is not None:
        return cms_views.serve(request, "")
    blocks = building_blocks_for_display(language=language)
    return render(request, "core/home.html", {"blocks": blocks})


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    database_ok = database_is_reachable()
    return JsonResponse(
        {
            "status": "ok" if database_ok else "error",
            "database": "ok" if database_ok else "error",
            "version": hopeful.__version__,
        },
        status=200 if database_ok else 503,
    )
