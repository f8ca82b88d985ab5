"""``/orgs/<org_id>/dashboard/``: the organization dashboard (org admins and analysts)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.insights import views

app_name = "insights"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("program-sizes/", views.program_sizes, name="program_sizes"),
]
