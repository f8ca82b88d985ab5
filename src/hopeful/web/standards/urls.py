"""The six-standards self-assessment, its results, the improvement plan and the
certification application, mounted at ``/orgs/<org_id>/standards/`` (namespace
``standards``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from hopeful.web.standards import views

app_name = "standards"

urlpatterns: list[URLPattern] = [
    path("", views.overview, name="overview"),
    path("assessments/new/", views.assessment_new, name="assessment_new"),
    path("assessments/<uuid:assessment_id>/", views.assessment, name="assessment"),
    path("assessments/<uuid:assessment_id>/results/", views.results, name="results"),
    path("plan/", views.plan, name="plan"),
    path("plan/new/", views.action_new, name="action_new"),
    path("plan/<uuid:action_id>/edit/", views.action_edit, name="action_edit"),
    path("certification/apply/", views.certification_apply, name="certification_apply"),
]
