from __future__ import annotations

from django.urls import URLPattern, path

from hopeful.web.directory import views

app_name = "directory_org"

urlpatterns: list[URLPattern] = [
    path("", views.org_listing, name="edit"),
]
