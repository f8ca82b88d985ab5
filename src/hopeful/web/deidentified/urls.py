"""``/orgs/<org_id>/research/exports/``: de-identified exports of the platform's data
(researchers and org admins)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.deidentified import views

app_name = "deidentified"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.export_list, name="list"),
    path("<uuid:export_id>/", views.export_detail, name="detail"),
    path("<uuid:export_id>/download/", views.export_download, name="download"),
    path("<uuid:export_id>/dictionary/", views.export_dictionary, name="dictionary"),
]
