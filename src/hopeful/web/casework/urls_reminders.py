"""Casework URLs: reminders (mounted under ``/orgs/<org_id>/`` by
:mod:`hopeful.web.casework.urls`)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.casework import views_reminders as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("reminders/", views.reminder_list, name="reminders"),
]
