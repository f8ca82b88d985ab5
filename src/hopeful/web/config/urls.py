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
        path("orgs/", include("hopeful.web.practice.urls")),
        path("orgs/<uuid:org_id>/members/", include("hopeful.web.organizations.urls")),
        path("orgs/<uuid:org_id>/campaigns/", include("hopeful.web.surveys.urls_admin")),
        path("orgs/<uuid:org_id>/audit/", include("hopeful.web.audit.urls")),
        path("orgs/<uuid:org_id>/dashboard/", include("hopeful.web.insights.urls")),
        path("orgs/<uuid:org_id>/reports/", include("hopeful.web.reports.urls")),
        path("orgs/<uuid:org_id>/", include("hopeful.web.casework.urls")),
        path("network/", include("hopeful.web.network.urls")),
        path("s/", include("hopeful.web.surveys.urls_public")),
        prefix_default_language=False,
    ),
]

# Designed error pages (see hopeful.web.core.errors); Django's own are bare and English only.
handler400 = "hopeful.web.core.errors.bad_request"
handler403 = "hopeful.web.core.errors.permission_denied"
handler404 = "hopeful.web.core.errors.page_not_found"
handler500 = "hopeful.web.core.errors.server_error"
