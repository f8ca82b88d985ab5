from __future__ import annotations

from django.urls import URLPattern, path

from hopeful.web.directory import views, views_network

app_name = "directory"

urlpatterns: list[URLPattern] = [
    path("trainers/", views.search, name="search"),
    path("trainers/me/", views.mine, name="mine"),
    path("trainers/<uuid:public_id>/", views.detail, name="detail"),
    path("trainers/<uuid:public_id>/contact/", views.contact, name="contact"),
    path("network/members/", views_network.members, name="members"),
    path("network/members/<uuid:public_id>/", views_network.member, name="member"),
]
