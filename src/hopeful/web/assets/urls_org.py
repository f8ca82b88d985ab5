"""An organization's community strengths, mounted at ``/orgs/<org_id>/strengths/``
(namespace ``assets_org``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.assets import views_manage

app_name = "assets_org"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_manage.org_list, name="list"),
    path("new/", views_manage.org_new, name="new"),
    path("<uuid:public_id>/edit/", views_manage.org_edit, name="edit"),
    path("<uuid:public_id>/archive/", views_manage.org_archive, name="archive"),
]
