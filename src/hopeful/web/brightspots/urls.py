"""``/orgs/<org_id>/bright-spots/``: which programs do better than expected."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "brightspots"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.org_page, name="org"),
]
