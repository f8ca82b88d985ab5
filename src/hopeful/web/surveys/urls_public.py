"""The family survey, mounted at ``/s/`` inside ``i18n_patterns`` (namespace ``survey``):
``/s/<token>/`` is English, ``/es/s/<token>/`` Spanish."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, register_converter

from hopeful.web.casework import views_summary
from hopeful.web.surveys import api, views_expired
from hopeful.web.surveys import views_public as views


class TokenConverter:
    """A link token as ``secrets.token_urlsafe`` makes it (anything else is a 404)."""

    regex = r"[A-Za-z0-9_-]{16,128}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "survey_token")

app_name = "survey"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<survey_token:token>/", views.start, name="start"),
    path("<survey_token:token>/agree/", views.agree, name="agree"),
    path("<survey_token:token>/name/", views.name, name="name"),
    path("<survey_token:token>/child/", views.child, name="child"),
    path("<survey_token:token>/q/<slug:instrument_id>/notice/", views.notice, name="notice"),
    path("<survey_token:token>/q/<slug:instrument_id>/", views.items, name="items"),
    path("<survey_token:token>/about/", views.about, name="about"),
    path("<survey_token:token>/review/", views.review, name="review"),
    path("<survey_token:token>/submit/", views.submit, name="submit"),
    path("<survey_token:token>/done/<str:signed>/", views.summary, name="summary"),
    path("<survey_token:token>/resume/", views_expired.resume, name="resume"),
    path("<survey_token:token>/consent/", views.consent, name="consent"),
    # a personal link's take-home summary (casework), until the link is revoked or expires
    path("<survey_token:token>/plan/", views_summary.family_plan, name="plan"),
    path("<survey_token:token>/plan.pdf", views_summary.family_plan_pdf, name="plan_pdf"),
    path("<survey_token:token>/api/submissions/", api.submit, name="api_submit"),
]
