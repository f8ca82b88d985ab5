"""The network's public figures (language-prefixed: ``/es/network/figures/`` in Spanish)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.directory import views_figures

app_name = "figures"
urlpatterns: list[URLPattern | URLResolver] = [
    path("network/figures/", views_figures.figures, name="figures"),
]
