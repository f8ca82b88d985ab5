"""``/orgs/<org_id>/imports/``: answers collected with ODK/KoboToolbox or REDCap, imported
into an open campaign after a preview (org admins; practitioners for their programs)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.imports import views

app_name = "imports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.import_list, name="list"),
    path("new/", views.import_new, name="new"),
    path("<uuid:batch_id>/", views.import_detail, name="detail"),
    path("<uuid:batch_id>/confirm/", views.import_confirm, name="confirm"),
    path("<uuid:batch_id>/cancel/", views.import_cancel, name="cancel"),
]
