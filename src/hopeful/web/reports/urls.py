"""``/orgs/<org_id>/reports/``: program PDF reports and long exports (org admins, analysts)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.reports import views

app_name = "reports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.report_list, name="list"),
    path("<uuid:report_id>/", views.report_detail, name="detail"),
    path("<uuid:report_id>/download/", views.report_download, name="download"),
]
