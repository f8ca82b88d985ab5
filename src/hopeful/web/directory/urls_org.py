from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "directory_org"
urlpatterns: list[URLPattern | URLResolver] = []
