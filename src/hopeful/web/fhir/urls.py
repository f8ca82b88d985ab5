"""Placeholder: filled in by issue 19."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "fhir"
urlpatterns: list[URLPattern | URLResolver] = []
