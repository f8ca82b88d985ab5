"""Campaign management, mounted at ``/orgs/<uuid:org_id>/campaigns/`` (namespace ``campaigns``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.surveys import views_admin as views

app_name = "campaigns"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<uuid:campaign_id>/", views.campaign_detail, name="detail"),
    path("<uuid:campaign_id>/edit/", views.campaign_edit, name="edit"),
    path("<uuid:campaign_id>/open/", views.campaign_open, name="open"),
    path("<uuid:campaign_id>/close/", views.campaign_close, name="close"),
    path("<uuid:campaign_id>/links/new/", views.link_create, name="link_create"),
    path("<uuid:campaign_id>/links/kit/", views.link_kit, name="link_kit"),
    path("<uuid:campaign_id>/links/<uuid:link_id>/revoke/", views.link_revoke, name="link_revoke"),
]
