"""Casework, mounted at ``/orgs/<org_id>/`` (namespace ``casework``): the caseload, a
family's visits and visit guide, strengths maps, goals, celebrations and case reviews. Each
area keeps its own list of patterns."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from hopeful.web.casework import (
    urls_caseload,
    urls_goals,
    urls_reminders,
    urls_summary,
    urls_visits,
)

app_name = "casework"
urlpatterns: list[URLPattern | URLResolver] = [
    *urls_caseload.urlpatterns,
    *urls_visits.urlpatterns,
    *urls_goals.urlpatterns,
    *urls_reminders.urlpatterns,
    *urls_summary.urlpatterns,
]
