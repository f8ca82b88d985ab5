from __future__ import annotations

from django.urls import path

from hopeful.web.instruments import views, views_formats

app_name = "instruments"

urlpatterns = [
    path("", views.instrument_list, name="list"),
    path("<slug:instrument_id>/", views.instrument_detail, name="detail"),
    path("<slug:instrument_id>/v/<str:version>/", views.instrument_detail, name="version"),
    # The questionnaire as files for other tools (ODK/KoboToolbox, REDCap).
    path("<slug:instrument_id>/xlsform.xlsx", views_formats.instrument_xlsform, name="xlsform"),
    path(
        "<slug:instrument_id>/redcap-dictionary.csv",
        views_formats.instrument_redcap_dictionary,
        name="redcap_dictionary",
    ),
    path(
        "<slug:instrument_id>/v/<str:version>/xlsform.xlsx",
        views_formats.instrument_xlsform,
        name="version_xlsform",
    ),
    path(
        "<slug:instrument_id>/v/<str:version>/redcap-dictionary.csv",
        views_formats.instrument_redcap_dictionary,
        name="version_redcap_dictionary",
    ),
]
