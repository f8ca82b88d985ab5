"""The periodic jobs' staff pages (whole paths; included at the root inside
``i18n_patterns``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from hopeful.web.operations import views

app_name = "operations"

urlpatterns: list[URLPattern] = [
    path("staff/jobs/", views.job_list, name="job_list"),
    path("staff/jobs/<slug:name>/", views.job_detail, name="job_detail"),
    path("staff/jobs/<slug:name>/run/", views.job_run_now, name="job_run_now"),
]
