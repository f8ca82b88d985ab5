"""Casework URLs: goals (mounted under ``/orgs/<org_id>/`` by :mod:`hopeful.web.casework.urls`)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
