"""A family's rights through its personal link (namespace ``family_data``), mounted at ``/s/``
inside ``i18n_patterns`` next to the survey: ``/s/<token>/your-data/`` is English,
``/es/s/<token>/your-data/`` Spanish. Token pages: public, kept private by their headers."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.families import views_rights as views
from hopeful.web.surveys import urls_public  # noqa: F401  # registers the survey_token converter

app_name = "family_data"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<survey_token:token>/your-data/", views.home, name="home"),
    path("<survey_token:token>/your-data/data.json", views.data_json, name="json"),
    path("<survey_token:token>/your-data/data.pdf", views.data_pdf, name="pdf"),
    path("<survey_token:token>/your-data/delete/", views.delete, name="delete"),
]
