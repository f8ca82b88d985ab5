"""``/network/``: cross-organization aggregates for network staff (a platform URL: no org)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.network import views

app_name = "network"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
]
