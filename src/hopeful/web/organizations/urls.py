"""Members of one organization: ``/orgs/<org_id>/members/...`` (org admins only)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.organizations import views

app_name = "organizations"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.member_list, name="members"),
    path("invite/", views.member_invite, name="member_invite"),
    path(
        "invitations/<uuid:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("support/", views.support_grant, name="support_grant"),
    path("support/<uuid:grant_id>/revoke/", views.support_revoke, name="support_revoke"),
    path("<uuid:member_id>/", views.member_edit, name="member_edit"),
    path("<uuid:member_id>/remove/", views.member_remove, name="member_remove"),
    path(
        "<uuid:member_id>/second-factor/reset/",
        views.member_second_factor_reset,
        name="member_second_factor_reset",
    ),
]
