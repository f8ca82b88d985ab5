"""``/newsletter/``: the public sign-up and its emailed links; the staff's list export."""

from __future__ import annotations

from django.urls import URLPattern, path

from hopeful.web.newsletter import views

app_name = "newsletter"

urlpatterns: list[URLPattern] = [
    path("", views.signup, name="signup"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("subscribers/", views.subscribers, name="subscribers"),
    path("export.csv", views.export, name="export"),
]
