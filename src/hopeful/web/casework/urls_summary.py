"""Casework URLs: a family's take-home summary, on screen and as a PDF (mounted under
``/orgs/<org_id>/`` by :mod:`hopeful.web.casework.urls`). The family's own copy, through its
personal survey link, is in :mod:`hopeful.web.surveys.urls_public`."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.casework import views_summary as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("families/<uuid:family_id>/summary/", views.summary, name="summary"),
    path("families/<uuid:family_id>/summary.pdf", views.summary_pdf, name="summary_pdf"),
]
