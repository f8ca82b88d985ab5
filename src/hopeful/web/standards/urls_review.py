"""``/staff/standards/``: a submitted self-assessment as a Champion reviews it (network staff;
linked from the certification review)."""

from __future__ import annotations

from django.urls import URLPattern, path

from hopeful.web.standards import views_review

app_name = "standards_review"

urlpatterns: list[URLPattern] = [
    path("<str:assessment_id>/", views_review.assessment, name="assessment"),
]
