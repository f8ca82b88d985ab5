"""Casework URLs: caseload (mounted under ``/orgs/<org_id>/`` by :mod:`hopeful.web.casework.urls`)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.casework import views_caseload as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("caseload/", views.caseload, name="caseload"),
    path("families/<uuid:family_id>/assign/", views.assign, name="assign"),
    path("families/<uuid:family_id>/contact/", views.contact, name="contact"),
]
