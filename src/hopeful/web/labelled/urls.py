"""``/orgs/<org_id>/data-files/``: labelled SPSS, Stata and SAS files of one questionnaire's
answers and scores (org admins, practitioners; support access only looks)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.labelled import views

app_name = "labelled"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.data_file_list, name="list"),
    path("<uuid:file_id>/", views.data_file_detail, name="detail"),
    path("<uuid:file_id>/download/", views.data_file_download, name="download"),
    path("<uuid:file_id>/formats.sas", views.data_file_formats, name="formats"),
]
