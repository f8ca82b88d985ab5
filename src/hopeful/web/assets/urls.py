"""The public community strengths map (``/strengths/``) and the network staff's pages of
network-wide assets (``/staff/strengths/``); namespace ``assets``."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.assets import views, views_manage

app_name = "assets"
urlpatterns: list[URLPattern | URLResolver] = [
    path("strengths/", views.strengths_search, name="map"),
    path("strengths/<uuid:public_id>/", views.strengths_detail, name="detail"),
    path("staff/strengths/", views_manage.staff_list, name="staff_list"),
    path("staff/strengths/new/", views_manage.staff_new, name="staff_new"),
    path("staff/strengths/<uuid:public_id>/edit/", views_manage.staff_edit, name="staff_edit"),
    path(
        "staff/strengths/<uuid:public_id>/archive/",
        views_manage.staff_archive,
        name="staff_archive",
    ),
]
