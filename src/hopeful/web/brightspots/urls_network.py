"""``/network/bright-spots/``: which organizations do better than expected (network staff)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "brightspots_network"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.network_page, name="network"),
]
