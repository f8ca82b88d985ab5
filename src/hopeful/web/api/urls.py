"""``/api/v1/``: the REST API's routes (made by django-ninja from :mod:`hopeful.web.api.main`).

The bearer token is the credential, so the routes need no session: the site's sign-in
requirement (``LoginRequiredMiddleware``) does not apply to them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver

from hopeful.web.api.main import api

app_name = "api"

_patterns, _app, _namespace = api.urls


def _open(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            login_not_required(pattern.callback)
        else:
            _open(pattern.url_patterns)
    return patterns


urlpatterns: list[URLPattern | URLResolver] = _open(list(_patterns))
