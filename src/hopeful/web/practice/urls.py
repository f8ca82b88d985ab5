"""``/orgs/``: the user's organizations and each organization's practitioner pages."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.practice import views

app_name = "practice"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.organization_list, name="organizations"),
    path("<uuid:org_id>/", views.organization_home, name="home"),
    path("<uuid:org_id>/submissions/", views.submission_list, name="submissions"),
    path("<uuid:org_id>/families/<uuid:family_id>/", views.family_detail, name="family_detail"),
    path("<uuid:org_id>/export.csv", views.export_csv, name="export_csv"),
]
