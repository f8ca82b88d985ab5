"""Machine endpoints of the credentials, at the site root and not translated."""

from __future__ import annotations

from django.urls import URLPattern, path

from hopeful.web.certification import views_machine

app_name = "credentials"

urlpatterns: list[URLPattern] = [
    path(".well-known/jwks.json", views_machine.jwks, name="jwks"),
    path("credentials/status/<str:purpose>", views_machine.status_list, name="status_list"),
]
