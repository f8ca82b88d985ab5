"""The public directory as open data, at the site root and not translated."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.directory import views_open

app_name = "open_data"
urlpatterns: list[URLPattern | URLResolver] = [
    path("open-data/hsds.json", views_open.hsds_json, name="hsds_json"),
    path("open-data/hsds.zip", views_open.hsds_zip, name="hsds_zip"),
]
