"""Casework URLs: a family's visits and strengths map (mounted under ``/orgs/<org_id>/`` by
:mod:`hopeful.web.casework.urls`)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.casework import views_visits as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("families/<uuid:family_id>/map/", views.strengths_map, name="map"),
    path("families/<uuid:family_id>/visits/new/", views.visit_new, name="visit_new"),
    path("visits/<uuid:visit_id>/", views.visit_detail, name="visit"),
]
