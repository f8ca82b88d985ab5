"""``/orgs/<org_id>/audit/``: the organization's audit log (org admins only)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.audit import views

app_name = "audit"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.event_list, name="events"),
]
