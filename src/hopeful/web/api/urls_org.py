"""``/orgs/<org_id>/api-tokens/``: the organization's API tokens (org admins)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.api import views_org

app_name = "api_tokens"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_org.token_list, name="list"),
    path("<uuid:token_id>/revoke/", views_org.token_revoke_view, name="revoke"),
]
