"""``/fhir/`` (not translated): the FHIR R4 endpoint for other systems."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.fhir import views

app_name = "fhir"
urlpatterns: list[URLPattern | URLResolver] = [
    path("metadata", views.metadata, name="metadata"),
    path("Questionnaire", views.questionnaire_list, name="questionnaire_list"),
    path("Questionnaire/<str:resource_id>", views.questionnaire_read, name="questionnaire_read"),
    path("QuestionnaireResponse", views.response_list, name="response_list"),
    path("QuestionnaireResponse/<str:resource_id>", views.response_read, name="response_read"),
]
