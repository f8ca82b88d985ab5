"""Root URLs. Pages people read live under ``i18n_patterns``: ``/instruments/`` is English,
``/es/instruments/`` Spanish. Machine endpoints (health) and the admin are not translated."""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from hopeful.web.core import views as core_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("health/", core_views.health, name="health"),
    path("admin/", admin.site.urls),
    *i18n_patterns(
        path("", include("hopeful.web.core.urls")),
        path("accounts/", include("hopeful.web.accounts.urls")),
        path("instruments/", include("hopeful.web.instruments.urls")),
        prefix_default_language=False,
    ),
]
