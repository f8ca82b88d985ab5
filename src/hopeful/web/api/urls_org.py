"""Placeholder."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "api_tokens"
urlpatterns: list[URLPattern | URLResolver] = []
